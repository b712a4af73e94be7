from django.apps import AppConfig


class StrategyConfig(AppConfig):
    name = "saferplaces.strategy"
    verbose_name = "Strategies and action plans"
