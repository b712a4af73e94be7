"""Committee reports in the council template, their approval route and the bodies on it.

A report has a header (the council's front-sheet table), recommendations, numbered sections
with numbered paragraphs (a paragraph may pull live content, see live_content.py), and the
implications sections, each cleared by an officer with a code such as [JB/29092020/G]. Its
approval route is the ordered list of bodies that consider it before it is issued. Issuing
freezes the snapshot, HTML, PDF and Word document (committee/report.py); they never change.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from saferplaces.consultation.models import Consultation
from saferplaces.core.words import date_text
from saferplaces.equality.models import EqualityAnalysis
from saferplaces.grants.models import Grant
from saferplaces.partnership.models import Partnership, PartnershipScopedQuerySet
from saferplaces.performance.models import ReportStatus  # drafted, then issued: as board reports
from saferplaces.strategy.models import Strategy


class SectionKind(models.TextChoices):
    BODY = "body", "Section"
    ALTERNATIVES = "alternatives", "Evaluation of alternative options"
    REASONS = "reasons", "Reasons for decision"
    IMPLICATIONS = "implications", "Implications"
    BACKGROUND = "background", "Schedule of background papers"


class Implication(models.TextChoices):
    """The implications every council report states, in the template's order; the label is
    the words of "There are no <label> implications"."""

    FINANCIAL = "financial", "financial"
    LEGAL = "legal", "legal"
    EQUALITIES = "equalities", "equalities"
    CLIMATE = "climate", "climate change and environmental"
    HEALTH = "health", "health and wellbeing"
    COVID = "covid", "Covid-19"
    HUMAN_RESOURCES = "human_resources", "human resources"
    CORPORATE_LANDLORD = "corporate_landlord", "corporate landlord"
    CRIME_AND_DISORDER = "crime_and_disorder", "section 17 crime and disorder"


IMPLICATION_TITLES = {
    Implication.FINANCIAL: "Financial implications",
    Implication.LEGAL: "Legal implications",
    Implication.EQUALITIES: "Equalities implications",
    Implication.CLIMATE: "Climate change and environmental implications",
    Implication.HEALTH: "Health and wellbeing implications",
    Implication.COVID: "Covid-19 implications",
    Implication.HUMAN_RESOURCES: "Human resources implications",
    Implication.CORPORATE_LANDLORD: "Corporate landlord implications",
    Implication.CRIME_AND_DISORDER: "Section 17 crime and disorder implications",
}


class Decision(models.TextChoices):
    APPROVED = "approved", "Approved"
    APPROVED_WITH_CONDITIONS = "approved_conditions", "Approved with conditions"
    DEFERRED = "deferred", "Deferred"
    REJECTED = "rejected", "Rejected"


# Decisions that let a report go on to the next body on its route.
PASSING_DECISIONS = (Decision.APPROVED, Decision.APPROVED_WITH_CONDITIONS)


class CommitteeReportQuerySet(PartnershipScopedQuerySet):
    pass


class ReportPartQuerySet(PartnershipScopedQuerySet):
    partnership_field = "report__partnership"


class ParagraphQuerySet(PartnershipScopedQuerySet):
    partnership_field = "section__report__partnership"


class ConditionQuerySet(PartnershipScopedQuerySet):
    partnership_field = "step__report__partnership"


class CommitteeReport(models.Model):
    """A report to a committee or board, written in the council template."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE,
                                    related_name="committee_reports", verbose_name="partnership")
    title = models.CharField("report title", max_length=300)
    committee = models.CharField("report to", max_length=200,
                                 help_text="The committee or board the report goes to, e.g. "
                                 "Health and Wellbeing Together.")
    meeting_date = models.DateField("meeting date")
    decision_designation = models.CharField(
        "decision designation", max_length=100, blank=True,
        help_text="As the council designates decisions, e.g. 'For decision' or 'AMBER'. "
        "Leave blank to leave the row out.")
    cabinet_member = models.CharField("cabinet member with lead responsibility", max_length=300,
                                      blank=True)
    key_decision = models.BooleanField("key decision", null=True, blank=True,
                                       help_text="Unknown leaves the row out.")
    in_forward_plan = models.BooleanField("in forward plan", null=True, blank=True,
                                          help_text="Unknown leaves the row out.")
    wards_affected = models.CharField("wards affected", max_length=300, default="All wards")
    accountable_director = models.CharField("accountable director", max_length=300, blank=True)
    originating_service = models.CharField("originating service", max_length=200, blank=True)
    accountable_employee = models.CharField("accountable employee", max_length=200, blank=True)
    employee_title = models.CharField("accountable employee's job title", max_length=200,
                                      blank=True)
    employee_tel = models.CharField("accountable employee's telephone", max_length=50,
                                    blank=True)
    employee_email = models.EmailField("accountable employee's email", blank=True)
    strategy = models.ForeignKey(Strategy, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+", verbose_name="strategy",
                                 help_text="The strategy live content reads (priorities, aims).")
    consultation = models.ForeignKey(Consultation, on_delete=models.SET_NULL, null=True,
                                     blank=True, related_name="+", verbose_name="consultation",
                                     help_text="The consultation live content reads (channels, "
                                     "distribution, you said, we did).")
    grant = models.ForeignKey(Grant, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+", verbose_name="grant",
                              help_text="The grant whose figures live content reads (for the "
                              "financial implications).")
    equality_analysis = models.ForeignKey(
        EqualityAnalysis, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="committee_reports", verbose_name="equality analysis",
        help_text="The analysis whose summary feeds the equalities implications.")
    is_public = models.BooleanField("public report", default=True,
                                    help_text="Printed as 'This report is PUBLIC'.")
    protective_marking = models.CharField("protective marking", max_length=100,
                                          default="NOT PROTECTIVELY MARKED")
    is_illustrative = models.BooleanField("illustrative", default=False)
    status = models.CharField("status", max_length=10, choices=ReportStatus.choices,
                              default=ReportStatus.DRAFT)
    snapshot = models.JSONField("frozen content", default=dict, blank=True)
    html = models.TextField("frozen HTML", blank=True)
    pdf = models.BinaryField("frozen PDF", null=True, blank=True)
    docx = models.BinaryField("frozen Word document", null=True, blank=True)
    issued_at = models.DateTimeField("issued", null=True, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                  null=True, blank=True, related_name="+",
                                  verbose_name="issued by")
    created_at = models.DateTimeField("created", auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["snapshot", "html", "pdf", "docx"])

    objects = CommitteeReportQuerySet.as_manager()

    class Meta:
        ordering = ["-meeting_date", "-pk"]
        verbose_name = "committee report"
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(issued_at__isnull=False),
                name="committee_report_issued_has_date"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_issued(self) -> bool:
        return self.status == ReportStatus.ISSUED


class ReportRecommendation(models.Model):
    class Kind(models.TextChoices):
        ACTION = "action", "For action"
        NOTING = "noting", "For noting"

    report = models.ForeignKey(CommitteeReport, on_delete=models.CASCADE,
                               related_name="recommendations", verbose_name="report")
    kind = models.CharField("recommendation", max_length=10, choices=Kind.choices,
                            default=Kind.ACTION)
    number = models.PositiveSmallIntegerField("order")
    text = models.TextField("text", help_text="What the committee is recommended to do, e.g. "
                            "'Endorse the strategy.'")
    history = HistoricalRecords()

    objects = ReportPartQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "number", "pk"]
        verbose_name = "recommendation"

    def __str__(self) -> str:
        return self.text[:80]


class ReportSection(models.Model):
    """A numbered section ("3.0 Agreeing Priorities"); its number is its place in the report.
    An implications section names its implication and who cleared it."""

    report = models.ForeignKey(CommitteeReport, on_delete=models.CASCADE,
                               related_name="sections", verbose_name="report")
    number = models.PositiveSmallIntegerField("order")
    title = models.CharField("title", max_length=200)
    kind = models.CharField("kind", max_length=15, choices=SectionKind.choices,
                            default=SectionKind.BODY)
    implication = models.CharField("implication", max_length=20, choices=Implication.choices,
                                   blank=True, help_text="For an implications section only.")
    cleared_by = models.CharField("cleared by", max_length=200, blank=True,
                                  help_text="The officer who wrote or cleared the implications.")
    clearance_code = models.CharField("clearance code", max_length=50, blank=True,
                                      help_text="As printed under the section, e.g. "
                                      "JB/29092020/G (the brackets are added).")
    history = HistoricalRecords()

    objects = ReportPartQuerySet.as_manager()

    class Meta:
        ordering = ["number", "pk"]
        verbose_name = "report section"
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="implications") & ~Q(implication=""))
                | (~Q(kind="implications") & Q(implication="")),
                name="committee_section_implication_iff_kind"),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.kind == SectionKind.IMPLICATIONS and not self.implication:
            raise ValidationError({"implication": ValidationError(
                "Say which implications this section states.", code="implication_missing")})
        if self.kind != SectionKind.IMPLICATIONS and self.implication:
            raise ValidationError({"implication": ValidationError(
                "Only an implications section names an implication.",
                code="implication_not_allowed")})


class ReportParagraph(models.Model):
    """A paragraph of a section, numbered 3.1, 3.2 ... unless it is a continuation. Lines
    starting '- ' are bullets. `live_content` names a provider whose content follows the text."""

    section = models.ForeignKey(ReportSection, on_delete=models.CASCADE,
                                related_name="paragraphs", verbose_name="section")
    number = models.PositiveSmallIntegerField("order")
    text = models.TextField("text", blank=True,
                            help_text="Lines that start with '- ' are printed as bullets.")
    is_numbered = models.BooleanField("numbered", default=True,
                                      help_text="Untick for a continuation with no number.")
    live_content = models.CharField("live content", max_length=50, blank=True,
                                    help_text="Content drawn from the partnership's records, "
                                    "printed after the text; frozen when the report is issued.")
    live_option = models.CharField("live content option", max_length=50, blank=True,
                                   help_text="For 'aims of a priority': the priority's number.")
    history = HistoricalRecords()

    objects = ParagraphQuerySet.as_manager()

    class Meta:
        ordering = ["number", "pk"]
        verbose_name = "report paragraph"
        constraints = [
            models.CheckConstraint(condition=~Q(text="") | ~Q(live_content=""),
                                   name="committee_paragraph_not_empty"),
        ]

    def __str__(self) -> str:
        return self.text[:80] or self.live_content

    def clean(self) -> None:
        if not self.text.strip() and not self.live_content:
            raise ValidationError({"text": ValidationError(
                "Write the paragraph, or choose live content for it.", code="empty")})


class CommitteeBody(models.Model):
    """A body reports go to, with how many working days before its meetings papers are due."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE,
                                    related_name="committee_bodies", verbose_name="partnership")
    name = models.CharField("name", max_length=200)
    papers_working_days = models.PositiveSmallIntegerField(
        "papers due (working days before)", default=10,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text="Papers are due this many working days before the meeting (weekends and "
        "England and Wales bank holidays do not count).")
    history = HistoricalRecords()

    objects = PartnershipScopedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "committee or board"
        verbose_name_plural = "committees and boards"
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name"],
                                    name="committee_body_unique_name"),
            models.CheckConstraint(
                condition=Q(papers_working_days__gte=1, papers_working_days__lte=60),
                                   name="committee_body_days_1_to_60"),
        ]

    def __str__(self) -> str:
        return self.name


class RouteStep(models.Model):
    """One body on a report's approval route, in order. A step is considered once it has a
    decision; it may be considered only after the step before it passed (approved, or
    approved with conditions)."""

    report = models.ForeignKey(CommitteeReport, on_delete=models.CASCADE,
                               related_name="route", verbose_name="report")
    number = models.PositiveSmallIntegerField("order")
    body = models.ForeignKey(CommitteeBody, on_delete=models.PROTECT, related_name="steps",
                             verbose_name="body")
    meeting_date = models.DateField("meeting date")
    decision = models.CharField("decision", max_length=20, choices=Decision.choices,
                                blank=True)
    notes = models.TextField("notes", blank=True)
    history = HistoricalRecords()

    objects = ReportPartQuerySet.as_manager()

    class Meta:
        ordering = ["number", "pk"]
        verbose_name = "route step"
        constraints = [
            models.UniqueConstraint(fields=["report", "number"],
                                    name="committee_route_step_unique_number"),
            models.CheckConstraint(
                condition=Q(decision__in=["", *Decision.values]),
                name="committee_route_step_decision_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.body} ({self.meeting_date:%d %b %Y})"

    @property
    def is_considered(self) -> bool:
        return bool(self.decision)

    @property
    def has_passed(self) -> bool:
        return self.decision in PASSING_DECISIONS

    def clean(self) -> None:
        steps = RouteStep.objects.filter(report_id=self.report_id).exclude(pk=self.pk)
        if self.decision:
            before = steps.filter(number__lt=self.number).order_by("-number").first()
            if before is not None and not before.has_passed:
                raise ValidationError({"decision": ValidationError(
                    f"{before.body} has not yet approved the report; record its decision "
                    "first, since the route is followed in order.",
                    code="previous_not_considered")})
            if before is not None and self.meeting_date < before.meeting_date:
                raise ValidationError({"meeting_date": ValidationError(
                    f"This meeting is before {before.body}'s ({date_text(before.meeting_date)}), "
                    "which considers the report first.", code="before_previous")})
        if not self.has_passed:
            later = steps.filter(number__gt=self.number).exclude(decision="").first()
            if later is not None:
                raise ValidationError({"decision": ValidationError(
                    f"{later.body} has already considered the report after this body; "
                    "clear its decision first.", code="later_considered")})
        if self.decision != Decision.APPROVED_WITH_CONDITIONS and self.pk and \
                self.conditions.exists():
            raise ValidationError({"decision": ValidationError(
                "This step has conditions; remove them or keep 'Approved with conditions'.",
                code="has_conditions")})


class RouteCondition(models.Model):
    """A condition a body attached to its approval, tracked until it is resolved."""

    step = models.ForeignKey(RouteStep, on_delete=models.CASCADE, related_name="conditions",
                             verbose_name="route step")
    text = models.TextField("condition")
    resolved_on = models.DateField("resolved on", null=True, blank=True)
    resolution = models.TextField("how it was resolved", blank=True)
    history = HistoricalRecords()

    objects = ConditionQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = "condition"
        constraints = [
            models.CheckConstraint(
                condition=Q(resolved_on__isnull=True) | ~Q(resolution=""),
                name="committee_condition_resolution_said"),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def is_resolved(self) -> bool:
        return self.resolved_on is not None

    def clean(self) -> None:
        if self.resolved_on is not None and not self.resolution.strip():
            raise ValidationError({"resolution": ValidationError(
                "Say how the condition was resolved.", code="resolution_missing")})
        step = getattr(self, "step", None)
        if step is not None and step.decision != Decision.APPROVED_WITH_CONDITIONS:
            raise ValidationError(ValidationError(
                "Conditions belong to an 'Approved with conditions' decision.",
                code="not_conditional"))
