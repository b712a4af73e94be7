"""Performance work run as background jobs (saferplaces/jobs): issuing a board report (its
figures, HTML and PDF) and sending the partnership's reminder digests."""

from __future__ import annotations

from django.urls import reverse

from saferplaces.jobs.models import Job
from saferplaces.jobs.runner import JobFailed, Lines, Outcome, job_task

ISSUE_KIND = "board-report"
REMINDERS_KIND = "reminders"


@job_task
def issue_report(job: Job) -> Outcome:
    """Freeze the draft report `params["report"]`: figures, HTML and PDF, in one save."""
    from saferplaces.performance import report
    from saferplaces.performance.models import BoardReport

    board_report = BoardReport.objects.filter(
        pk=job.params["report"], partnership=job.partnership).first()
    if board_report is None:
        raise JobFailed("The draft report no longer exists.")
    try:
        report.issue(board_report, job.created_by)
    except ValueError as exc:  # ReportError: already issued, or no figures for the period
        raise JobFailed(str(exc)) from exc
    slug = job.partnership.slug
    return Outcome(f"Issued: {board_report.title}. Its figures are now frozen.",
                   url=reverse("report_pdf", args=[slug, board_report.pk]),
                   label="Download the PDF")


@job_task
def send_reminders(job: Job) -> Outcome:
    """Email the partnership's reminder digests (as `saferplaces reminders --partnership`)."""
    from saferplaces.performance.management.commands.reminders import Command

    lines = Lines()
    code = Command().run({"dry_run": False, "today": None, "partnership": job.partnership.slug,
                          "base_url": job.params.get("base_url", ""), "verbosity": 2},
                         lines, lines)
    if code:
        raise JobFailed(lines.text())
    return Outcome(lines.text())
