"""Strategy work run as background jobs (saferplaces/jobs): importing a large action CSV."""

from __future__ import annotations

from django.urls import reverse

from saferplaces.jobs.models import Job
from saferplaces.jobs.runner import JobFailed, Outcome, job_task

IMPORT_KIND = "action-import"
ERRORS_SHOWN = 100


def row_count(data: bytes) -> int:
    """Lines after the header: the number of rows, near enough to choose job or request."""
    return max(data.count(b"\n") - 1 + (not data.endswith(b"\n")), 0)


@job_task
def import_actions(job: Job) -> Outcome:
    """Import the uploaded CSV into plan `params["plan"]`, all or nothing (as the web form
    does inside a request for smaller files)."""
    from saferplaces.strategy import services
    from saferplaces.strategy.models import ActionPlan

    plan = ActionPlan.objects.for_partnership(job.partnership).filter(
        pk=job.params["plan"]).first()
    if plan is None:
        raise JobFailed("The action plan no longer exists.")
    if not job.upload:
        raise JobFailed("The uploaded file is no longer there; upload it again.")
    result = services.import_actions(plan, bytes(job.upload), user=job.created_by,
                                     file=job.upload_name)
    if result.errors:
        shown = [str(error) for error in result.errors[:ERRORS_SHOWN]]
        more = len(result.errors) - len(shown)
        raise JobFailed("\n".join([result.summary(), *shown]
                                  + ([f"... and {more} more."] if more > 0 else [])))
    return Outcome(result.summary(), url=reverse("plan_detail", args=[job.partnership.slug,
                                                                      plan.pk]),
                   label="See the action plan")
