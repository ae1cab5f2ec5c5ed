"""Host (c): a multilingual site. Wagtail's pages under ``i18n_patterns`` in English, French and
Arabic, content translated with Wagtail's i18n and wagtail-localize."""

from .settings_base import *  # noqa: F403

INSTALLED_APPS = [
    *INSTALLED_APPS[: INSTALLED_APPS.index("wagtail.admin")],  # noqa: F405
    "wagtail_localize",
    "wagtail_localize.locales",  # in place of wagtail.locales
    *INSTALLED_APPS[INSTALLED_APPS.index("wagtail.admin") :],  # noqa: F405
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    *[m for m in MIDDLEWARE if "SessionMiddleware" not in m],  # noqa: F405
]
ROOT_URLCONF = "hostsite.urls_i18n"

WAGTAIL_I18N_ENABLED = True
LANGUAGES = WAGTAIL_CONTENT_LANGUAGES = [
    ("en", "English"),
    ("fr", "Français"),
    ("ar", "العربية"),
]
