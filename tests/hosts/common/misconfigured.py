"""The host's own settings with exactly one thing broken: the one named by the environment
variable ``AR_HOST_BREAK``, a check id of wagtail_ar (wagtail_ar/checks.py). The matrix runs
``manage.py check --settings hostsite.misconfigured`` once for each (tests/test_host_matrix.py).
"""

import os

import django
from django.core.exceptions import ImproperlyConfigured

from .settings import *  # noqa: F403

BREAK = os.environ.get("AR_HOST_BREAK", "")

if BREAK == "E001":  # the map widget's app, which the README asks a host to add
    INSTALLED_APPS = [app for app in INSTALLED_APPS if app != "wagtailgeowidget"]  # noqa: F405
elif BREAK == "E002":
    WAGTAIL_AR_BASE_TEMPLATE = "no_such_base.html"
elif BREAK == "E003":
    WAGTAIL_AR_BASE_TEMPLATE = "checks/no_content_block.html"
elif BREAK == "E004":
    WAGTAIL_AR_CACHE_ALIAS = "amplification_room"
elif BREAK == "E005":
    WAGTAIL_AR_BASE_TEMPLATE = "checks/syntax_error.html"
elif BREAK == "W001":
    del DEFAULT_FROM_EMAIL  # noqa: F821 (Django's webmaster@localhost)
elif BREAK == "W002":
    del WAGTAILADMIN_BASE_URL  # noqa: F821
elif BREAK == "W003":
    DEBUG = False
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
elif BREAK == "W004":
    WAGTAIL_AR_TILE_URL = "https://tiles.example.test/tile.png"
elif BREAK == "W005":
    if django.VERSION >= (6, 1):
        MAILERS = {"default": {"BACKEND": "django.core.mail.backends.dummy.EmailBackend"}}
    else:
        EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
else:
    raise ImproperlyConfigured(f"AR_HOST_BREAK={BREAK!r} names no check of wagtail_ar")
