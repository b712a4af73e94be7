from django.apps import AppConfig


class WorkshopConfig(AppConfig):
    name = "saferplaces.workshop"
    verbose_name = "Priority-setting workshop"
