"""Committee report pages: list, create, the report (document, outline, route, issue,
downloads, history), forms for its parts, the route editor with paper deadlines, and the
partnership's bodies. Every member reads; permissions.py says who changes what. An issued
report is served from its frozen files and its parts can no longer be changed.
"""

from __future__ import annotations

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from saferplaces.committee import forms, permissions, services
from saferplaces.committee import report as document
from saferplaces.committee.models import (
    CommitteeBody,
    CommitteeReport,
    ReportParagraph,
    ReportRecommendation,
    ReportSection,
    RouteCondition,
    RouteStep,
)
from saferplaces.core.audit import history_of
from saferplaces.partnership.access import partnership_view, scoped, url_in

REPORTS_PER_PAGE = 25


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied("Your role does not allow this.")


def _report(request, pk) -> CommitteeReport:
    return get_object_or_404(scoped(request, CommitteeReport.objects)
                             .select_related("partnership", "strategy", "consultation"), pk=pk)


def _editable(request, pk) -> CommitteeReport:
    """The report, for a change by someone who may draft, while it is not issued."""
    report = _report(request, pk)
    _require(permissions.can_draft_reports(request.membership))
    if report.is_issued:
        raise PermissionDenied("This report has been issued; its content is frozen.")
    return report


def _detail(request, report) -> str:
    return url_in(request, "committee_report_detail", report.pk)


def _form_page(request, form, *, title, back, save, deletable=None):
    """Shared create/edit handling: `save(form)` stores the form; a "delete" button removes
    `deletable`. Model validation errors appear next to their fields."""
    if request.method == "POST" and deletable is not None and "delete" in request.POST:
        deletable.delete()
        messages.success(request, f"Removed {deletable}.")
        return redirect(back)
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(form)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Saved {saved}.")
            return redirect(back)
    return render(request, "committee/form.html", {
        "form": form, "title": title, "cancel_url": back, "can_delete": deletable is not None})


def _with_user(request, instance):
    instance._history_user = request.user
    instance.save()
    return instance


@partnership_view
def committee_report_list(request):
    """The partnership's committee reports, newest meeting first.

    Model CommitteeReport; template committee/list.html; context: page, can_draft.
    """
    reports = scoped(request, CommitteeReport.objects).defer("snapshot", "html", "pdf", "docx")
    page = Paginator(reports, REPORTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "committee/list.html", {
        "page": page, "can_draft": permissions.can_draft_reports(request.membership)})


@partnership_view
def committee_report_create(request):
    """A new report with the template's sections. Template committee/form.html."""
    _require(permissions.can_draft_reports(request.membership))
    form = forms.ReportForm(request.POST or None, partnership=request.partnership)
    if request.method == "POST" and form.is_valid():
        form.instance.partnership = request.partnership
        report = services.create_report(form.instance, request.user)
        messages.success(request, f"Drafted {report}: write its sections, set its route, "
                                  "then issue it.")
        return redirect(_detail(request, report))
    return render(request, "committee/form.html", {
        "form": form, "title": "New committee report",
        "cancel_url": url_in(request, "committee_report_list")})


@partnership_view
def committee_report_edit(request, pk):
    """The report's header. Template committee/form.html."""
    report = _editable(request, pk)
    form = forms.ReportForm(request.POST or None, instance=report,
                            partnership=request.partnership)
    return _form_page(request, form, title=f"Header of {report}", back=_detail(request, report),
                      save=lambda f: _with_user(request, f.instance))


@partnership_view
@csp_update({"style-src": [UNSAFE_INLINE]})  # the report document carries its own styles
def committee_report_detail(request, pk):
    """One report: its document (frozen if issued, else drafted now), its outline with edit
    links, its route with paper deadlines, issuing, downloads and history.

    Model CommitteeReport; template committee/detail.html; context: report, snapshot,
    document, sections, route, problems, issue_form, can_draft, can_decide, can_issue,
    history.
    """
    report = _report(request, pk)
    snapshot = document.current_snapshot(report)
    can_issue = permissions.can_issue(request.membership) and not report.is_issued
    return render(request, "committee/detail.html", {
        "report": report, "snapshot": snapshot,
        "document": report.html if report.is_issued else document.render_html(snapshot),
        "sections": report.sections.prefetch_related("paragraphs"),
        "recommendations": report.recommendations.all(),
        "route": _route_rows(report),
        "problems": document.issue_problems(report, snapshot) if can_issue else [],
        "issue_form": forms.IssueForm() if can_issue else None,
        "can_draft": permissions.can_draft_reports(request.membership) and not report.is_issued,
        "history": history_of(report),
    })


def _route_rows(report) -> list[dict]:
    return [{"step": step, "due": document.papers_due(step),
             "conditions": list(step.conditions.all())}
            for step in report.route.select_related("body").prefetch_related("conditions")]


@partnership_view
@require_POST
def committee_report_issue(request, pk):
    """Issue the report (administrators): freeze and store its HTML, PDF and Word files."""
    report = _report(request, pk)
    _require(permissions.can_issue(request.membership))
    form = forms.IssueForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Tick the box to confirm you have checked the report.")
    else:
        try:
            document.issue(report, request.user)
        except document.ReportError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"Issued {report}; its content is frozen.")
    return redirect(_detail(request, report))


@partnership_view
@csp_update({"style-src": [UNSAFE_INLINE]})
def committee_report_download(request, pk, format):
    """The report as HTML, PDF or Word: the frozen file once issued."""
    report = _report(request, pk)
    if format not in document.FORMATS:
        raise Http404("No such format.")
    out = document.output(report, format)
    response = HttpResponse(out.content, content_type=out.content_type)
    disposition = "inline" if format == "html" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{out.filename}"'
    return response


# --------------------------------------------------------------------------------------------
# Parts of a report


@partnership_view
def committee_recommendation_edit(request, pk, item_pk=None):
    """Add or change a recommendation. Template committee/form.html."""
    report = _editable(request, pk)
    item = get_object_or_404(report.recommendations, pk=item_pk) if item_pk else \
        ReportRecommendation(report=report, number=services.next_number(report.recommendations))
    form = forms.RecommendationForm(request.POST or None, instance=item)
    return _form_page(request, form, title="Recommendation", back=_detail(request, report),
                      save=lambda f: _with_user(request, f.instance),
                      deletable=item if item_pk else None)


@partnership_view
def committee_section_edit(request, pk, section_pk=None):
    """Add or change a section (title, kind, implication, who cleared it). Template
    committee/form.html."""
    report = _editable(request, pk)
    section = get_object_or_404(report.sections, pk=section_pk) if section_pk else \
        ReportSection(report=report, number=services.next_number(report.sections))
    form = forms.SectionForm(request.POST or None, instance=section)
    return _form_page(request, form, title=f"Section of {report}", back=_detail(request, report),
                      save=lambda f: _with_user(request, f.instance),
                      deletable=section if section_pk else None)


@partnership_view
def committee_paragraph_edit(request, pk, section_pk, paragraph_pk=None):
    """Add or change a paragraph of a section. Template committee/form.html."""
    report = _editable(request, pk)
    section = get_object_or_404(report.sections, pk=section_pk)
    paragraph = get_object_or_404(section.paragraphs, pk=paragraph_pk) if paragraph_pk else \
        ReportParagraph(section=section, number=services.next_number(section.paragraphs))
    form = forms.ParagraphForm(request.POST or None, instance=paragraph)
    return _form_page(request, form, title=f"Paragraph of {section.title}",
                      back=_detail(request, report) + f"#section-{section.pk}",
                      save=lambda f: _with_user(request, f.instance),
                      deletable=paragraph if paragraph_pk else None)


# --------------------------------------------------------------------------------------------
# The approval route


@partnership_view
def committee_route(request, pk):
    """The route editor: bodies in order with their meeting dates, paper deadlines,
    decisions and conditions, and a form to add a body at the end.

    Model RouteStep; template committee/route.html; context: report, route, form,
    can_draft, can_decide.
    """
    report = _report(request, pk)
    can_draft = permissions.can_draft_reports(request.membership) and not report.is_issued
    form = forms.StepForm(request.POST or None)
    if request.method == "POST":
        _require(can_draft)
        if form.is_valid():
            body = services.body_named(request.partnership, form.cleaned_data["body"])
            try:
                step = services.add_step(report, body, form.cleaned_data["meeting_date"],
                                         request.user)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, f"Added {step} to the route.")
                return redirect(url_in(request, "committee_route", report.pk))
    return render(request, "committee/route.html", {
        "report": report, "route": _route_rows(report), "form": form, "can_draft": can_draft,
        "can_decide": permissions.can_decide(request.membership) and not report.is_issued,
        "bodies": CommitteeBody.objects.for_partnership(request.partnership),
    })


def _step(request, report, step_pk) -> RouteStep:
    return get_object_or_404(report.route.select_related("body"), pk=step_pk)


@partnership_view
def committee_step_decision(request, pk, step_pk):
    """Record a body's decision (administrators); refused out of route order. Template
    committee/form.html."""
    report = _report(request, pk)
    step = _step(request, report, step_pk)
    _require(permissions.can_decide(request.membership) and not report.is_issued)
    form = forms.DecisionForm(request.POST or None, initial={
        "meeting_date": step.meeting_date, "decision": step.decision, "notes": step.notes})
    back = url_in(request, "committee_route", report.pk)

    def save(f):
        return services.record_decision(step, f.cleaned_data["decision"],
                                        f.cleaned_data["notes"], request.user,
                                        f.cleaned_data["meeting_date"])

    return _form_page(request, form, title=f"Decision of {step.body}", back=back, save=save)


@partnership_view
@require_POST
def committee_step_remove(request, pk, step_pk):
    """Take a body that has not yet considered the report off its route."""
    report = _report(request, pk)
    step = _step(request, report, step_pk)
    _require(permissions.can_draft_reports(request.membership))
    try:
        services.remove_step(step)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Removed {step.body} from the route.")
    return redirect(url_in(request, "committee_route", report.pk))


@partnership_view
def committee_condition_create(request, pk, step_pk):
    """Add a condition to an approval with conditions. Template committee/form.html."""
    report = _report(request, pk)
    step = _step(request, report, step_pk)
    _require(permissions.can_decide(request.membership) and not report.is_issued)
    form = forms.ConditionForm(request.POST or None, instance=RouteCondition(step=step))
    return _form_page(request, form, title=f"Condition of {step.body}",
                      back=url_in(request, "committee_route", report.pk),
                      save=lambda f: services.add_condition(step, f.cleaned_data["text"],
                                                            request.user))


@partnership_view
def committee_condition_resolve(request, pk, condition_pk):
    """Record how a condition was resolved. Template committee/form.html."""
    report = _report(request, pk)
    condition = get_object_or_404(
        RouteCondition.objects.filter(step__report=report).select_related("step__body"),
        pk=condition_pk)
    _require(permissions.can_decide(request.membership) and not report.is_issued)
    form = forms.ResolveForm(request.POST or None, instance=condition)
    return _form_page(request, form, title=f"Resolve a condition of {condition.step.body}",
                      back=url_in(request, "committee_route", report.pk),
                      save=lambda f: services.resolve_condition(
                          condition, f.cleaned_data["resolved_on"],
                          f.cleaned_data["resolution"], request.user))


@partnership_view
def committee_body_edit(request, body_pk):
    """A body's name and paper deadline (administrators). Template committee/form.html."""
    body = get_object_or_404(scoped(request, CommitteeBody.objects), pk=body_pk)
    _require(permissions.can_decide(request.membership))
    form = forms.BodyForm(request.POST or None, instance=body)
    return _form_page(request, form, title=f"Papers for {body}",
                      back=url_in(request, "committee_report_list"),
                      save=lambda f: _with_user(request, f.instance))
