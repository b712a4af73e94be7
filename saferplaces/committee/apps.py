from django.apps import AppConfig


class CommitteeConfig(AppConfig):
    name = "saferplaces.committee"
    verbose_name = "Committee reports"
