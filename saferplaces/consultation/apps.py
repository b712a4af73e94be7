from django.apps import AppConfig


class ConsultationConfig(AppConfig):
    name = "saferplaces.consultation"
    verbose_name = "Consultation and engagement"
