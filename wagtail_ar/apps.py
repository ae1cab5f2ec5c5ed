from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class WagtailARAppConfig(AppConfig):
    name = "wagtail_ar"
    label = "wagtail_ar"
    verbose_name = _("Amplification Room")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Publishing, moving, deleting and snippet edits make the cache stale (wagtail_ar.cache).
        from . import checks, signals

        signals.connect()
        # The system checks of the configuration (wagtail_ar.checks; ids in docs/deployment.md).
        checks.register()
        # wagtail-localize (optional) keeps the relations to snippets of translations in step.
        if apps.is_installed("wagtail_localize"):
            from . import translation

            translation.connect()
