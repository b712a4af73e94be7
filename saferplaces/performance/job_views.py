"""Starting performance jobs from the web: sending the partnership's reminders now."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from saferplaces.jobs import runner
from saferplaces.partnership.access import partnership_view, url_in
from saferplaces.partnership.permissions import is_admin
from saferplaces.performance import tasks


@partnership_view
@require_POST
def send_reminders(request):
    """Email every member of the partnership their reminder digest, as a job
    (administrators, POST); redirects to the job's page."""
    if not is_admin(request.membership):
        raise PermissionDenied("Only the partnership's administrators send reminders.")
    job = runner.start(tasks.send_reminders, partnership=request.partnership,
                       user=request.user, kind=tasks.REMINDERS_KIND,
                       title="Reminder emails",
                       params={"base_url": request.build_absolute_uri("/").rstrip("/")})
    return redirect(url_in(request, "job_detail", job.pk))
