"""The test settings, with a host app installed before ``wagtail_ar`` (tests/hostfirst).

Used by tests/test_host_first.py in ``django check`` subprocesses.
"""

from .settings import *  # noqa: F403
from .settings import INSTALLED_APPS

INSTALLED_APPS = ["tests.hostfirst", *INSTALLED_APPS]
