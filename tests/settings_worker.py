"""Settings of the task worker that tests/test_admin_import_worker.py starts (``manage.py
db_worker`` of django-tasks-db): the test's settings, on the database and the cache the test
process uses, which it names in the environment."""

import json
import os

from tests.settings import *  # noqa: F403
from tests.settings import DATABASES

DATABASES["default"].update(json.loads(os.environ["WAGTAIL_AR_TEST_WORKER_DATABASE"]))
CACHES = json.loads(os.environ["WAGTAIL_AR_TEST_WORKER_CACHES"])
TASKS = json.loads(os.environ["WAGTAIL_AR_TEST_WORKER_TASKS"])
WAGTAIL_AR_CACHE_ALIAS = os.environ["WAGTAIL_AR_TEST_WORKER_CACHE_ALIAS"]
WAGTAIL_AR_TASK_BACKEND = os.environ["WAGTAIL_AR_TEST_WORKER_TASK_BACKEND"]
