"""The performance framework: indicators tied to the strategy, their values (computed from the
evidence base, submitted by partners and approved, or imported), targets, peer groups, and
board reports frozen as issued."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from saferplaces.areas.models import Area
from saferplaces.partnership.models import (
    Organisation,
    Partnership,
    PartnershipScopedQuerySet,
)
from saferplaces.strategy.models import Aim, Priority


class IndicatorKind(models.TextChoices):
    PERFORMANCE = "performance", "Performance indicator (targeted)"
    CONTEXTUAL = "contextual", "Contextual indicator (monitored, not targeted)"


class Polarity(models.TextChoices):
    HIGHER = "higher", "Higher is better"
    LOWER = "lower", "Lower is better"


class Unit(models.TextChoices):
    COUNT = "count", "Count"
    RATE = "rate", "Rate per 1,000 residents"
    PERCENT = "percent", "Percentage"
    HARM = "harm", "Harm in days of imprisonment"
    SCORE = "score", "Score"
    POUNDS = "pounds", "£"


class Frequency(models.TextChoices):
    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly"
    ANNUAL = "annual", "Annual"


class Source(models.TextChoices):
    COMPUTED = "computed", "Computed from the evidence base"
    SUBMITTED = "submitted", "Submitted by a partner"
    IMPORTED = "imported", "Imported from a file"


class Measure(models.TextChoices):
    COUNT = "count", "Count"
    RATE = "rate", "Rate per 1,000 residents"
    HARM = "harm", "Harm (weighted)"
    REPEAT_LOCATIONS = "repeats", "Repeat locations"


class ToleranceType(models.TextChoices):
    PERCENT = "percent", "Percent of the target"
    ABSOLUTE = "absolute", "Absolute (in the indicator's unit)"


class PeerGroup(models.Model):
    """Areas a partnership compares itself with, e.g. its most similar group of CSPs."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE,
                                    related_name="peer_groups", verbose_name="partnership")
    name = models.CharField("name", max_length=200)
    description = models.TextField("description", blank=True)
    is_illustrative = models.BooleanField(
        "illustrative", default=False,
        help_text="Demonstration peer data, labelled as illustrative wherever shown.")
    history = HistoricalRecords()

    objects = PartnershipScopedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "peer group"
        constraints = [models.UniqueConstraint(fields=["partnership", "name"],
                                               name="peer_group_name_unique")]

    def __str__(self) -> str:
        return self.name


class PeerGroupMember(models.Model):
    group = models.ForeignKey(PeerGroup, on_delete=models.CASCADE, related_name="members",
                              verbose_name="peer group")
    code = models.CharField("area code", max_length=12)
    name = models.CharField("name", max_length=200)

    class Meta:
        ordering = ["name"]
        verbose_name = "peer group member"
        constraints = [models.UniqueConstraint(fields=["group", "code"],
                                               name="peer_member_unique")]

    def __str__(self) -> str:
        return self.name


class IndicatorQuerySet(PartnershipScopedQuerySet):
    def submittable_by(self, user) -> "IndicatorQuerySet":
        """Partner-submitted indicators the user may submit values for: every one in the
        partnerships they administer, and those their organisation owns
        (performance.permissions.can_submit_value for one indicator)."""
        mine = (Q(partnership__in=Partnership.objects.administered_by(user))
                | Q(owner__in=Organisation.objects.represented_by(user)))
        return self.filter(mine, source=Source.SUBMITTED)


class Indicator(models.Model):
    """A measure in the performance framework, evidencing priorities and aims."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE,
                                    related_name="indicators", verbose_name="partnership")
    code = models.CharField("code", max_length=20, help_text="Short reference, e.g. PV1.")
    name = models.CharField("name", max_length=300)
    definition = models.TextField("definition", help_text="Exactly what is counted, and how.")
    kind = models.CharField("kind", max_length=20, choices=IndicatorKind.choices,
                            default=IndicatorKind.PERFORMANCE)
    polarity = models.CharField("polarity", max_length=10, choices=Polarity.choices)
    unit = models.CharField("unit", max_length=10, choices=Unit.choices)
    frequency = models.CharField("frequency", max_length=10, choices=Frequency.choices,
                                 default=Frequency.QUARTERLY)
    owner = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="indicators",
                              verbose_name="owner organisation")
    priorities = models.ManyToManyField(Priority, blank=True, related_name="indicators",
                                        verbose_name="priorities evidenced")
    aims = models.ManyToManyField(Aim, blank=True, related_name="indicators",
                                  verbose_name="aims evidenced")
    source = models.CharField("source", max_length=20, choices=Source.choices)
    # For computed indicators: what to count in the evidence base.
    crime_types = models.JSONField(
        "crime types", default=list, blank=True,
        help_text="police.uk crime types counted (computed indicators); empty means all.")
    measure = models.CharField("measure", max_length=10, choices=Measure.choices, blank=True,
                               help_text="For computed indicators.")
    area = models.ForeignKey(Area, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="indicators", verbose_name="area",
                             help_text="Computed indicators: defaults to the partnership's area.")
    baseline_period = models.CharField("baseline period", max_length=20, blank=True)
    baseline_value = models.FloatField("baseline value", null=True, blank=True)
    tolerance = models.FloatField("RAG tolerance", default=5.0,
                                  help_text="How far from the target still counts as amber.")
    tolerance_type = models.CharField("tolerance in", max_length=10,
                                      choices=ToleranceType.choices,
                                      default=ToleranceType.PERCENT)
    trend_aware = models.BooleanField(
        "trend-aware RAG", default=False,
        help_text="Amber rather than red when outside tolerance but improving on the same "
                  "period last year.")
    peer_group = models.ForeignKey(PeerGroup, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="indicators", verbose_name="peer group")
    is_illustrative = models.BooleanField(
        "illustrative values", default=False,
        help_text="Demonstration values, labelled as illustrative wherever shown.")
    history = HistoricalRecords(m2m_fields=[priorities, aims])

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = "indicator"
        constraints = [
            models.UniqueConstraint(fields=["partnership", "code"], name="indicator_code_unique"),
            models.CheckConstraint(condition=Q(tolerance__gte=0),
                                   name="indicator_tolerance_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        errors = {}
        if self.source == Source.COMPUTED and not self.measure:
            errors["measure"] = ValidationError("A computed indicator needs a measure.",
                                                code="measure_required")
        if self.source != Source.COMPUTED and self.measure:
            errors["measure"] = ValidationError("Only computed indicators have a measure.",
                                                code="measure_not_allowed")
        if (self.baseline_value is None) != (not self.baseline_period):
            errors["baseline_value"] = ValidationError(
                "Give both the baseline period and its value, or neither.",
                code="baseline_incomplete")
        if self.owner_id and self.partnership_id and (
                self.owner.partnership_id != self.partnership_id):
            errors["owner"] = ValidationError("That organisation is not in this partnership.",
                                              code="owner_other_partnership")
        if errors:
            raise ValidationError(errors)


class Horizon(models.TextChoices):
    SHORT = "short", "Short term"
    LONG = "long", "Long term"


class IndicatorPartQuerySet(PartnershipScopedQuerySet):
    """Targets, values and peer values: scoped through their indicator."""

    partnership_field = "indicator__partnership"


class IndicatorTarget(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets",
                                  verbose_name="indicator")
    period = models.CharField("period", max_length=20, help_text="e.g. 2020-Q3 or 2022/23.")
    value = models.FloatField("target")
    horizon = models.CharField("horizon", max_length=10, choices=Horizon.choices,
                               default=Horizon.SHORT)
    history = HistoricalRecords()

    objects = IndicatorPartQuerySet.as_manager()

    class Meta:
        ordering = ["indicator", "period"]
        verbose_name = "indicator target"
        constraints = [models.UniqueConstraint(fields=["indicator", "period"],
                                               name="indicator_target_unique")]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.period}: {self.value:g}"


class ValueStatus(models.TextChoices):
    COMPUTED = "computed", "Computed"
    SUBMITTED = "submitted", "Submitted, awaiting approval"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Returned to the submitter"


COUNTING_STATUSES = (ValueStatus.COMPUTED, ValueStatus.APPROVED)


class IndicatorValue(models.Model):
    """An indicator's value for one period. Submitted values count only once approved."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values",
                                  verbose_name="indicator")
    period = models.CharField("period", max_length=20)
    period_start = models.DateField("period starts")
    period_end = models.DateField("period ends")
    value = models.FloatField("value")
    numerator = models.FloatField("numerator", null=True, blank=True,
                                  help_text="The count behind a rate or percentage.")
    denominator = models.FloatField("denominator", null=True, blank=True,
                                    help_text="Population or total behind a rate or percentage.")
    status = models.CharField("status", max_length=20, choices=ValueStatus.choices)
    commentary = models.TextField("commentary", blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="submitted_values",
                                     verbose_name="submitted by")
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="reviewed_values",
                                    verbose_name="approved or returned by")
    reviewed_at = models.DateTimeField("reviewed", null=True, blank=True)
    review_note = models.TextField("review note", blank=True)
    self_approved = models.BooleanField(
        "approved by its submitter", default=False,
        help_text="Approved by the login that submitted it, as the partnership's self-approval "
                  "setting allows for one-officer partnerships.")
    includes_simulated = models.BooleanField(
        "includes simulated data", default=False,
        help_text="Computed from months that include simulated demonstration data.")
    updated_at = models.DateTimeField("updated", auto_now=True)
    history = HistoricalRecords()

    objects = IndicatorPartQuerySet.as_manager()

    class Meta:
        ordering = ["indicator", "period_start"]
        verbose_name = "indicator value"
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period"],
                                    name="indicator_value_unique"),
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")),
                                   name="indicator_value_period_order"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.period}: {self.value:g} ({self.status})"

    @property
    def counts(self) -> bool:
        return self.status in COUNTING_STATUSES

    def clean(self) -> None:
        if (self.status == ValueStatus.APPROVED and self.submitted_by_id is not None
                and self.reviewed_by_id == self.submitted_by_id and not self.self_approved):
            raise ValidationError(
                {"reviewed_by": ValidationError(
                    "A value approved by its submitter must be marked as self-approved.",
                    code="self_approval_unmarked")})


class PeerValue(models.Model):
    """A peer area's figure for an indicator and period (count and population)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE,
                                  related_name="peer_values", verbose_name="indicator")
    member = models.ForeignKey(PeerGroupMember, on_delete=models.CASCADE,
                               related_name="values", verbose_name="peer")
    period = models.CharField("period", max_length=20)
    count = models.PositiveIntegerField("count")
    population = models.PositiveIntegerField("population")

    objects = IndicatorPartQuerySet.as_manager()

    class Meta:
        ordering = ["indicator", "period", "member"]
        verbose_name = "peer value"
        constraints = [models.UniqueConstraint(fields=["indicator", "member", "period"],
                                               name="peer_value_unique")]

    def __str__(self) -> str:
        return f"{self.member} {self.period}: {self.count}"


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    ISSUED = "issued", "Issued"


class BoardReport(models.Model):
    """A board performance report for a period. Once issued, its figures are frozen: the
    snapshot, HTML and PDF stored here never change when data changes later."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE,
                                    related_name="board_reports", verbose_name="partnership")
    period = models.CharField("period", max_length=20)
    title = models.CharField("title", max_length=300)
    status = models.CharField("status", max_length=10, choices=ReportStatus.choices,
                              default=ReportStatus.DRAFT)
    snapshot = models.JSONField("frozen figures", default=dict)
    html = models.TextField("frozen HTML", blank=True)
    pdf = models.BinaryField("frozen PDF", null=True, blank=True)
    previous = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+", verbose_name="previous issued report")
    issued_at = models.DateTimeField("issued", null=True, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                  null=True, blank=True, verbose_name="issued by")
    created_at = models.DateTimeField("created", auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["pdf", "html", "snapshot"])

    objects = PartnershipScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "board report"
        constraints = [
            models.UniqueConstraint(fields=["partnership", "period"],
                                    condition=Q(status="issued"),
                                    name="board_report_one_issued_per_period"),
        ]

    def __str__(self) -> str:
        return self.title
