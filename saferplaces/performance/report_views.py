"""Board performance report pages: list, create a draft, view, download the PDF, issue.

Everyone in the partnership may list, view and download reports; only administrators create
drafts and issue them. An issued report is served from its stored HTML and PDF, never rebuilt
(see performance/report.py); a draft is rebuilt from current data each time it is shown.
"""

from __future__ import annotations

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from saferplaces.jobs import runner
from saferplaces.partnership.access import partnership_view, scoped
from saferplaces.performance import permissions, report, scorecard, tasks
from saferplaces.performance.models import BoardReport, ReportStatus


class ReportPeriodForm(forms.Form):
    """The financial quarter a new board report covers."""

    period = forms.CharField(
        label="Period", max_length=20,
        help_text="A financial quarter, such as 2020-Q3 (October to December 2020, the third "
                  "quarter of 2020/21) or 2020/21 Q3.")

    def clean_period(self) -> str:
        try:
            return report.report_period(self.cleaned_data["period"]).code
        except ValueError as exc:
            raise forms.ValidationError(str(exc), code="bad_period") from exc


class IssueForm(forms.Form):
    """Issuing freezes the figures for good, so it asks for a confirmation."""

    confirm = forms.BooleanField(
        label="I have checked this report; issue it and freeze its figures.",
        help_text="An issued report cannot be changed or issued again.")


def _require_admin(request) -> None:
    if not permissions.can_manage_reports(request.membership):
        raise PermissionDenied("Only the partnership's administrators create and issue "
                               "board reports.")


def _report(request, pk) -> BoardReport:
    reports = scoped(request, BoardReport.objects).select_related("issued_by", "partnership")
    return get_object_or_404(reports, pk=pk)


def _draft_snapshot(board_report: BoardReport) -> tuple[dict | None, str]:
    """A draft's figures rebuilt from current data, or an error message."""
    try:
        return report.preview(board_report.partnership, board_report.period), ""
    except ValueError as exc:
        return None, str(exc)


@partnership_view
def report_list(request):
    """Board reports of the partnership, issued and drafts, newest first.

    Model BoardReport; template performance/report_list.html; context: reports, can_create.
    """
    reports = (scoped(request, BoardReport.objects)
               .select_related("issued_by").defer("html", "pdf", "snapshot"))
    return render(request, "performance/report_list.html", {
        "reports": reports, "can_create": permissions.can_manage_reports(request.membership)})


@partnership_view
def report_create(request):
    """Build a draft report for a period from current data and save it (administrators).

    Template performance/report_create.html; context: form.
    """
    _require_admin(request)
    latest = scorecard.latest_period(request.partnership)
    form = ReportPeriodForm(request.POST or None,
                            initial={"period": latest.code if latest else ""})
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["period"]
        issued = report.issued_report(request.partnership, code)
        if issued is not None:
            messages.info(request, f"The report for {issued.snapshot['period']['label']} has "
                                   "already been issued; here it is, as issued.")
            return redirect("report_detail", request.partnership.slug, issued.pk)
        try:
            draft = report.draft(request.partnership, code)
        except ValueError as exc:
            form.add_error(None, str(exc))
        else:
            draft.save()
            messages.success(request, f"Draft saved: {draft.title}. Check it, then issue it to "
                                      "freeze its figures.")
            return redirect("report_detail", request.partnership.slug, draft.pk)
    return render(request, "performance/report_create.html", {"form": form})


@partnership_view
@csp_update({"style-src": [UNSAFE_INLINE]})  # the frozen report document carries its styles
def report_detail(request, pk):
    """One report: the frozen HTML if issued, else rebuilt from current data. With
    ?format=html, the report document alone (for printing from the browser).

    Model BoardReport; template performance/report_detail.html; context: report, document,
    labels, error, issue_form, can_issue.
    """
    board_report = _report(request, pk)
    error, labels = "", {}
    if board_report.status == ReportStatus.ISSUED:
        document, labels = board_report.html, board_report.snapshot.get("labels", {})
    else:
        snapshot, error = _draft_snapshot(board_report)
        document = report.render_html(snapshot) if snapshot else ""
        labels = snapshot["labels"] if snapshot else {}
    if request.GET.get("format") == "html" and document:
        return HttpResponse(document)
    can_issue = (board_report.status == ReportStatus.DRAFT
                 and permissions.can_manage_reports(request.membership) and not error)
    return render(request, "performance/report_detail.html", {
        "report": board_report, "document": document, "labels": labels, "error": error,
        "can_issue": can_issue, "issue_form": IssueForm()})


@partnership_view
def report_pdf(request, pk):
    """The report as a PDF download: the frozen bytes if issued, else built now."""
    board_report = _report(request, pk)
    if board_report.status == ReportStatus.ISSUED:
        data = bytes(board_report.pdf)
    else:
        snapshot, error = _draft_snapshot(board_report)
        if snapshot is None:
            messages.error(request, error)
            return redirect("report_detail", request.partnership.slug, board_report.pk)
        data = report.render_pdf(report.render_html(snapshot))
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename(board_report)}"'
    return response


def _filename(board_report: BoardReport) -> str:
    """e.g. swp-board-report-2020-Q3.pdf, or swp-board-report-2020-Q3-DRAFT.pdf."""
    suffix = "" if board_report.status == ReportStatus.ISSUED else "-DRAFT"
    return (f"{board_report.partnership.slug}-board-report-{board_report.period}{suffix}.pdf"
            .replace("/", "-").replace(" ", "-"))


@partnership_view
@require_POST
def report_issue(request, pk):
    """Issue a draft (administrators, POST with the confirmation ticked): a background job
    freezes its figures, HTML and PDF (performance/tasks.py). Redirects to the job's page,
    which shows its progress and then the PDF's link; without the confirmation, back to the
    report with a message."""
    board_report = _report(request, pk)
    _require_admin(request)
    form = IssueForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Tick the confirmation box to issue the report.")
        return redirect("report_detail", request.partnership.slug, board_report.pk)
    job = runner.start(tasks.issue_report, partnership=request.partnership, user=request.user,
                       kind=tasks.ISSUE_KIND, title=f"Issue {board_report.title}"[:200],
                       params={"report": board_report.pk})
    return redirect("job_detail", request.partnership.slug, job.pk)
