"""Host (d): the host's own app, listed before wagtail_ar, has a page type whose StreamField
uses the package's MapBlock (a copy of tests/hostapp, put on the project's path)."""

from .settings_base import *  # noqa: F403

INSTALLED_APPS = ["hostapp", *INSTALLED_APPS]  # noqa: F405
