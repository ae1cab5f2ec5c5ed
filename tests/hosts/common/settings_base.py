"""What every host project of the matrix shares: a small Wagtail site as a developer would set
it up by hand, with wagtail_ar and the apps the README asks for, configured so that
``manage.py check`` gives none of wagtail_ar's messages. Each host's ``settings.py`` imports this
and changes what makes it that host; ``misconfigured.py`` breaks one thing at a time.

Copied into ``<project>/hostsite/`` by tests/host_support.py; ``HOST_DEBUG=1`` turns DEBUG on
(the browser test serves static files with runserver).
"""

import os
from pathlib import Path

import django

PROJECT_DIR = Path(__file__).resolve().parent
BASE_DIR = PROJECT_DIR.parent

SECRET_KEY = "host-matrix-not-secret"  # noqa: S105
DEBUG = os.environ.get("HOST_DEBUG") == "1"
ALLOWED_HOSTS = ["host.test", "localhost", "127.0.0.1", "testserver"]

INSTALLED_APPS = [
    "wagtail_ar",
    "wagtailgeowidget",
    "django_countries",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "hostsite.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]

DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "db.sqlite3"}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Shared by every process of the site (runserver, the smoke script): no wagtail_ar.W003.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": BASE_DIR / "cache",
    }
}

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = BASE_DIR / "media"

WAGTAIL_SITE_NAME = "Host matrix"
WAGTAILADMIN_BASE_URL = "http://host.test"
WAGTAIL_AR_BASE_TEMPLATE = "base.html"
# No request leaves the machine: the browser test answers this host's tiles itself.
WAGTAIL_AR_TILE_URL = "https://tiles.example.test/{z}/{x}/{y}.png"
WAGTAIL_AR_FORUM_MODERATORS = ["moderator@host.test"]
# The smoke script waits this long before sending the forum's form.
WAGTAIL_AR_FORUM_MIN_FILL_SECONDS = 1

DEFAULT_FROM_EMAIL = "Host matrix <noreply@host.test>"
# In memory: the smoke script reads the moderators' mail from django.core.mail.outbox.
if django.VERSION >= (6, 1):
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
else:
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
