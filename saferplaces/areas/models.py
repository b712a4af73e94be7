"""Geography: areas at every level, their boundaries by vintage, lookups between levels,
population and deprivation.

Areas are identified by (level, code, vintage): the same LSOA code can exist in the 2011 and the
2021 LSOA sets, and wards are redrawn (Wolverhampton's changed in 2023), so an area carries the
dates it was valid for.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q


class AreaLevel(models.TextChoices):
    LSOA = "lsoa", "LSOA"
    MSOA = "msoa", "MSOA"
    WARD = "ward", "Ward"
    LAD = "lad", "Local authority district"
    CSP = "csp", "Community Safety Partnership area"
    PFA = "pfa", "Police force area"
    COUNTRY = "country", "Country"


class AreaQuerySet(models.QuerySet):
    def valid_on(self, day: datetime.date) -> "AreaQuerySet":
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )


class Area(models.Model):
    """A statistical or administrative area of one vintage, with an optional boundary."""

    level = models.CharField("level", max_length=10, choices=AreaLevel.choices)
    code = models.CharField("code", max_length=12, help_text="ONS GSS code, e.g. E01010410.")
    name = models.CharField("name", max_length=200)
    vintage = models.CharField(
        "vintage", max_length=20,
        help_text="Which edition of the geography, e.g. 2011 or 2021 for LSOAs, 2023 for wards.",
    )
    valid_from = models.DateField("valid from", null=True, blank=True)
    valid_to = models.DateField("valid to", null=True, blank=True)
    boundary = models.JSONField(
        "boundary", null=True, blank=True,
        help_text="GeoJSON geometry in WGS84 longitude/latitude.",
    )
    centroid_lon = models.FloatField("centroid longitude", null=True, blank=True)
    centroid_lat = models.FloatField("centroid latitude", null=True, blank=True)
    source = models.CharField("source", max_length=300, blank=True)

    objects = AreaQuerySet.as_manager()

    class Meta:
        ordering = ["level", "name"]
        verbose_name = "area"
        constraints = [
            models.UniqueConstraint(fields=["level", "code", "vintage"],
                                    name="area_level_code_vintage_unique"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_from__isnull=True)
                | Q(valid_to__gte=F("valid_from")),
                name="area_validity_order",
            ),
        ]
        indexes = [models.Index(fields=["code"], name="area_code_idx")]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def clean(self) -> None:
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": "An area cannot stop being valid before it "
                                               "starts."}, code="validity_order")


class AreaLink(models.Model):
    """A lookup row: `child` lies in `parent` (LSOA → ward, LAD → CSP, CSP → force...)."""

    child = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="parent_links",
                              verbose_name="child area")
    parent = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="child_links",
                               verbose_name="parent area")
    vintage = models.CharField("lookup vintage", max_length=40,
                               help_text="Which lookup this row comes from, e.g. 'LSOA11-WD23 "
                               "best fit by centroid'.")
    method = models.CharField("method", max_length=100, blank=True,
                              help_text="How the lookup was made: official, best fit, "
                              "centroid...")
    source = models.CharField("source", max_length=300, blank=True)

    class Meta:
        verbose_name = "area lookup"
        constraints = [
            models.UniqueConstraint(fields=["child", "parent", "vintage"],
                                    name="area_link_unique"),
        ]
        indexes = [models.Index(fields=["parent", "vintage"], name="area_link_parent_idx")]

    def __str__(self) -> str:
        return f"{self.child.code} → {self.parent.code} ({self.vintage})"


class Population(models.Model):
    """Residents of an area in a year, from a named source."""

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="populations",
                             verbose_name="area")
    year = models.PositiveSmallIntegerField("year")
    value = models.PositiveIntegerField("residents")
    source = models.CharField("source", max_length=200,
                              help_text="e.g. 'Census 2021 TS001 usual residents'.")

    class Meta:
        ordering = ["area", "-year"]
        verbose_name = "population"
        constraints = [
            models.UniqueConstraint(fields=["area", "year", "source"],
                                    name="population_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.area.code} {self.year}: {self.value:,}"


class Deprivation(models.Model):
    """An Index of Multiple Deprivation figure for an area: overall IMD or one domain."""

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="deprivation",
                             verbose_name="area")
    edition = models.CharField("edition", max_length=20, help_text="e.g. IMD 2019.")
    domain = models.CharField("domain", max_length=40,
                              help_text="imd, income, employment, education, health, crime, "
                              "housing, living_environment...")
    rank = models.PositiveIntegerField("rank", null=True, blank=True,
                                       help_text="1 is the most deprived.")
    decile = models.PositiveSmallIntegerField("decile", null=True, blank=True,
                                              help_text="1 is the most deprived 10%.")
    score = models.FloatField("score", null=True, blank=True)
    source = models.CharField("source", max_length=300, blank=True)

    class Meta:
        verbose_name = "deprivation figure"
        constraints = [
            models.UniqueConstraint(fields=["area", "edition", "domain"],
                                    name="deprivation_unique"),
            models.CheckConstraint(condition=Q(decile__isnull=True)
                                   | Q(decile__gte=1, decile__lte=10),
                                   name="deprivation_decile_range"),
        ]

    def __str__(self) -> str:
        return f"{self.area.code} {self.edition} {self.domain}"
