from django.apps import AppConfig


class TherapiesConfig(AppConfig):
    name = "therapies"
    verbose_name = "Content"
    default_auto_field = "django.db.models.BigAutoField"
