from django.apps import AppConfig


class GrantsConfig(AppConfig):
    name = "saferplaces.grants"
    verbose_name = "Grants"
