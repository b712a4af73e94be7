"""A background job as people see it: what was asked, by whom, how far it got, what came of it.

The queue itself is django-tasks' (a `DBTaskResult` row per enqueued task, run by
`saferplaces worker`); a `Job` is the partnership's record of one piece of long work, which the
task updates as it runs (saferplaces/jobs/runner.py).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from saferplaces.partnership.models import PartnershipScopedQuerySet


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"


class JobQuerySet(PartnershipScopedQuerySet):
    def unfinished(self) -> JobQuerySet:
        return self.filter(status__in=[JobStatus.QUEUED, JobStatus.RUNNING])


class Job(models.Model):
    """One piece of long work started from the web for a partnership."""

    partnership = models.ForeignKey(
        "partnership.Partnership", on_delete=models.CASCADE, related_name="jobs",
        verbose_name="partnership")
    kind = models.CharField("kind", max_length=40)
    title = models.CharField("title", max_length=200)
    status = models.CharField("status", max_length=12, choices=JobStatus.choices,
                              default=JobStatus.QUEUED)
    params = models.JSONField("parameters", default=dict, blank=True)
    upload = models.BinaryField("uploaded file", null=True, editable=False,
                                help_text="Kept until the job has run, then cleared.")
    upload_name = models.CharField("uploaded file name", max_length=255, blank=True)
    task_id = models.CharField("queue task id", max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name="started by")
    created_at = models.DateTimeField("started", default=timezone.now)
    started_at = models.DateTimeField("running since", null=True, blank=True)
    finished_at = models.DateTimeField("finished", null=True, blank=True)
    heartbeat_at = models.DateTimeField("last sign of life", null=True, blank=True)
    worker = models.CharField("worker", max_length=120, blank=True,
                              help_text="host:process id of the worker running it.")
    done = models.PositiveIntegerField("steps done", null=True, blank=True)
    total = models.PositiveIntegerField("steps in all", null=True, blank=True)
    summary = models.TextField("result", blank=True)
    result_url = models.CharField("result link", max_length=300, blank=True)
    result_label = models.CharField("result link text", max_length=200, blank=True)
    error = models.TextField("why it failed", blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "job"
        indexes = [models.Index(fields=["partnership", "-created_at"]),
                   models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display().lower()})"

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.SUCCEEDED, JobStatus.FAILED)

    @property
    def progress_text(self) -> str:
        """e.g. "3 of 12", when the work reports its steps."""
        if self.total:
            return f"{self.done or 0:,} of {self.total:,}"
        return ""
