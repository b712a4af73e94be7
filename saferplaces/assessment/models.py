"""The annual strategic assessment: one row per version, its sections' narratives, and the
frozen snapshot, HTML, PDF and Word document of a published version.

Figures are never stored for a draft: they are rebuilt from the data each time it is shown
(assessment/report.py). Publishing freezes figures and narrative together; a later change is
a new draft version copied from the published one (``services.new_version``)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from saferplaces.areas.models import Area
from saferplaces.core import periods
from saferplaces.partnership.models import Partnership, PartnershipScopedQuerySet

#: The crime types of a serious-violence definition until the partnership picks its own.
DEFAULT_SERIOUS_VIOLENCE = ["Possession of weapons", "Robbery", "Violence and sexual offences"]


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class SectionKey(models.TextChoices):
    """The sections of every assessment, in document order."""

    LEVELS = "levels", "Levels and patterns"
    PLACES = "places", "Places"
    OUTCOMES = "outcomes", "Outcomes and stop and search"
    SERIOUS_VIOLENCE = "serious_violence", "Serious violence"
    COMMUNITY = "community", "Community views"
    DELIVERY = "delivery", "Delivery of the previous plan"
    PERFORMANCE = "performance", "Performance"
    PRIORITIES = "priorities", "Recommended priorities"


class AssessmentQuerySet(PartnershipScopedQuerySet):
    def for_period(self, code: str) -> "AssessmentQuerySet":
        return self.filter(period=code)


class SectionQuerySet(PartnershipScopedQuerySet):
    partnership_field = "assessment__partnership"


class Assessment(models.Model):
    """One version of a partnership's strategic assessment for a period."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE,
                                    related_name="assessments", verbose_name="partnership")
    period = models.CharField(
        "period", max_length=20,
        help_text="A financial year such as 2019/20 (April 2019 to March 2020), or any period "
                  "core/periods.py reads.")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="+", verbose_name="area",
                             help_text="The partnership's area when the assessment was made.")
    title = models.CharField("title", max_length=300)
    version = models.PositiveSmallIntegerField("version", default=1)
    status = models.CharField("status", max_length=10, choices=AssessmentStatus.choices,
                              default=AssessmentStatus.DRAFT)
    serious_violence_types = models.JSONField(
        "serious violence crime types", default=list, blank=True,
        help_text="The local definition of serious violence: the police.uk crime types it "
                  "covers.")
    workshop = models.ForeignKey(
        "workshop.Workshop", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="assessments", verbose_name="priority-setting workshop",
        help_text="The workshop whose ranking fills the recommended priorities section.")
    previous = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+", verbose_name="previous version")
    snapshot = models.JSONField("frozen figures and narrative", default=dict, blank=True)
    html = models.TextField("frozen HTML", blank=True)
    pdf = models.BinaryField("frozen PDF", null=True, blank=True)
    docx = models.BinaryField("frozen Word document", null=True, blank=True)
    created_at = models.DateTimeField("created", auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+",
                                   verbose_name="created by")
    published_at = models.DateTimeField("published", null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="+",
                                     verbose_name="published by")
    is_illustrative = models.BooleanField(
        "illustrative", default=False,
        help_text="Example narrative (such as the demo's), labelled as illustrative.")
    history = HistoricalRecords(excluded_fields=["snapshot", "html", "pdf", "docx"])

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-period", "-version"]
        verbose_name = "strategic assessment"
        constraints = [
            models.UniqueConstraint(fields=["partnership", "period", "version"],
                                    name="assessment_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.title} (version {self.version})"

    @property
    def is_published(self) -> bool:
        return self.status == AssessmentStatus.PUBLISHED

    @property
    def period_value(self) -> periods.Period:
        return periods.parse_period(self.period)

    def clean(self) -> None:
        try:
            periods.parse_period(self.period)
        except periods.PeriodError as exc:
            raise ValidationError({"period": str(exc)}, code="bad_period") from exc


class AssessmentSection(models.Model):
    """The editable narrative of one section of one assessment version."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE,
                                   related_name="sections", verbose_name="assessment")
    key = models.CharField("section", max_length=30, choices=SectionKey.choices)
    narrative = models.TextField(
        "narrative", blank=True,
        help_text="What the figures mean for the partnership. Blank lines start new "
                  "paragraphs.")
    history = HistoricalRecords()

    objects = SectionQuerySet.as_manager()

    class Meta:
        verbose_name = "assessment section"
        constraints = [
            models.UniqueConstraint(fields=["assessment", "key"],
                                    name="assessment_section_unique"),
        ]

    def __str__(self) -> str:
        return self.get_key_display()
