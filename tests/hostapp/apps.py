from django.apps import AppConfig


class HostAppConfig(AppConfig):
    """A host's own app, installed before wagtail_ar: its pages use the package's blocks."""

    name = "tests.hostapp"
    label = "hostapp"
