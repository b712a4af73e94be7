from django.apps import AppConfig


class CrimeConfig(AppConfig):
    name = "saferplaces.crime"
    verbose_name = "Crime data"
