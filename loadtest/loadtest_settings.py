"""Settings of the load test: the example site as in production (DEBUG off, PostgreSQL, Redis),
served by gunicorn over plain HTTP on loopback, with the forum's robot checks relaxed so that
one address (127.0.0.1) may post quickly and often."""

import os

from example.settings import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "loadtest-only-not-secret-" + "x" * 40)

import dj_database_url  # noqa: E402

DATABASES = {"default": dj_database_url.config(conn_max_age=600, conn_health_checks=True)}
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
    }

# 50 clients on one address: no rate limit, no minimum fill time (the token is still checked).
WAGTAIL_AR_FORUM_RATE_LIMIT = 10**9
WAGTAIL_AR_FORUM_MIN_FILL_SECONDS = 0
EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"handlers": ["console"], "level": "ERROR"}},
}
