"""Settings of the example site: the Amplification Room inside a minimal Wagtail project.

For a demo on one's own machine, not for production. Environment variables:

- ``DATABASE_URL``: any database dj-database-url understands (default: SQLite at
  ``example_site/db.sqlite3``);
- ``DJANGO_DEBUG``: ``0`` to switch debug off (default: on, so that runserver serves static
  and media files);
- ``DJANGO_SECRET_KEY`` and ``DJANGO_ALLOWED_HOSTS`` (comma-separated).
"""

import os
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent  # example_site/example
BASE_DIR = PROJECT_DIR.parent  # example_site


def env_flag(name, default):
    return os.environ.get(name, default).strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_flag("DJANGO_DEBUG", "1")

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "example-site-demo-only-not-secret")  # noqa: S105

ALLOWED_HOSTS = [
    host.strip()
    for host in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]").split(",")
    if host
]

INSTALLED_APPS = [
    "demo",
    "wagtail_ar",
    "wagtailgeowidget",
    "django_countries",
    "wagtail.api.v2",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",  # the Amplification Room settings of each site
    # Content in several languages: locales in the admin, "Translate" on pages and snippets.
    "wagtail.locales",
    "wagtail.contrib.simple_translation",
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
    "rest_framework",
    "django_filters",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language from the address (/fr/…, /ar/…: i18n_patterns in urls.py).
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "example.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # The site's own base.html, which every Amplification Room page extends.
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.i18n",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "example.wsgi.application"

if os.environ.get("DATABASE_URL"):
    import dj_database_url  # installed with the package's "test" extra

    DATABASES = {"default": dj_database_url.config(conn_max_age=0)}
else:
    DATABASES = {
        "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "db.sqlite3"}
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
# The interface in these languages (the package ships nine: add es, it, el, hr, sl, pt too),
# and the content translated with Wagtail's i18n; English is the default locale, the fallback
# of untranslated pages and snippets.
LANGUAGES = [("en", "English"), ("fr", "Français"), ("ar", "العربية")]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
TIME_ZONE = "Europe/Madrid"
USE_I18N = True
USE_TZ = True

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [PROJECT_DIR / "static"]
STATIC_ROOT = BASE_DIR / "static_collected"
STATIC_URL = "/static/"

MEDIA_ROOT = BASE_DIR / "media"
MEDIA_URL = "/media/"

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# The forum's mails come from this address (wagtail_ar.W001 warns about Django's default).
DEFAULT_FROM_EMAIL = "Amplification Room <noreply@example.org>"

# Wagtail
WAGTAIL_SITE_NAME = "Natural Heritage Mission – Amplification Room"
WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8000"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "key", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]

# wagtail_ar: the defaults suit this site (its base template is templates/base.html), so no
# WAGTAIL_AR_* setting is needed. See wagtail_ar/conf.py for what can be changed.
