from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "saferplaces.assessment"
    verbose_name = "Strategic assessment"
