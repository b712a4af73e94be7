"""Equality analyses: the Public Sector Equality Duty (Equality Act 2010 s.149) applied to a
strategy, an action plan or a consultation (and, through the committee app, a report).

An analysis has one impact row for each of the nine protected characteristics (s.4): the
impact, the evidence and the mitigation. Sign-off records who approved it and when. Editing
a signed-off analysis (or any of its impacts) withdraws the sign-off and starts the next
version (`equality.services`): it must be signed off again, and the audit trail keeps what
was signed.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from saferplaces.partnership.models import Partnership, PartnershipScopedQuerySet


class Characteristic(models.TextChoices):
    """The nine protected characteristics of the Equality Act 2010, s.4, in its order."""

    AGE = "age", "Age"
    DISABILITY = "disability", "Disability"
    GENDER_REASSIGNMENT = "gender_reassignment", "Gender reassignment"
    MARRIAGE = "marriage_civil_partnership", "Marriage and civil partnership"
    PREGNANCY = "pregnancy_maternity", "Pregnancy and maternity"
    RACE = "race", "Race"
    RELIGION = "religion_belief", "Religion or belief"
    SEX = "sex", "Sex"
    SEXUAL_ORIENTATION = "sexual_orientation", "Sexual orientation"


class Impact(models.TextChoices):
    POSITIVE = "positive", "Positive"
    NEUTRAL = "neutral", "Neutral"
    NEGATIVE = "negative", "Negative"
    UNKNOWN = "unknown", "Not yet known"


class EqualityQuerySet(PartnershipScopedQuerySet):
    """Administrators and organisation officers change analyses (equality.permissions)."""

    def editable_by(self, user) -> EqualityQuerySet:
        return self.in_partnerships(Partnership.objects.staffed_by(user))


class EqualityAnalysis(models.Model):
    """An equality analysis of a strategy, an action plan or a consultation."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE,
                                    related_name="equality_analyses",
                                    verbose_name="partnership")
    title = models.CharField("title", max_length=300)
    purpose = models.TextField(
        "what is analysed and why", blank=True,
        help_text="The policy, plan or decision, and who it affects.")
    strategy = models.ForeignKey(
        "strategy.Strategy", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="equality_analyses", verbose_name="strategy")
    plan = models.ForeignKey(
        "strategy.ActionPlan", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="equality_analyses", verbose_name="action plan")
    consultation = models.ForeignKey(
        "consultation.Consultation", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="equality_analyses", verbose_name="consultation",
        help_text="Its reach (who answered, against the area's population) is shown as "
        "evidence.")
    conclusion = models.TextField(
        "overall conclusion", blank=True,
        help_text="What the analysis concludes, in a sentence or two; it opens the summary "
        "used in committee reports.")
    version = models.PositiveIntegerField(
        "version", default=1, editable=False,
        help_text="Goes up by one when a signed-off analysis is changed.")
    signed_off_by = models.CharField(
        "signed off by", max_length=200, blank=True,
        help_text="Name and role of the officer who approved the analysis.")
    signed_off_on = models.DateField("signed off on", null=True, blank=True)
    signed_off_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name="sign-off recorded by", editable=False)
    illustrative_note = models.CharField(
        "illustrative note", max_length=300, blank=True,
        help_text="Shown on the analysis's pages, e.g. to say which parts are illustrative.")
    created_at = models.DateTimeField("created", auto_now_add=True)
    history = HistoricalRecords()

    objects = EqualityQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "title"]
        verbose_name = "equality analysis"
        verbose_name_plural = "equality analyses"
        constraints = [
            models.CheckConstraint(
                condition=(Q(signed_off_on__isnull=True, signed_off_by="")
                           | Q(signed_off_on__isnull=False) & ~Q(signed_off_by="")),
                name="equality_sign_off_complete"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("equality_detail", args=[self.partnership.slug, self.pk])

    @property
    def is_signed_off(self) -> bool:
        return self.signed_off_on is not None

    def clean(self) -> None:
        errors = {}
        for name, related in (("strategy", self.strategy), ("plan", self.plan),
                              ("consultation", self.consultation)):
            if related is not None and self.partnership_id and (
                    _partnership_id(related) != self.partnership_id):
                errors[name] = ValidationError("That is not in this partnership.",
                                               code="other_partnership")
        if errors:
            raise ValidationError(errors)


def _partnership_id(related) -> int:
    if hasattr(related, "partnership_id"):
        return related.partnership_id
    return related.strategy.partnership_id  # an action plan


class EqualityImpactQuerySet(EqualityQuerySet):
    partnership_field = "analysis__partnership"


class EqualityImpact(models.Model):
    """The analysis for one protected characteristic."""

    analysis = models.ForeignKey(EqualityAnalysis, on_delete=models.CASCADE,
                                 related_name="impacts", verbose_name="analysis")
    characteristic = models.CharField("protected characteristic", max_length=40,
                                      choices=Characteristic.choices)
    impact = models.CharField("impact", max_length=20, choices=Impact.choices,
                              default=Impact.UNKNOWN)
    evidence = models.TextField("evidence", blank=True,
                                help_text="What the judgement rests on: data, consultation, "
                                "research, what partners know.")
    mitigation = models.TextField(
        "mitigation", blank=True,
        help_text="How a negative impact will be removed or reduced (needed when the impact "
        "is negative).")
    history = HistoricalRecords()

    objects = EqualityImpactQuerySet.as_manager()

    class Meta:
        ordering = ["analysis", "pk"]
        verbose_name = "equality impact"
        constraints = [
            models.UniqueConstraint(fields=["analysis", "characteristic"],
                                    name="equality_impact_once_per_characteristic"),
            models.CheckConstraint(
                condition=~Q(impact=Impact.NEGATIVE) | ~Q(mitigation=""),
                name="equality_negative_impact_mitigated"),
        ]

    def __str__(self) -> str:
        return f"{self.get_characteristic_display()}: {self.get_impact_display()}"

    def clean(self) -> None:
        if self.impact == Impact.NEGATIVE and not self.mitigation.strip():
            raise ValidationError(
                {"mitigation": ValidationError(
                    "Say how a negative impact will be removed or reduced.",
                    code="negative_unmitigated")})
