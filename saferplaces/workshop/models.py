"""The priority-setting workshop (a MoRiLE-style scoring matrix): a workshop of a partnership
for a financial year, its criteria (each with a scale, a weight and guidance), the candidate
topics, the scorers, and one score per scorer, candidate and criterion.

Results are computed by `workshop.results` from these rows; nothing here aggregates.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from saferplaces.core.periods import PeriodError, parse_period
from saferplaces.partnership.models import Partnership, PartnershipScopedQuerySet, Person

# Scales run within these bounds, so a score fits a small integer and a page stays readable.
SCALE_FLOOR = 0
SCALE_CEILING = 10

# The criteria a new workshop starts with (name, guidance); every one on a 1-5 scale, weight 1.
DEFAULT_CRITERIA: list[tuple[str, str]] = [
    ("Physical harm", "How much physical harm does this cause to victims? "
     "1 = little or none, 5 = serious injury or death."),
    ("Psychological harm", "How much fear, distress or trauma does it cause? "
     "1 = little, 5 = severe and lasting."),
    ("Financial harm", "What does it cost victims, businesses and services? "
     "1 = little, 5 = very high."),
    ("Community harm", "How much does it damage trust, cohesion or the use of public space? "
     "1 = little, 5 = very high."),
    ("Volume and trend", "How common is it, and is it rising? "
     "1 = rare and falling, 5 = common and rising significantly."),
    ("Victim vulnerability", "How vulnerable are the people it affects (children, older "
     "people, people with care needs)? 1 = not especially, 5 = highly vulnerable."),
    ("Public concern", "How strongly do residents raise it (consultation, PACT meetings, "
     "complaints)? 1 = rarely, 5 = a leading concern."),
    ("Partnership capacity", "Can the partnership add value here beyond what one agency "
     "already does? 1 = little, 5 = a great deal."),
    ("Confidence in the evidence", "How sure are we of the figures behind this topic? "
     "1 = very unsure, 5 = well evidenced."),
]


class WorkshopStatus(models.TextChoices):
    PLANNING = "planning", "Planning"
    SCORING = "scoring", "Scoring open"
    CLOSED = "closed", "Scoring closed"


class ScoreSource(models.TextChoices):
    WEB = "web", "Web form"
    PAPER = "paper", "Paper sheet"


def validate_financial_year(text: str) -> None:
    """A workshop's year is a financial year written as core.periods reads it, e.g. 2019/20."""
    try:
        period = parse_period(text)
    except PeriodError as error:
        raise ValidationError(str(error), code="year_unreadable") from error
    if period.kind != "financial_year":
        raise ValidationError("Give a financial year, e.g. 2019/20.", code="year_not_financial")


class Workshop(models.Model):
    """A priority-setting workshop of a partnership, scoring topics for a financial year."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="workshops",
        verbose_name="partnership",
    )
    year = models.CharField(
        "financial year", max_length=7, validators=[validate_financial_year],
        help_text="The financial year whose evidence the workshop weighs, e.g. 2019/20.",
    )
    title = models.CharField("title", max_length=300)
    date = models.DateField("date held")
    facilitator = models.CharField("facilitator", max_length=200, blank=True)
    status = models.CharField(
        "status", max_length=20, choices=WorkshopStatus.choices, default=WorkshopStatus.PLANNING
    )
    notes = models.TextField("notes", blank=True)
    is_illustrative = models.BooleanField(
        "illustrative", default=False,
        help_text="Demonstration content: pages say its scorers and scores are illustrative.",
    )
    draft_strategy = models.ForeignKey(
        "strategy.Strategy", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="workshops", verbose_name="draft strategy created",
        help_text="The draft strategy this workshop's chosen priorities created.",
    )
    history = HistoricalRecords()

    objects = PartnershipScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "title"]
        verbose_name = "workshop"

    def __str__(self) -> str:
        return self.title

    @property
    def period(self):
        """The financial year as a core.periods.Period."""
        return parse_period(self.year)

    def add_default_criteria(self) -> None:
        """Give a new workshop the default criteria (idempotent: existing names are kept)."""
        existing = set(self.criteria.values_list("name", flat=True))
        for number, (name, guidance) in enumerate(DEFAULT_CRITERIA, start=1):
            if name not in existing:
                Criterion.objects.create(workshop=self, name=name, guidance=guidance,
                                         order=number)


class WorkshopScopedQuerySet(PartnershipScopedQuerySet):
    partnership_field = "workshop__partnership"


class Criterion(models.Model):
    """A criterion candidates are scored against, on a scale, with a weight."""

    workshop = models.ForeignKey(
        Workshop, on_delete=models.CASCADE, related_name="criteria", verbose_name="workshop"
    )
    name = models.CharField("criterion", max_length=200)
    scale_min = models.SmallIntegerField("lowest score", default=1)
    scale_max = models.SmallIntegerField("highest score", default=5)
    weight = models.DecimalField(
        "weight", max_digits=5, decimal_places=2, default=1,
        help_text="How much this criterion counts against the others (0 leaves it out).",
    )
    guidance = models.TextField("guidance for scorers", blank=True)
    order = models.PositiveSmallIntegerField("order", default=0)
    history = HistoricalRecords()

    objects = WorkshopScopedQuerySet.as_manager()

    class Meta:
        ordering = ["workshop", "order", "name"]
        verbose_name = "criterion"
        verbose_name_plural = "criteria"
        constraints = [
            models.UniqueConstraint(fields=["workshop", "name"], name="criterion_name_unique"),
            models.CheckConstraint(
                condition=Q(scale_min__gte=SCALE_FLOOR, scale_max__lte=SCALE_CEILING,
                            scale_max__gt=F("scale_min")),
                name="criterion_scale_order",
            ),
            models.CheckConstraint(condition=Q(weight__gte=0), name="criterion_weight_positive"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors = {}
        if self.scale_min is not None and self.scale_min < SCALE_FLOOR:
            errors["scale_min"] = f"The lowest score must be {SCALE_FLOOR} or more."
        if self.scale_max is not None and self.scale_max > SCALE_CEILING:
            errors["scale_max"] = f"The highest score must be {SCALE_CEILING} or less."
        elif (self.scale_min is not None and self.scale_max is not None
              and self.scale_max <= self.scale_min):
            errors["scale_max"] = "The highest score must be above the lowest."
        if self.weight is not None and self.weight < 0:
            errors["weight"] = "A weight cannot be negative."
        if not errors and self.pk and self._scale_changed() and self.scores.exists():
            errors["scale_max"] = ("Scores have been entered on this scale; it can no longer "
                                   "change (change the weight instead).")
        if errors:
            raise ValidationError(errors, code="criterion_scale")

    def _scale_changed(self) -> bool:
        stored = Criterion.objects.filter(pk=self.pk).values("scale_min", "scale_max").first()
        return stored != {"scale_min": self.scale_min, "scale_max": self.scale_max}

    @property
    def scale_values(self) -> list[int]:
        return list(range(self.scale_min, self.scale_max + 1))


class CandidateTopic(models.Model):
    """A topic the workshop considers as a priority."""

    workshop = models.ForeignKey(
        Workshop, on_delete=models.CASCADE, related_name="candidates", verbose_name="workshop"
    )
    name = models.CharField("topic", max_length=200)
    description = models.TextField("description", blank=True)
    crime_types = models.JSONField(
        "crime types it covers", default=list, blank=True,
        help_text="police.uk crime types (as the street files name them), for its evidence.",
    )
    consultation_themes = models.JSONField(
        "consultation themes it matches", default=list, blank=True,
        help_text="Names of consultation themes; responses tagged with them count as raising it.",
    )
    chosen = models.BooleanField("chosen as a priority", default=False)
    history = HistoricalRecords()

    objects = WorkshopScopedQuerySet.as_manager()

    class Meta:
        ordering = ["workshop", "name"]
        verbose_name = "candidate topic"
        constraints = [
            models.UniqueConstraint(fields=["workshop", "name"], name="candidate_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Scorer(models.Model):
    """Someone who scores: a board member or a named partner, with a login or not."""

    workshop = models.ForeignKey(
        Workshop, on_delete=models.CASCADE, related_name="scorers", verbose_name="workshop"
    )
    name = models.CharField("name", max_length=200)
    represents = models.CharField(
        "organisation or role", max_length=200, blank=True,
        help_text="e.g. 'West Midlands Police' or 'Resident representative'.",
    )
    person = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name="person", help_text="The board member or partner in the register, if any.",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="workshop_scorers", verbose_name="login",
        help_text="A scorer with a login scores on the web form as themselves only.",
    )
    history = HistoricalRecords()

    objects = WorkshopScopedQuerySet.as_manager()

    class Meta:
        ordering = ["workshop", "name"]
        verbose_name = "scorer"
        constraints = [
            models.UniqueConstraint(fields=["workshop", "name"], name="scorer_name_unique"),
            models.UniqueConstraint(fields=["workshop", "user"], name="scorer_user_unique",
                                    condition=Q(user__isnull=False)),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.person_id and self.person.partnership_id != self.workshop.partnership_id:
            raise ValidationError({"person": "That person belongs to another partnership."},
                                  code="person_other_partnership")


class ScoreQuerySet(PartnershipScopedQuerySet):
    partnership_field = "scorer__workshop__partnership"


class Score(models.Model):
    """One scorer's score of one candidate against one criterion.

    The criterion's scale is copied onto the score when it is saved so the database itself
    checks the value lies within it (a CHECK constraint cannot read another table); a
    criterion's scale is frozen once it has scores (Criterion.clean).
    """

    scorer = models.ForeignKey(
        Scorer, on_delete=models.CASCADE, related_name="scores", verbose_name="scorer"
    )
    candidate = models.ForeignKey(
        CandidateTopic, on_delete=models.CASCADE, related_name="scores", verbose_name="candidate"
    )
    criterion = models.ForeignKey(
        Criterion, on_delete=models.CASCADE, related_name="scores", verbose_name="criterion"
    )
    value = models.SmallIntegerField("score")
    scale_min = models.SmallIntegerField("lowest score of the scale", editable=False)
    scale_max = models.SmallIntegerField("highest score of the scale", editable=False)
    source = models.CharField(
        "entered from", max_length=10, choices=ScoreSource.choices, default=ScoreSource.WEB
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name="entered by",
    )
    entered_at = models.DateTimeField("entered at", auto_now=True)
    history = HistoricalRecords()

    objects = ScoreQuerySet.as_manager()

    class Meta:
        ordering = ["scorer", "candidate", "criterion"]
        verbose_name = "score"
        constraints = [
            models.UniqueConstraint(fields=["scorer", "candidate", "criterion"],
                                    name="score_unique_per_scorer"),
            models.CheckConstraint(
                condition=Q(value__gte=F("scale_min"), value__lte=F("scale_max")),
                name="score_within_scale",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scorer} · {self.candidate} · {self.criterion}: {self.value}"

    def save(self, *args, **kwargs) -> None:
        self.scale_min = self.criterion.scale_min
        self.scale_max = self.criterion.scale_max
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if self.criterion_id:
            # So that full_clean's check of score_within_scale compares the right scale.
            self.scale_min, self.scale_max = self.criterion.scale_min, self.criterion.scale_max
        if self.criterion_id and self.value is not None:
            low, high = self.criterion.scale_min, self.criterion.scale_max
            if not low <= self.value <= high:
                raise ValidationError(
                    {"value": f"Score {self.criterion.name} from {low} to {high}."},
                    code="score_out_of_scale",
                )
        if not (self.scorer_id and self.candidate_id and self.criterion_id):
            return
        workshops = {self.scorer.workshop_id, self.candidate.workshop_id,
                     self.criterion.workshop_id}
        if len(workshops) != 1:
            raise ValidationError("Scorer, candidate and criterion must share a workshop.",
                                  code="score_other_workshop")
