from django.apps import AppConfig


class PerformanceConfig(AppConfig):
    name = "saferplaces.performance"
    verbose_name = "Performance framework"

    def ready(self) -> None:
        from saferplaces.crime.signals import crime_imported
        from saferplaces.performance.receivers import recompute_after_crime_import

        crime_imported.connect(recompute_after_crime_import,
                               dispatch_uid="performance.recompute_after_crime_import")
