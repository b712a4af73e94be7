"""Starting a job, running it in a worker, and noticing a worker that died.

A domain app defines its work as a plain function `work(job) -> Outcome` and turns it into a
django-tasks task with `@job_task`; a view calls `start(task, ...)`, which records the `Job`
and enqueues the task with the job's id. The worker (`saferplaces worker`) runs the task:
`execute` marks the job running, calls the work, and records success, or failure with its
reason. Work that writes does so in transactions, so a worker killed mid-job leaves nothing
half-written; `fail_stale_jobs` then marks such a job failed (never retried by itself: an
administrator reads why and starts it again).
"""

from __future__ import annotations

import functools
import logging
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils import timezone

from saferplaces.jobs.models import Job, JobStatus

logger = logging.getLogger(__name__)


@dataclass
class Outcome:
    """What a job's work came to: a summary, a link to the result, and whether it succeeded."""

    summary: str
    url: str = ""
    label: str = ""
    ok: bool = True


class Lines:
    """Collects what a command module writes (its `out` and `err`), for a job's summary."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def write(self, text: str = "", *args, **kwargs) -> None:
        self.lines.extend(line for line in str(text).splitlines() if line.strip())

    def text(self) -> str:
        return "\n".join(self.lines)


class JobFailed(Exception):
    """Raised by a job's work to end it failed, with this message as the reason."""


def worker_name() -> str:
    """host:pid of this process, as recorded on the jobs it runs."""
    return f"{socket.gethostname()}:{os.getpid()}"


def job_task(work: Callable[[Job], Outcome]):
    """Make `work(job) -> Outcome` a django-tasks task taking the job's id."""
    from django_tasks import task

    @functools.wraps(work)
    def run(job_id: int) -> str:
        return execute(job_id, work)

    return task()(run)


def start(job_task_, *, partnership, user, kind: str, title: str, params: dict | None = None,
          upload: bytes | None = None, upload_name: str = "") -> Job:
    """Record a queued job and enqueue its task; returns the job (already finished when
    tasks run immediately, as in tests)."""
    job = Job.objects.create(partnership=partnership, created_by=user, kind=kind, title=title,
                             params=params or {}, upload=upload, upload_name=upload_name)
    try:
        result = job_task_.enqueue(job.pk)
    except DatabaseError:  # e.g. SQLite still locked after its timeout: say so on the page
        logger.exception("Job %s (%s) could not be queued", job.pk, kind)
        _finish(job.pk, Outcome("The job could not be queued (the database was busy); start "
                                "it again.", ok=False))
    else:
        Job.objects.filter(pk=job.pk).update(task_id=str(result.id))
    job.refresh_from_db()
    return job


def execute(job_id: int, work: Callable[[Job], Outcome]) -> str:
    """Run a queued job's work and record how it ended; returns the final status."""
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=now, heartbeat_at=now, worker=worker_name())
    if not claimed:  # deleted, or already ended (a stale run marked failed)
        return "skipped"
    job = Job.objects.get(pk=job_id)
    try:
        outcome = work(job)
    except JobFailed as exc:
        outcome = Outcome(str(exc), ok=False)
    except Exception as exc:  # the reason goes on the job page; the traceback to the log
        logger.exception("Job %s (%s) failed", job_id, job.kind)
        outcome = Outcome(f"Unexpected error: {type(exc).__name__}: {exc}. The worker's log "
                          "has the details.", ok=False)
    _finish(job_id, outcome)
    return JobStatus.SUCCEEDED if outcome.ok else JobStatus.FAILED


def _finish(job_id: int, outcome: Outcome) -> None:
    fields = {"finished_at": timezone.now(), "upload": None}
    if outcome.ok:
        fields.update(status=JobStatus.SUCCEEDED, summary=outcome.summary,
                      result_url=outcome.url, result_label=outcome.label)
    else:
        fields.update(status=JobStatus.FAILED, error=outcome.summary)
    Job.objects.filter(pk=job_id).update(**fields)


def report_progress(job: Job, done: int, total: int) -> None:
    """Record "done of total" steps. Call it between transactions, so others can see it."""
    job.done, job.total = done, total
    Job.objects.filter(pk=job.pk).update(done=done, total=total, heartbeat_at=timezone.now())


def beat(worker: str | None = None) -> int:
    """Mark the running jobs of this worker process alive; returns how many."""
    return Job.objects.filter(status=JobStatus.RUNNING, worker=worker or worker_name()).update(
        heartbeat_at=timezone.now())


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


def stale_reason(job: Job, now: datetime, host: str, stale_after: timedelta,
                 check_process: bool = True) -> str:
    """Why a running job has no worker any more, or "" while it may still be running."""
    worker_host, _, pid = job.worker.rpartition(":")
    if (check_process and worker_host == host and pid.isdigit()
            and not _process_alive(int(pid))):
        return (f"The worker running this job (process {pid}) stopped before it finished. "
                "Nothing it was writing was kept; start the job again.")
    last = job.heartbeat_at or job.started_at
    if last is not None and now - last > stale_after:
        minutes = int(stale_after.total_seconds() // 60)
        return (f"No sign of life from its worker ({job.worker or 'unknown'}) for more than "
                f"{minutes} minute(s); it was marked failed. Nothing half-written was kept; "
                "start the job again.")
    return ""


def fail_stale_jobs(now: datetime | None = None, check_processes: bool = True) -> list[Job]:
    """Mark failed every running job whose worker is gone (its process has ended on this
    host, or it has shown no sign of life for JOBS_STALE_AFTER seconds); returns them.

    Workers look for their host's dead processes; web pages pass `check_processes=False`,
    because a web server may share a host name but not a process table with the workers
    (containers)."""
    now = now or timezone.now()
    host = socket.gethostname()
    stale_after = timedelta(seconds=settings.JOBS_STALE_AFTER)
    failed = []
    for job in Job.objects.filter(status=JobStatus.RUNNING):
        reason = stale_reason(job, now, host, stale_after, check_processes)
        if not reason:
            continue
        with transaction.atomic():
            ended = Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(
                status=JobStatus.FAILED, error=reason, finished_at=now, upload=None)
        if ended:
            _fail_queue_row(job.task_id, reason)
            failed.append(job)
    return failed


def _fail_queue_row(task_id: str, reason: str) -> None:
    """The queue's own row of a dead job says failed too, not running for ever."""
    from django.apps import apps

    if not task_id or not apps.is_installed("django_tasks_db"):
        return
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(id=task_id, status="RUNNING").update(
        status="FAILED", finished_at=timezone.now(), traceback=reason,
        exception_class_path="saferplaces.jobs.runner.WorkerGone")
