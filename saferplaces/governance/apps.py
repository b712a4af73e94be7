from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "saferplaces.governance"
    verbose_name = "Board meetings"
