from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "saferplaces.core"
    verbose_name = "Core"
