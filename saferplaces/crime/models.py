"""The crime store: police.uk imports, monthly counts for everywhere, points for the
partnerships' own areas, outcomes, stop and search, and harm weight tables.

National data stays small: every street-level row is counted into CrimeCount by
(force, month, LSOA, crime type, last outcome), but individual points (CrimeRecord) are kept
only for LSOAs inside a partnership's area, where maps, hotspots and repeat locations need them.
"""

from django.conf import settings
from django.db import models
from django.db.models.signals import pre_delete
from django.dispatch import receiver


class ImportKind(models.TextChoices):
    STREET = "street", "Street-level crime"
    OUTCOMES = "outcomes", "Outcomes"
    STOP_SEARCH = "stop_search", "Stop and search"


class CrimeImport(models.Model):
    """One imported (force, month, kind): re-importing replaces it whole."""

    force = models.CharField("reporting force", max_length=100)
    month = models.DateField("month", help_text="First day of the month.")
    kind = models.CharField("kind", max_length=20, choices=ImportKind.choices)
    source_file = models.CharField("source file", max_length=500)
    file_format = models.CharField("file format", max_length=60,
                                   default="police.uk street-level CSV")
    rows_total = models.PositiveIntegerField("rows in file", default=0)
    rows_stored = models.PositiveIntegerField("rows kept as points", default=0)
    rows_without_location = models.PositiveIntegerField("rows without a location", default=0)
    is_simulated = models.BooleanField(
        "simulated", default=False,
        help_text="Generated demonstration data, labelled as such wherever it shows.")
    imported_at = models.DateTimeField("imported", auto_now=True)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, verbose_name="imported by")

    class Meta:
        ordering = ["-month", "force", "kind"]
        verbose_name = "crime data import"
        constraints = [
            models.UniqueConstraint(fields=["force", "month", "kind"],
                                    name="crime_import_force_month_kind_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.force} {self.month:%Y-%m} {self.get_kind_display()}"


class CrimeCount(models.Model):
    """How many street-level crimes (or ASB incidents) in one LSOA, month and type.

    The national store: kept for every row of every street file, so that any area can be
    compared with any other. It is kept narrow because it is the biggest table: no outcome
    (outcomes are in LastOutcomeCount by force, and on the CrimeRecord points for partnership
    areas) and no force column (the import it belongs to names the reporting force)."""

    # The biggest table is written fastest with one index. So the batch has no index of its
    # own and no database constraint (a constraint would make deleting an import scan this
    # table for referencing rows, and PostgreSQL check each new row at commit): an import's
    # counts are written in the transaction that creates it, and deleted with it by
    # delete_counts_with_their_import, through the (month, LSOA) index.
    batch = models.ForeignKey(CrimeImport, on_delete=models.DO_NOTHING, db_constraint=False,
                              db_index=False, related_name="counts", verbose_name="import",
                              help_text="Its force is the force these counts belong to.")
    month = models.DateField("month")
    lsoa_code = models.CharField("LSOA code", max_length=12, blank=True,
                                 help_text="Empty for rows police.uk could not locate.")
    crime_type = models.CharField("crime type", max_length=60)
    count = models.PositiveIntegerField("count")

    class Meta:
        verbose_name = "monthly crime count"
        indexes = [
            # Serves queries naming their months and LSOAs (Scope.counts lists the months),
            # deleting an import (its month, then its batch) and appending a new month.
            models.Index(fields=["month", "lsoa_code"], name="crime_count_month_lsoa"),
        ]

    def __str__(self) -> str:
        where = self.lsoa_code or "(no location)"
        return f"{where} {self.month:%Y-%m} {self.crime_type}: {self.count}"


@receiver(pre_delete, sender=CrimeImport)
def delete_counts_with_their_import(sender, instance: CrimeImport, **kwargs) -> None:
    """CrimeCount.batch has no cascade (see there): delete an import's counts here, found by
    their month through the index, whoever deletes the import (re-import, admin, shell)."""
    CrimeCount.objects.filter(month=instance.month, batch_id=instance.pk).delete()


class LastOutcomeCount(models.Model):
    """Street-level crimes by force, month, type and the last outcome police.uk gives."""

    batch = models.ForeignKey(CrimeImport, on_delete=models.CASCADE,
                              related_name="last_outcome_counts", verbose_name="import")
    force = models.CharField("force (falls within)", max_length=100)
    month = models.DateField("month")
    crime_type = models.CharField("crime type", max_length=60)
    last_outcome = models.CharField("last outcome category", max_length=120, blank=True)
    count = models.PositiveIntegerField("count")

    class Meta:
        verbose_name = "monthly last-outcome count"
        indexes = [models.Index(fields=["force", "month"], name="last_outcome_force_month")]

    def __str__(self) -> str:
        return f"{self.force} {self.month:%Y-%m} {self.crime_type}: {self.count}"


class CrimeRecord(models.Model):
    """A street-level crime or ASB incident in a partnership's area, as police.uk gives it."""

    batch = models.ForeignKey(CrimeImport, on_delete=models.CASCADE, related_name="records",
                              verbose_name="import")
    crime_id = models.CharField("crime ID", max_length=64, blank=True,
                                help_text="Empty for anti-social behaviour.")
    month = models.DateField("month")
    force = models.CharField("force (falls within)", max_length=100)
    longitude = models.FloatField("longitude", null=True, blank=True)
    latitude = models.FloatField("latitude", null=True, blank=True)
    location = models.CharField("location", max_length=200, blank=True)
    lsoa_code = models.CharField("LSOA code", max_length=12, blank=True)
    lsoa_name = models.CharField("LSOA name", max_length=100, blank=True)
    crime_type = models.CharField("crime type", max_length=60)
    last_outcome = models.CharField("last outcome category", max_length=120, blank=True)
    context = models.CharField("context", max_length=500, blank=True)

    class Meta:
        verbose_name = "crime record"
        indexes = [
            models.Index(fields=["lsoa_code", "month"], name="crime_record_lsoa_month"),
            models.Index(fields=["crime_id"], name="crime_record_crime_id"),
        ]

    def __str__(self) -> str:
        return f"{self.crime_type} {self.month:%Y-%m} {self.location}"


class OutcomeRecord(models.Model):
    """An outcome recorded for a crime (a crime can have several over time)."""

    batch = models.ForeignKey(CrimeImport, on_delete=models.CASCADE, related_name="outcomes",
                              verbose_name="import")
    crime_id = models.CharField("crime ID", max_length=64)
    month = models.DateField("month")
    force = models.CharField("force (falls within)", max_length=100)
    lsoa_code = models.CharField("LSOA code", max_length=12, blank=True)
    outcome_type = models.CharField("outcome type", max_length=120)

    class Meta:
        verbose_name = "crime outcome"
        indexes = [
            models.Index(fields=["crime_id"], name="outcome_crime_id"),
            models.Index(fields=["lsoa_code", "month"], name="outcome_lsoa_month"),
        ]

    def __str__(self) -> str:
        return f"{self.crime_id[:12]} {self.month:%Y-%m} {self.outcome_type}"


class OutcomeCount(models.Model):
    """How many outcomes of one type were recorded in an LSOA and month (everywhere)."""

    batch = models.ForeignKey(CrimeImport, on_delete=models.CASCADE,
                              related_name="outcome_counts", verbose_name="import")
    force = models.CharField("force (falls within)", max_length=100)
    month = models.DateField("month")
    lsoa_code = models.CharField("LSOA code", max_length=12, blank=True)
    outcome_type = models.CharField("outcome type", max_length=120)
    count = models.PositiveIntegerField("count")

    class Meta:
        verbose_name = "monthly outcome count"
        indexes = [models.Index(fields=["lsoa_code", "month"], name="outcome_count_lsoa_month")]

    def __str__(self) -> str:
        return f"{self.lsoa_code} {self.month:%Y-%m} {self.outcome_type}: {self.count}"


class StopSearch(models.Model):
    """A stop and search as published by police.uk (no LSOA; location may be missing)."""

    batch = models.ForeignKey(CrimeImport, on_delete=models.CASCADE, related_name="searches",
                              verbose_name="import")
    force = models.CharField("force", max_length=100)
    month = models.DateField("month")
    occurred_at = models.DateTimeField("date and time", null=True, blank=True)
    search_type = models.CharField("type", max_length=60)
    part_of_operation = models.BooleanField("part of a policing operation", null=True)
    operation = models.CharField("policing operation", max_length=200, blank=True)
    latitude = models.FloatField("latitude", null=True, blank=True)
    longitude = models.FloatField("longitude", null=True, blank=True)
    gender = models.CharField("gender", max_length=30, blank=True)
    age_range = models.CharField("age range", max_length=30, blank=True)
    self_defined_ethnicity = models.CharField("self-defined ethnicity", max_length=120,
                                              blank=True)
    officer_defined_ethnicity = models.CharField("officer-defined ethnicity", max_length=60,
                                                 blank=True)
    legislation = models.CharField("legislation", max_length=200, blank=True)
    object_of_search = models.CharField("object of search", max_length=120, blank=True)
    outcome = models.CharField("outcome", max_length=120, blank=True)
    outcome_linked_to_object = models.BooleanField("outcome linked to object of search",
                                                   null=True)
    removal_of_clothing = models.BooleanField("removal of more than outer clothing", null=True)

    class Meta:
        verbose_name = "stop and search"
        verbose_name_plural = "stops and searches"
        indexes = [models.Index(fields=["force", "month"], name="stop_search_force_month")]

    def __str__(self) -> str:
        return f"{self.force} {self.month:%Y-%m} {self.search_type}"


class HarmWeightTable(models.Model):
    """A set of harm weights per police.uk crime type (e.g. CCHI 2020, ONS CSS)."""

    name = models.CharField("name", max_length=100, unique=True)
    description = models.TextField("description", blank=True)
    citation = models.TextField("source and citation", blank=True)
    unit = models.CharField("unit", max_length=60, default="days of imprisonment",
                            help_text="What one unit of weight means.")
    is_default = models.BooleanField("default for harm measures", default=False)
    created_at = models.DateTimeField("loaded", auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "harm weight table"

    def __str__(self) -> str:
        return self.name


class HarmWeight(models.Model):
    table = models.ForeignKey(HarmWeightTable, on_delete=models.CASCADE, related_name="weights",
                              verbose_name="table")
    crime_type = models.CharField("crime type", max_length=60)
    weight = models.FloatField("weight")
    note = models.CharField("how it was derived", max_length=300, blank=True)

    class Meta:
        ordering = ["table", "crime_type"]
        verbose_name = "harm weight"
        constraints = [
            models.UniqueConstraint(fields=["table", "crime_type"], name="harm_weight_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.table}: {self.crime_type} = {self.weight}"
