from django.apps import AppConfig


class FourthKindConfig(AppConfig):
    name = "tests.fourth_kind"
    label = "fourth_kind"
    verbose_name = "A fourth kind of content (test suite only)"
