import importlib
import os

from django.apps import AppConfig


class HostFirstConfig(AppConfig):
    name = "tests.hostfirst"
    label = "hostfirst"

    def ready(self):
        module = os.environ.get("AR_HOST_READY_IMPORTS")
        if module:
            importlib.import_module(module)
