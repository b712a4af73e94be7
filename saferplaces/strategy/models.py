"""Strategies, their priorities and aims, annual action plans, actions and action updates."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from saferplaces.partnership.models import (
    Organisation,
    Partnership,
    PartnershipScopedQuerySet,
    Person,
)
from saferplaces.strategy import action_rules
from saferplaces.strategy.flags import action_flags


class Strand(models.TextChoices):
    """The four strategies CDA 1998 s.6(1) requires the responsible authorities to implement."""

    CRIME_DISORDER = "crime_disorder", "Crime and disorder, including ASB"
    SUBSTANCE_MISUSE = "substance_misuse", "Substance misuse"
    REOFFENDING = "reoffending", "Reoffending"
    SERIOUS_VIOLENCE = "serious_violence", "Serious violence"


class StrategyStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    CONSULTATION = "consultation", "In consultation"
    ADOPTED = "adopted", "Adopted"
    SUPERSEDED = "superseded", "Superseded"


class Strategy(models.Model):
    """A partnership's multi-year community safety strategy."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="strategies",
        verbose_name="partnership",
    )
    title = models.CharField("title", max_length=300)
    start_date = models.DateField("period starts")
    end_date = models.DateField("period ends")
    status = models.CharField(
        "status", max_length=20, choices=StrategyStatus.choices, default=StrategyStatus.DRAFT
    )
    supersedes = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="superseded_by",
        verbose_name="supersedes",
    )
    summary = models.TextField("summary", blank=True)
    history = HistoricalRecords()

    objects = PartnershipScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date"]
        verbose_name = "strategy"
        verbose_name_plural = "strategies"
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gt=F("start_date")), name="strategy_period_order"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def period_label(self) -> str:
        return f"{self.start_date.year}-{self.end_date.year}"

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date <= self.start_date:
            raise ValidationError(
                {"end_date": "The period must end after it starts."}, code="period_order"
            )
        if self.supersedes_id and self.supersedes_id == self.pk:
            raise ValidationError(
                {"supersedes": "A strategy cannot supersede itself."}, code="self_supersede"
            )
        if self.supersedes_id and self.supersedes.partnership_id != self.partnership_id:
            raise ValidationError(
                {"supersedes": "That strategy belongs to another partnership."},
                code="supersedes_other_partnership",
            )

    def uncovered_strands(self) -> list[str]:
        """Labels of the CDA s.6 strands that no priority of this strategy covers."""
        covered: set[str] = set()
        for priority in self.priorities.all():
            covered.update(priority.strands or [])
        return [label for value, label in Strand.choices if value not in covered]


class LinkedStrategy(models.Model):
    """Another strategy or plan the partnership works to, e.g. a sub-regional one."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="linked_strategies",
        verbose_name="partnership",
    )
    title = models.CharField("title", max_length=300)
    owner = models.CharField(
        "owned by", max_length=300, blank=True,
        help_text="Who leads it, e.g. 'Black Country CSPs (Dudley, Sandwell, Walsall, "
        "Wolverhampton)'.",
    )
    description = models.TextField("description", blank=True)
    url = models.URLField("web address", blank=True)
    history = HistoricalRecords()

    objects = PartnershipScopedQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name = "linked strategy or plan"
        verbose_name_plural = "linked strategies and plans"
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "title"], name="linked_strategy_title_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class PriorityQuerySet(PartnershipScopedQuerySet):
    partnership_field = "strategy__partnership"


class Priority(models.Model):
    """An overarching priority of a strategy."""

    strategy = models.ForeignKey(
        Strategy, on_delete=models.CASCADE, related_name="priorities", verbose_name="strategy"
    )
    number = models.PositiveSmallIntegerField("number", help_text="Order within the strategy.")
    title = models.CharField("title", max_length=200)
    description = models.TextField("description", blank=True)
    strands = models.JSONField(
        "CDA s.6 strands covered", default=list, blank=True,
        help_text="Which of the four statutory strands this priority covers.",
    )
    linked_strategies = models.ManyToManyField(
        LinkedStrategy, blank=True, related_name="priorities",
        verbose_name="linked strategies and plans",
    )
    history = HistoricalRecords(m2m_fields=[linked_strategies])

    objects = PriorityQuerySet.as_manager()

    class Meta:
        ordering = ["strategy", "number"]
        verbose_name = "priority"
        verbose_name_plural = "priorities"
        constraints = [
            models.UniqueConstraint(fields=["strategy", "number"], name="priority_number_unique"),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        unknown = set(self.strands or []) - set(Strand.values)
        if unknown:
            raise ValidationError(
                {"strands": f"Unknown strand(s): {', '.join(sorted(unknown))}."},
                code="unknown_strand",
            )

    def strand_labels(self) -> list[str]:
        labels = dict(Strand.choices)
        return [labels[s] for s in self.strands or [] if s in labels]


class AimQuerySet(PartnershipScopedQuerySet):
    partnership_field = "priority__strategy__partnership"


class Aim(models.Model):
    """What the partnership aims to achieve under a priority."""

    priority = models.ForeignKey(
        Priority, on_delete=models.CASCADE, related_name="aims", verbose_name="priority"
    )
    number = models.PositiveSmallIntegerField("number", help_text="Order within the priority.")
    text = models.CharField("aim", max_length=400)
    history = HistoricalRecords()

    objects = AimQuerySet.as_manager()

    class Meta:
        ordering = ["priority__number", "number"]
        verbose_name = "aim"
        constraints = [
            models.UniqueConstraint(fields=["priority", "number"], name="aim_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text}"

    @property
    def code(self) -> str:
        """Short reference such as '2.3' (priority 2, aim 3), used in CSV files."""
        return f"{self.priority.number}.{self.number}"


def year_label(year: int) -> str:
    """A financial year as written in plans: 2020 -> '2020/21'."""
    return f"{year}/{(year + 1) % 100:02d}"


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    ACTIVE = "active", "Active"
    CLOSED = "closed", "Closed"


class ActionPlanQuerySet(PartnershipScopedQuerySet):
    partnership_field = "strategy__partnership"

    def current(self, today: datetime.date) -> "ActionPlan | None":
        """The plan people work on at `today` (the partnership's clock, core/clock.py): the
        adopted (active or closed, never draft) plan whose year contains it, else the latest
        active plan, else the latest closed one."""
        plans = self.exclude(status=PlanStatus.DRAFT).select_related("strategy").order_by(
            "-year")
        return (plans.filter(start_date__lte=today, end_date__gte=today).first()
                or plans.filter(status=PlanStatus.ACTIVE).first() or plans.first())


class ActionPlan(models.Model):
    """The annual action plan that delivers a strategy in one financial year."""

    strategy = models.ForeignKey(
        Strategy, on_delete=models.CASCADE, related_name="action_plans", verbose_name="strategy"
    )
    year = models.PositiveSmallIntegerField(
        "year", help_text="The year the plan starts in: 2020 for 2020/21."
    )
    start_date = models.DateField("starts")
    end_date = models.DateField("ends")
    status = models.CharField(
        "status", max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    previous = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="next",
        verbose_name="rolled forward from",
    )
    is_illustrative = models.BooleanField(
        "illustrative", default=False,
        help_text="Example content (such as the demo's), labelled as illustrative wherever shown.",
    )
    history = HistoricalRecords()

    objects = ActionPlanQuerySet.as_manager()

    class Meta:
        ordering = ["strategy", "-year"]
        verbose_name = "action plan"
        constraints = [
            models.UniqueConstraint(fields=["strategy", "year"], name="action_plan_year_unique"),
            models.CheckConstraint(
                condition=Q(end_date__gt=F("start_date")), name="action_plan_period_order"
            ),
        ]

    def __str__(self) -> str:
        return f"Action plan {self.year_label}"

    @property
    def year_label(self) -> str:
        return year_label(self.year)

    @property
    def next_year_label(self) -> str:
        return year_label(self.year + 1)

    @property
    def partnership(self) -> Partnership:
        return self.strategy.partnership

    def has_ended(self, today: datetime.date) -> bool:
        """True once the plan's year is over: its unfinished actions were not completed in it."""
        return self.end_date < today

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date <= self.start_date:
            raise ValidationError(
                {"end_date": "The plan must end after it starts."}, code="period_order"
            )


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    ON_TRACK = "on_track", "On track"
    AT_RISK = "at_risk", "At risk"
    OFF_TRACK = "off_track", "Off track"
    COMPLETE = "complete", "Complete"
    CANCELLED = "cancelled", "Cancelled"


CLOSED_STATUSES = (ActionStatus.COMPLETE, ActionStatus.CANCELLED)


class ActionQuerySet(PartnershipScopedQuerySet):
    partnership_field = "plan__strategy__partnership"

    def editable_by(self, user) -> "ActionQuerySet":
        """Actions of partnerships the user administers, and those their organisation leads
        (strategy.permissions.can_edit_action for one action)."""
        led = self.filter(lead_organisation__in=Organisation.objects.represented_by(user))
        return super().editable_by(user) | led

    def updatable_by(self, user) -> "ActionQuerySet":
        """Actions the user may post progress updates on: those they may edit, and those
        their organisation partners (strategy.permissions.can_post_update for one action)."""
        partnered = self.model.objects.filter(
            partner_organisations__in=Organisation.objects.represented_by(user))
        return self.editable_by(user) | self.filter(pk__in=partnered.values("pk"))

    def open(self) -> "ActionQuerySet":
        return self.exclude(status__in=CLOSED_STATUSES)

    def running(self, today: datetime.date) -> "ActionQuerySet":
        """Open actions of plans whose year has not ended at `today`."""
        return self.open().filter(plan__end_date__gte=today)

    def overdue(self, today: datetime.date) -> "ActionQuerySet":
        """Open actions past their due date in a plan still running (see strategy/flags.py)."""
        return self.running(today).filter(due_date__lt=today)

    def stale(self, days: int, today: datetime.date) -> "ActionQuerySet":
        """Open actions of a running plan never updated, or not updated for over `days`."""
        cutoff = today - datetime.timedelta(days=days)
        return self.running(today).filter(
            Q(last_update_date__lt=cutoff) | Q(last_update_date__isnull=True))


class Action(models.Model):
    """One thing a partner organisation has committed to do in an annual action plan."""

    plan = models.ForeignKey(
        ActionPlan, on_delete=models.CASCADE, related_name="actions", verbose_name="action plan"
    )
    reference = models.CharField(
        "reference", max_length=30, help_text="Unique within the plan, e.g. RO-01."
    )
    title = models.CharField("title", max_length=300)
    description = models.TextField("description", blank=True)
    aims = models.ManyToManyField(Aim, related_name="actions", verbose_name="aims")
    lead_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="led_actions",
        verbose_name="lead organisation",
    )
    partner_organisations = models.ManyToManyField(
        Organisation, blank=True, related_name="partnered_actions",
        verbose_name="partner organisations",
    )
    lead_officer = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="led_actions",
        verbose_name="lead officer",
    )
    start_date = models.DateField("start date", null=True, blank=True)
    due_date = models.DateField("due date")
    status = models.CharField(
        "status", max_length=20, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED
    )
    progress = models.PositiveSmallIntegerField("progress (%)", default=0)
    previous_version = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="next_version",
        verbose_name="previous year's version",
    )
    last_update_date = models.DateField("last update", null=True, blank=True, editable=False)
    created_at = models.DateTimeField("created", auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[aims, partner_organisations])

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "reference"]
        verbose_name = "action"
        constraints = [
            models.UniqueConstraint(fields=["plan", "reference"], name="action_reference_unique"),
            models.CheckConstraint(condition=Q(progress__lte=100), name="action_progress_max"),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True) | Q(due_date__gte=F("start_date")),
                name="action_dates_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def clean(self) -> None:
        errors = {}
        if message := action_rules.progress_error(self.progress):
            errors["progress"] = ValidationError(message, code="progress_range")
        if message := action_rules.dates_error(self.start_date, self.due_date):
            errors["due_date"] = ValidationError(message, code="dates_order")
        if self.lead_organisation_id and self.plan_id and (
            self.lead_organisation.partnership_id != self.plan.strategy.partnership_id
        ):
            errors["lead_organisation"] = ValidationError(
                "That organisation is not in this partnership.",
                code="organisation_other_partnership")
        if errors:
            raise ValidationError(errors)

    @property
    def is_open(self) -> bool:
        return self.status not in CLOSED_STATUSES

    def is_overdue(self, today: datetime.date) -> bool:
        return any(flag.kind == "overdue" for flag in action_flags(self, today, 0))

    def is_stale(self, days: int, today: datetime.date) -> bool:
        return any(flag.kind == "stale" for flag in action_flags(self, today, days))


class ActionUpdateQuerySet(PartnershipScopedQuerySet):
    partnership_field = "action__plan__strategy__partnership"


class ActionUpdate(models.Model):
    """A progress report on an action: its status on a date, with a narrative."""

    action = models.ForeignKey(
        Action, on_delete=models.CASCADE, related_name="updates", verbose_name="action"
    )
    date = models.DateField("date", default=datetime.date.today)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="action_updates",
        verbose_name="author",
    )
    status = models.CharField("status", max_length=20, choices=ActionStatus.choices)
    progress = models.PositiveSmallIntegerField("progress (%)", null=True, blank=True)
    narrative = models.TextField("what has happened")
    created_at = models.DateTimeField("recorded", auto_now_add=True)
    history = HistoricalRecords()

    objects = ActionUpdateQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-created_at"]
        verbose_name = "action update"
        get_latest_by = ["date", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__isnull=True) | Q(progress__lte=100),
                name="action_update_progress_max",
            ),
        ]

    def __str__(self) -> str:
        return f"Update on {self.action.reference}, {self.date:%d %b %Y}"
