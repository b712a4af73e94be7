from django.apps import AppConfig


class PartnershipConfig(AppConfig):
    name = "saferplaces.partnership"
    verbose_name = "Partnerships"
