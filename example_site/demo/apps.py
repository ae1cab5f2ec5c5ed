from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "demo"
    label = "demo"
    verbose_name = "Amplification Room demo content"
    default_auto_field = "django.db.models.BigAutoField"
