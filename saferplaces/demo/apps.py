from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "saferplaces.demo"
    verbose_name = "Wolverhampton demonstration"
