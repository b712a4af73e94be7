from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "saferplaces.jobs"
    verbose_name = "Background jobs"
