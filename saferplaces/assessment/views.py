"""Strategic assessment pages: list, create, one version with its sections, settings, a
section's narrative, publish, new version, and downloads (HTML, PDF, Word).

Every member may read and download; officers and administrators draft (assessment/
permissions.py); administrators publish. A published version is served from what was frozen
(assessment/report.py); a draft is rebuilt from current data each time it is shown.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from saferplaces.assessment import forms, permissions, report
from saferplaces.assessment.models import (
    DEFAULT_SERIOUS_VIOLENCE,
    Assessment,
    AssessmentSection,
    SectionKey,
)
from saferplaces.core import clock, periods
from saferplaces.core.audit import history_of
from saferplaces.partnership.access import partnership_view, scoped
from saferplaces.workshop.models import Workshop

PER_PAGE = 20


def _assessment(request, pk) -> Assessment:
    found = scoped(request, Assessment.objects).select_related("partnership", "area",
                                                               "workshop")
    return get_object_or_404(found.defer("html", "pdf", "docx"), pk=pk)


def _require_draft_editor(request, assessment: Assessment) -> None:
    if not permissions.can_edit_assessment(request.membership, assessment):
        if assessment.is_published:
            raise PermissionDenied("A published assessment never changes; start a new version.")
        raise PermissionDenied("Only officers and administrators edit assessments.")


@partnership_view
def assessment_list(request):
    """Every version of every assessment, newest period first, paginated.

    Model Assessment; template assessment/list.html; context: page, can_create.
    """
    rows = scoped(request, Assessment.objects).defer("snapshot", "html", "pdf", "docx")
    page = Paginator(rows.select_related("published_by"), PER_PAGE).get_page(
        request.GET.get("page"))
    return render(request, "assessment/list.html", {
        "page": page, "can_create": permissions.can_draft_assessments(request.membership)})


@partnership_view
def assessment_create(request):
    """A new draft for a period (officers and administrators).

    Template assessment/form.html; context: form, title.
    """
    if not permissions.can_draft_assessments(request.membership):
        raise PermissionDenied("Only officers and administrators create assessments.")
    last_year = periods.latest_complete("financial_year", clock.today(request.partnership))
    form = forms.AssessmentCreateForm(request.POST or None, initial={
        "period": last_year.code, "serious_violence_types": DEFAULT_SERIOUS_VIOLENCE})
    if request.method == "POST" and form.is_valid():
        try:
            created = report.create(request.partnership, form.cleaned_data["period"],
                                    form.cleaned_data["serious_violence_types"], request.user)
        except report.AssessmentError as exc:
            form.add_error("period", str(exc))
        else:
            messages.success(request, f"Draft created: {created}.")
            return redirect("assessment_detail", request.partnership.slug, created.pk)
    return render(request, "assessment/form.html", {
        "form": form, "title": "New strategic assessment",
        "cancel": ("assessment_list", [])})


@partnership_view
def assessment_detail(request, pk):
    """One version: its sections (figures, charts, narrative), versions of the same period,
    downloads, and for editors the edit, publish and new-version buttons.

    Model Assessment; template assessment/detail.html; context: assessment, report (the
    snapshot), sections, versions, can_edit, can_publish, can_new_version, publish_form,
    history, error.
    """
    assessment = _assessment(request, pk)
    snapshot, error = None, ""
    try:
        snapshot = report.snapshot_for(assessment)
    except (ValueError, periods.PeriodError) as exc:
        error = str(exc)
    versions = (scoped(request, Assessment.objects).filter(period=assessment.period)
                .only("pk", "version", "status", "published_at", "period", "partnership"))
    membership = request.membership
    return render(request, "assessment/detail.html", {
        "assessment": assessment, "report": snapshot, "error": error,
        "sections": _page_sections(snapshot) if snapshot else [],
        "versions": versions,
        "can_edit": permissions.can_edit_assessment(membership, assessment),
        "can_publish": permissions.can_publish_assessment(membership, assessment),
        "can_new_version": (assessment.is_published
                            and permissions.can_draft_assessments(membership)
                            and not versions.filter(status="draft").exists()),
        "publish_form": forms.PublishForm(),
        "history": history_of(assessment),
    })


def _page_sections(snapshot: dict) -> list[dict]:
    shown = []
    for item in snapshot["sections"]:
        shown.append({**item,
                      "tables": [{**t, "rows": report.table_text(t)} for t in item["tables"]],
                      "charts": [{**c, "table": _chart_table(c["table"])}
                                 for c in item["charts"]]})
    return shown


def _chart_table(figures: dict | None) -> dict | None:
    if figures is None:
        return None
    return {**figures, "rows": report.table_text(figures)}


@partnership_view
def assessment_settings(request, pk):
    """The draft's serious-violence definition and workshop (officers and administrators).

    Template assessment/form.html; context: form, title, assessment.
    """
    assessment = _assessment(request, pk)
    _require_draft_editor(request, assessment)
    workshops = scoped(request, Workshop.objects).filter(year=assessment.period)
    form = forms.AssessmentSettingsForm(request.POST or None, workshops=workshops, initial={
        "serious_violence_types": assessment.serious_violence_types,
        "workshop": assessment.workshop_id})
    if request.method == "POST" and form.is_valid():
        assessment.serious_violence_types = sorted(form.cleaned_data["serious_violence_types"])
        assessment.workshop = form.cleaned_data["workshop"]
        assessment._history_user = request.user
        assessment.save(update_fields=["serious_violence_types", "workshop"])
        messages.success(request, "Settings saved.")
        return redirect("assessment_detail", request.partnership.slug, assessment.pk)
    return render(request, "assessment/form.html", {
        "form": form, "title": f"Settings of {assessment}", "assessment": assessment,
        "cancel": ("assessment_detail", [assessment.pk])})


@partnership_view
def assessment_section_edit(request, pk, key):
    """A section's narrative (officers and administrators, drafts only).

    Model AssessmentSection; template assessment/form.html; context: form, title.
    """
    assessment = _assessment(request, pk)
    if key not in SectionKey.values:
        raise Http404("No such section.")
    _require_draft_editor(request, assessment)
    part, _ = AssessmentSection.objects.get_or_create(assessment=assessment, key=key)
    form = forms.SectionNarrativeForm(request.POST or None, instance=part)
    if request.method == "POST" and form.is_valid():
        edited = form.save(commit=False)
        edited._history_user = request.user
        edited.save()
        messages.success(request, f"Saved the narrative of “{part.get_key_display()}”.")
        return redirect(f"{_detail_url(request, assessment)}#section-{key}")
    return render(request, "assessment/form.html", {
        "form": form, "title": f"{part.get_key_display()}: narrative",
        "assessment": assessment, "cancel": ("assessment_detail", [assessment.pk])})


def _detail_url(request, assessment: Assessment) -> str:
    from django.urls import reverse

    return reverse("assessment_detail", args=[request.partnership.slug, assessment.pk])


@partnership_view
@require_POST
def assessment_publish(request, pk):
    """Publish a draft (administrators, with the confirmation ticked): figures and narrative
    are frozen with the HTML, PDF and Word files."""
    assessment = _assessment(request, pk)
    if not permissions.can_publish_assessment(request.membership, assessment):
        raise PermissionDenied("Only administrators publish a draft assessment.")
    if not forms.PublishForm(request.POST).is_valid():
        messages.error(request, "Tick the confirmation box to publish the assessment.")
        return redirect("assessment_detail", request.partnership.slug, assessment.pk)
    try:
        report.publish(Assessment.objects.get(pk=assessment.pk), request.user)
    except report.AssessmentError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Published version {assessment.version}: its figures and "
                                  "narrative are frozen.")
    return redirect("assessment_detail", request.partnership.slug, assessment.pk)


@partnership_view
@require_POST
def assessment_new_version(request, pk):
    """Start a new draft version from a published one (officers and administrators)."""
    assessment = _assessment(request, pk)
    if not permissions.can_draft_assessments(request.membership):
        raise PermissionDenied("Only officers and administrators create assessments.")
    try:
        created = report.new_version(assessment, request.user)
    except report.AssessmentError as exc:
        messages.error(request, str(exc))
        return redirect("assessment_detail", request.partnership.slug, assessment.pk)
    messages.success(request, f"Version {created.version} started as a draft.")
    return redirect("assessment_detail", request.partnership.slug, created.pk)


@partnership_view
def assessment_download(request, pk, fmt):
    """The assessment as HTML, PDF or Word: frozen files for a published version."""
    if fmt not in report.FORMATS:
        raise Http404("No such format.")
    assessment = get_object_or_404(scoped(request, Assessment.objects)
                                   .select_related("partnership", "area"), pk=pk)
    try:
        data = report.output(assessment, fmt)
    except ValueError as exc:
        messages.error(request, str(exc))
        return redirect("assessment_detail", request.partnership.slug, assessment.pk)
    response = HttpResponse(data, content_type=report.FORMATS[fmt])
    response["Content-Disposition"] = (f'attachment; filename="'
                                       f'{report.filename(assessment, fmt)}"')
    return response
