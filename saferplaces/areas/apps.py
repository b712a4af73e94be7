from django.apps import AppConfig


class AreasConfig(AppConfig):
    name = "saferplaces.areas"
    verbose_name = "Geography"
