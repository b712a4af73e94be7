"""Grants: money a funder gives the partnership, what it is allocated to and what is spent.

Money is stored as exact decimals (pennies, never floats). The sum of a grant's allocations
can never exceed the grant, and the spend against an allocation can never exceed the
allocation: the forms say so next to the field, and database triggers (migration
0002_money_triggers) refuse any write that gets past the forms, on SQLite and PostgreSQL.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from saferplaces.partnership.models import Partnership, PartnershipScopedQuerySet
from saferplaces.strategy.models import Action, year_label

MONEY = {"max_digits": 12, "decimal_places": 2}

#: The database triggers raise errors whose message starts with these names, so a write the
#: forms did not catch (two people allocating at once) becomes a clear form error.
OVER_ALLOCATED = "grant_over_allocated"
OVERSPENT = "allocation_overspent"


class GrantQuerySet(PartnershipScopedQuerySet):
    """Administrators and organisation officers change grants (grants.permissions)."""

    def editable_by(self, user) -> GrantQuerySet:
        return self.in_partnerships(Partnership.objects.staffed_by(user))


class Grant(models.Model):
    """A grant to the partnership for one financial year, e.g. the Police and Crime
    Commissioner's community safety grant."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="grants", verbose_name="partnership")
    title = models.CharField("title", max_length=200,
                             help_text="For example 'PCC community safety grant 2020-21'.")
    funder = models.CharField("funder", max_length=200,
                              help_text="Who gives the grant, e.g. the Police and Crime "
                              "Commissioner.")
    year = models.PositiveSmallIntegerField(
        "financial year", validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        help_text="The year the grant's financial year starts in: 2020 for 2020/21.")
    amount = models.DecimalField("amount (£)", **MONEY)
    ring_fence = models.TextField(
        "ring-fence", blank=True,
        help_text="What the money may only be used for, as the grant letter says.")
    conditions = models.TextField("conditions of grant", blank=True)
    reference = models.CharField("funder's reference", max_length=100, blank=True)
    illustrative_note = models.CharField(
        "illustrative note", max_length=300, blank=True,
        help_text="Shown on the grant's pages and its return, e.g. to say which figures are "
        "illustrative.")
    created_at = models.DateTimeField("created", auto_now_add=True)
    history = HistoricalRecords()

    objects = GrantQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "title"]
        verbose_name = "grant"
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="grant_amount_not_negative"),
            models.UniqueConstraint(fields=["partnership", "title"], name="grant_title_unique"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("grant_detail", args=[self.partnership.slug, self.pk])

    @property
    def year_label(self) -> str:
        return year_label(self.year)


class GrantReportingDateQuerySet(GrantQuerySet):
    partnership_field = "grant__partnership"


class GrantReportingDate(models.Model):
    """A date by which the funder expects a report on the grant."""

    grant = models.ForeignKey(Grant, on_delete=models.CASCADE, related_name="reporting_dates",
                              verbose_name="grant")
    due_on = models.DateField("due on")
    what = models.CharField("what is due", max_length=200,
                            help_text="For example 'Quarter 2 monitoring return'.")
    history = HistoricalRecords()

    objects = GrantReportingDateQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = "reporting date"

    def __str__(self) -> str:
        return f"{self.what}, {self.due_on:%d %b %Y}"


class AllocationQuerySet(GrantQuerySet):
    partnership_field = "grant__partnership"


class Allocation(models.Model):
    """Part of a grant set aside for one plan action or one commissioned project."""

    grant = models.ForeignKey(Grant, on_delete=models.CASCADE, related_name="allocations",
                              verbose_name="grant")
    action = models.ForeignKey(
        Action, on_delete=models.PROTECT, null=True, blank=True,
        related_name="grant_allocations", verbose_name="plan action",
        help_text="The action the money pays for; or leave empty and name a project.")
    project_name = models.CharField(
        "commissioned project", max_length=200, blank=True,
        help_text="A project commissioned with the money, when it is not a plan action.")
    provider = models.CharField("provider", max_length=200, blank=True,
                                help_text="Who delivers the commissioned project.")
    amount = models.DecimalField("amount (£)", **MONEY)
    note = models.TextField("note", blank=True)
    history = HistoricalRecords()

    objects = AllocationQuerySet.as_manager()

    class Meta:
        ordering = ["grant", "pk"]
        verbose_name = "allocation"
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="allocation_amount_positive"),
            models.CheckConstraint(
                condition=(Q(action__isnull=False, project_name="")
                           | Q(action__isnull=True) & ~Q(project_name="")),
                name="allocation_action_or_project"),
        ]

    def __str__(self) -> str:
        return self.what

    @property
    def what(self) -> str:
        """What the money is for: the action ("RO-01 Title") or the project (and provider)."""
        if self.action_id:
            return str(self.action)
        return f"{self.project_name} ({self.provider})" if self.provider else self.project_name

    def clean(self) -> None:
        errors = {}
        if self.action_id and self.project_name:
            errors["project_name"] = ValidationError(
                "Choose a plan action or name a project, not both.", code="action_and_project")
        elif not self.action_id and not self.project_name:
            errors["action"] = ValidationError(
                "Choose the plan action the money is for, or name a commissioned project.",
                code="action_or_project")
        if self.action_id and self.grant_id and (
                self.action.plan.strategy.partnership_id != self.grant.partnership_id):
            errors["action"] = ValidationError("That action is not in this partnership.",
                                               code="action_other_partnership")
        if errors:
            raise ValidationError(errors)


class SpendQuerySet(GrantQuerySet):
    partnership_field = "allocation__grant__partnership"


class Spend(models.Model):
    """Money spent against an allocation: an invoice paid, a payment to a provider."""

    allocation = models.ForeignKey(Allocation, on_delete=models.CASCADE, related_name="spends",
                                   verbose_name="allocation")
    spent_on = models.DateField("date")
    amount = models.DecimalField("amount (£)", **MONEY)
    description = models.CharField("description", max_length=300)
    reference = models.CharField("reference", max_length=100, blank=True,
                                 help_text="An invoice or purchase order number.")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="grant_spends", verbose_name="recorded by", editable=False)
    history = HistoricalRecords()

    objects = SpendQuerySet.as_manager()

    class Meta:
        ordering = ["spent_on", "pk"]
        verbose_name = "spend"
        verbose_name_plural = "spend"
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="spend_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"£{self.amount:,} on {self.spent_on:%d %b %Y}: {self.description}"


