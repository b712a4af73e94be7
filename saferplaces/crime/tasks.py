"""Crime data work started from the web, run as background jobs (saferplaces/jobs):
importing an uploaded police.uk monthly archive zip, and fetching months from police.uk.

Both call the same code as `saferplaces crime import` and `saferplaces crime fetch`; each file
is imported in its own transaction, so a worker killed mid-job leaves every (force, month,
kind) exactly as it was before or exactly as the file has it.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.conf import settings
from django.urls import reverse

from saferplaces.jobs.models import Job
from saferplaces.jobs.runner import JobFailed, Lines, Outcome, job_task, report_progress

ARCHIVE_KIND = "crime-archive"
FETCH_KIND = "crime-fetch"


def _evidence(job: Job) -> str:
    return reverse("evidence_home", args=[job.partnership.slug])


def _outcome(job: Job, code: int, lines: Lines) -> Outcome:
    if code:
        raise JobFailed(lines.text() or "Nothing was imported.")
    return Outcome(lines.text(), url=_evidence(job), label="See the evidence")


@job_task
def import_archive(job: Job) -> Outcome:
    """Import the uploaded zip (police.uk's YYYY-MM/YYYY-MM-<force>-<kind>.csv layout)."""
    from saferplaces.crime.commands.import_files import import_paths

    if not job.upload:
        raise JobFailed("The uploaded file is no longer there; upload it again.")
    lines = Lines()
    with tempfile.TemporaryDirectory(prefix="saferplaces-job-") as folder:
        path = Path(folder) / (Path(job.upload_name).name or "upload.zip")
        path.write_bytes(bytes(job.upload))
        code = import_paths([str(path)], lines, lines, user=job.created_by,
                            progress_to=lambda done, total: report_progress(job, done, total))
    return _outcome(job, code, lines)


@job_task
def fetch_months(job: Job) -> Outcome:
    """Download the asked-for months of the partnership's force from police.uk and import
    them (the `crime fetch` command's work, with its defaults)."""
    from saferplaces.crime.commands import fetch as fetch_command

    params = job.params
    options = {"force": params["force"], "start": params["start"], "end": params["end"],
               "source": params.get("source", "archive"), "area": params.get("area"),
               "dest": str(Path(settings.SAFERPLACES_BASE_DIR) / "var" / "policeuk"),
               "dry_run": False, "no_import": False}
    lines = Lines()
    code = fetch_command.run(options, lines, lines)
    return _outcome(job, code, lines)
