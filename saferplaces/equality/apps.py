from django.apps import AppConfig


class EqualityConfig(AppConfig):
    name = "saferplaces.equality"
    verbose_name = "Equality analysis"
