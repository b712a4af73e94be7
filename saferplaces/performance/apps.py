from django.apps import AppConfig


class PerformanceConfig(AppConfig):
    name = "saferplaces.performance"
    verbose_name = "Performance framework"
