"""The test settings, plus wagtail-modeladmin and an app that registers wagtail_ar's ModelAdmins.

Used by tests/test_editor_modeladmin.py in a pytest subprocess: installing apps at run time is
fragile, and the rest of the suite runs without wagtail-modeladmin, as most sites do.
"""

from .settings import *  # noqa: F403
from .settings import DATABASES, INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "wagtail_modeladmin", "tests.modeladmin_app"]

# On a server database, a test database of its own: the suite that starts this one holds
# "test_<name>" open. SQLite test databases live in memory.
if "sqlite" not in DATABASES["default"]["ENGINE"]:
    _default = DATABASES["default"]
    DATABASES = {
        "default": {
            **_default,
            "TEST": {**_default.get("TEST", {}), "NAME": f"test_{_default['NAME']}_modeladmin"},
        }
    }
