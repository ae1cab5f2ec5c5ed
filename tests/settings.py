"""Settings for the test suite: SQLite by default, any database through DATABASE_URL."""

import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
# The example site's app "demo" is tested here too (its load_demo command).
sys.path.insert(0, str(BASE_DIR.parent / "example_site"))

SECRET_KEY = "tests-only-not-secret"  # noqa: S105
DEBUG = False
ALLOWED_HOSTS = ["*"]

INSTALLED_APPS = [
    "tests.hostapp",  # a host app before ours (its pages use our blocks)
    "wagtail_ar",
    "tests.testapp",
    "demo",
    "wagtailgeowidget",
    "django_countries",
    "wagtail.api.v2",
    "wagtail.contrib.forms",
    # No models; purges nothing without WAGTAILFRONTENDCACHE (tests/test_frontend_cache.py sets it).
    "wagtail.contrib.frontend_cache",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "django.contrib.sitemaps",
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
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

try:  # Optional for sites; the test extra installs it (tests/test_localize.py).
    import wagtail_localize  # noqa: F401
except ImportError:
    pass
else:
    INSTALLED_APPS.insert(INSTALLED_APPS.index("wagtail.admin"), "wagtail_localize")

try:  # The database task backend and its worker (tests/test_admin_import_worker.py).
    import django_tasks_db  # noqa: F401
except ImportError:
    pass
else:
    INSTALLED_APPS.append("django_tasks_db")

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

ROOT_URLCONF = "tests.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "testapp" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'test.sqlite3'}", conn_max_age=0
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # As a host on PostgreSQL must (Wagtail's search index; Django 6.1 checks it).
    INSTALLED_APPS.append("django.contrib.postgres")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast tests only

LANGUAGE_CODE = "en"
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static_collected"
MEDIA_URL = "/media/"
MEDIA_ROOT = os.environ.get("TEST_MEDIA_ROOT", str(BASE_DIR / "media"))

# One CI leg caches in Redis (REDIS_URL=redis://127.0.0.1:6379/0); the default is local memory.
# Each pytest-xdist worker gets a database of its own, because the suite clears the cache
# around every test and workers must not wipe each other's entries.
if os.environ.get("REDIS_URL"):
    _worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
    _redis_db = 1 + (int(_worker) if _worker.isdigit() else 0)
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": urlsplit(os.environ["REDIS_URL"])._replace(path=f"/{_redis_db}").geturl(),
            "KEY_PREFIX": "wagtail_ar_tests",
        }
    }

WAGTAIL_SITE_NAME = "Amplification Room tests"
WAGTAILADMIN_BASE_URL = "http://testserver"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

WAGTAIL_AR_BASE_TEMPLATE = "testapp/base.html"
DEFAULT_FROM_EMAIL = "Amplification Room tests <noreply@testserver>"
# The local-memory cache warning (wagtail_ar.W003) is for sites served by several processes; each
# test process (each xdist worker) is meant to have a cache of its own. tests/test_checks.py calls
# the check itself, which silencing does not affect.
SILENCED_SYSTEM_CHECKS = ["wagtail_ar.W003"]

# Django 6.1 and newer send through MAILERS (Django substitutes the memory backend in tests);
# without it, each message warns that Django 2028 has no default mailer. Older Djangos ignore it.
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
