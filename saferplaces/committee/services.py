"""Changes to committee reports that take more than one row, or must happen in order: a new
report with the template's sections, steps on its approval route and their decisions, and
conditions. Each runs in one transaction with the report's row locked, so two people acting
at once cannot take a route out of order."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from saferplaces.committee.models import (
    IMPLICATION_TITLES,
    CommitteeBody,
    CommitteeReport,
    ReportSection,
    RouteCondition,
    RouteStep,
    SectionKind,
)

# The council template's sections of a new report, in order: (kind, title).
TEMPLATE_SECTIONS = [
    (SectionKind.BODY, "Purpose"),
    (SectionKind.BODY, "Background"),
    (SectionKind.ALTERNATIVES, "Evaluation of alternative options"),
    (SectionKind.REASONS, "Reasons for decision"),
    *((SectionKind.IMPLICATIONS, title) for title in IMPLICATION_TITLES.values()),
    (SectionKind.BACKGROUND, "Schedule of background papers"),
]


def check_editable(report: CommitteeReport) -> None:
    if report.is_issued:
        raise ValidationError("This report has been issued; its content is frozen.",
                              code="issued")


def create_report(report: CommitteeReport, user=None) -> CommitteeReport:
    """Save a new report with the template's sections (purpose, background, alternatives,
    reasons, the nine implications, background papers), ready to be written."""
    implications = iter(IMPLICATION_TITLES)
    with transaction.atomic():
        report._history_user = user
        report.save()
        for number, (kind, title) in enumerate(TEMPLATE_SECTIONS, start=1):
            implication = next(implications) if kind == SectionKind.IMPLICATIONS else ""
            ReportSection.objects.create(report=report, number=number, kind=kind, title=title,
                                         implication=implication)
    return report


def next_number(queryset) -> int:
    return (queryset.aggregate(n=Max("number"))["n"] or 0) + 1


def body_named(partnership, name: str) -> CommitteeBody:
    """The partnership's body of that name, created with the default notice if new."""
    body, _ = CommitteeBody.objects.get_or_create(partnership=partnership, name=name.strip())
    return body


def add_step(report: CommitteeReport, body: CommitteeBody, meeting_date, user=None) -> RouteStep:
    """Put a body at the end of the report's route."""
    with transaction.atomic():
        report = CommitteeReport.objects.select_for_update().get(pk=report.pk)
        check_editable(report)
        step = RouteStep(report=report, body=body, meeting_date=meeting_date,
                         number=next_number(report.route))
        step.full_clean()
        step._history_user = user
        step.save()
    return step


def record_decision(step: RouteStep, decision: str, notes: str = "", user=None,
                    meeting_date=None) -> RouteStep:
    """Record (or clear, with "") a body's decision on the report. Raises ValidationError
    when the step before has not approved it, or a later step has already decided."""
    with transaction.atomic():
        report = CommitteeReport.objects.select_for_update().get(pk=step.report_id)
        check_editable(report)
        step = RouteStep.objects.get(pk=step.pk)
        step.decision, step.notes = decision, notes
        if meeting_date is not None:
            step.meeting_date = meeting_date
        step.full_clean()
        step._history_user = user
        step._change_reason = f"Decision: {step.get_decision_display() or 'cleared'}"
        step.save()
    return step


def remove_step(step: RouteStep) -> None:
    """Take a body off the route; the steps after it close up. A considered step stays."""
    with transaction.atomic():
        report = CommitteeReport.objects.select_for_update().get(pk=step.report_id)
        check_editable(report)
        if step.is_considered:
            raise ValidationError("This body has already considered the report; clear its "
                                  "decision before removing it.", code="considered")
        later = list(report.route.filter(number__gt=step.number).order_by("number"))
        step.delete()
        for later_step in later:
            later_step.number -= 1
            later_step.save(update_fields=["number"])


def add_condition(step: RouteStep, text: str, user=None) -> RouteCondition:
    with transaction.atomic():
        report = CommitteeReport.objects.select_for_update().get(pk=step.report_id)
        check_editable(report)
        condition = RouteCondition(step=RouteStep.objects.get(pk=step.pk), text=text)
        condition.full_clean()
        condition._history_user = user
        condition.save()
    return condition


def resolve_condition(condition: RouteCondition, resolved_on, resolution: str,
                      user=None) -> RouteCondition:
    condition.resolved_on, condition.resolution = resolved_on, resolution
    condition.full_clean()
    condition._history_user = user
    condition._change_reason = "Resolved"
    condition.save()
    return condition
