"""Production settings of the example site: everything from the environment, nothing secret here.

``DJANGO_SETTINGS_MODULE=example.production``; ``python manage.py check --deploy`` is clean with
the variables below (``tests/test_deploy.py`` proves it). The same lines suit any site that
installs wagtail_ar.

Required:

- ``DJANGO_SECRET_KEY``: at least 50 random characters
  (``python -c "import secrets; print(secrets.token_urlsafe(50))"``);
- ``DJANGO_ALLOWED_HOSTS``: the site's host names, comma-separated;
- ``DATABASE_URL``: PostgreSQL, ``postgres://user:password@host:5432/name``.

Optional:

- ``REDIS_URL`` (``redis://host:6379/0``): the shared cache of every process (wagtail_ar's
  GeoJSON, listings, feeds and calendars, and the forum's rate limit). Without it each process
  caches in its own memory: fine for one process, stale for up to ``WAGTAIL_AR_CACHE_TIMEOUT``
  seconds across several;
- ``DJANGO_STATIC_ROOT``, ``DJANGO_MEDIA_ROOT``, ``DJANGO_MEDIA_URL``: where ``collectstatic``
  writes and uploads go. Static files are served by WhiteNoise (hashed names, compressed,
  cached for a year) when it is installed (``pip install whitenoise``), else by the proxy from
  ``STATIC_ROOT``. Media (documents, images) are always served by the proxy, or kept in object
  storage (django-storages);
- ``DJANGO_EMAIL_HOST``, ``DJANGO_EMAIL_PORT`` (587), ``DJANGO_EMAIL_HOST_USER``,
  ``DJANGO_EMAIL_HOST_PASSWORD``, ``DJANGO_EMAIL_USE_TLS`` (1), ``DJANGO_DEFAULT_FROM_EMAIL``,
  ``DJANGO_ADMINS`` and ``DJANGO_MANAGERS`` (``Name <address>, …``; managers moderate the forum);
- ``DJANGO_BEHIND_PROXY`` (1): trust the proxy's ``X-Forwarded-Proto`` header. The proxy must
  also set ``REMOTE_ADDR`` to the visitor's address (the forum's rate limit counts by it);
- ``DJANGO_CSRF_TRUSTED_ORIGINS`` (``https://example.org``, comma-separated),
  ``WAGTAILADMIN_BASE_URL`` (``https://example.org``), ``DJANGO_HSTS_SECONDS`` (31536000).
"""

import os
from email.utils import getaddresses

import django
from django.core.exceptions import ImproperlyConfigured

from .settings import *  # noqa: F403
from .settings import BASE_DIR, INSTALLED_APPS, MIDDLEWARE


def required(name):
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"Set {name} in the environment (see example/production.py).")
    return value


def listed(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def flag(name, default):
    return os.environ.get(name, default).strip().lower() in {"1", "true", "yes", "on"}


DEBUG = False
SECRET_KEY = required("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = listed("DJANGO_ALLOWED_HOSTS") or [required("DJANGO_ALLOWED_HOSTS")]
CSRF_TRUSTED_ORIGINS = listed("DJANGO_CSRF_TRUSTED_ORIGINS")
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", f"https://{ALLOWED_HOSTS[0]}")

# Database: PostgreSQL, persistent connections checked before use.
import dj_database_url  # noqa: E402 - installed with the package's "test" extra

DATABASES = {
    "default": dj_database_url.parse(
        required("DATABASE_URL"), conn_max_age=600, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Wagtail's search index uses PostgreSQL's full-text fields and indexes, which Django 6.1
    # checks for: their app must be installed (postgres.E005 otherwise).
    INSTALLED_APPS = [*INSTALLED_APPS, "django.contrib.postgres"]

# Cache: Redis shared by every process, or each process's memory.
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Static files: WhiteNoise when installed, else the proxy serves STATIC_ROOT.
STATIC_ROOT = os.environ.get("DJANGO_STATIC_ROOT", str(BASE_DIR / "static_collected"))
MEDIA_ROOT = os.environ.get("DJANGO_MEDIA_ROOT", str(BASE_DIR / "media"))
MEDIA_URL = os.environ.get("DJANGO_MEDIA_URL", "/media/")
try:
    import whitenoise  # noqa: F401
except ImportError:
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
else:
    MIDDLEWARE = [
        MIDDLEWARE[0],  # SecurityMiddleware first, then WhiteNoise, as its docs say
        "whitenoise.middleware.WhiteNoiseMiddleware",
        *MIDDLEWARE[1:],
    ]
    INSTALLED_APPS = ["whitenoise.runserver_nostatic", *INSTALLED_APPS]
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }

# E-mail: the forum tells its moderators (MANAGERS) of new posts and forwards replies.
_SMTP = {
    "host": os.environ.get("DJANGO_EMAIL_HOST", "localhost"),
    "port": int(os.environ.get("DJANGO_EMAIL_PORT", "587")),
    "username": os.environ.get("DJANGO_EMAIL_HOST_USER", ""),
    "password": os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", ""),
    "use_tls": flag("DJANGO_EMAIL_USE_TLS", "1"),
    "timeout": 10,
}
if django.VERSION >= (6, 1):
    # Django 6.1 replaces EMAIL_BACKEND and EMAIL_HOST… with MAILERS (the old ones warn).
    MAILERS = {
        "default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend", "OPTIONS": _SMTP}
    }
else:
    EMAIL_HOST = _SMTP["host"]
    EMAIL_PORT = _SMTP["port"]
    EMAIL_HOST_USER = _SMTP["username"]
    EMAIL_HOST_PASSWORD = _SMTP["password"]
    EMAIL_USE_TLS = _SMTP["use_tls"]
    EMAIL_TIMEOUT = _SMTP["timeout"]
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", f"noreply@{ALLOWED_HOSTS[0]}")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
ADMINS = getaddresses([os.environ.get("DJANGO_ADMINS", "")])
MANAGERS = getaddresses([os.environ.get("DJANGO_MANAGERS", "")]) or ADMINS

# HTTPS only: redirects, HSTS, secure cookies.
if flag("DJANGO_BEHIND_PROXY", "1"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(365 * 24 * 60 * 60)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = flag("DJANGO_HSTS_INCLUDE_SUBDOMAINS", "1")
SECURE_HSTS_PRELOAD = flag("DJANGO_HSTS_PRELOAD", "1")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"  # Wagtail's preview views allow their own frame themselves

# Only what the admin's big forms need (the example site's 10,000); a visitor's query string
# is refused long before that by wagtail_ar (WAGTAIL_AR_MAX_QUERY_STRING_LENGTH).
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}
