"""Job pages: the partnership's recent jobs, and one job's status, progress and result.

Every member of the partnership sees its jobs (the work is the partnership's, like its reports);
nobody else does: the pages answer 404 outside the partnership (partnership/access.py).
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render

from saferplaces.jobs import runner
from saferplaces.jobs.models import Job
from saferplaces.partnership.access import partnership_view, scoped

RECENT = 50


@partnership_view
def job_list(request):
    """The partnership's most recent jobs, newest first.

    Model Job; template jobs/job_list.html; context: jobs.
    """
    runner.fail_stale_jobs(check_processes=False)
    jobs = scoped(request, Job.objects).select_related("created_by").defer("upload")[:RECENT]
    return render(request, "jobs/job_list.html", {"jobs": jobs})


@partnership_view
def job_detail(request, pk):
    """One job: status, progress, result or reason for failing, who started it and when. While
    it is unfinished the status part reloads itself (htmx asks for just that fragment).

    Model Job; templates jobs/job_detail.html, jobs/_job_status.html (htmx); context: job.
    """
    runner.fail_stale_jobs(check_processes=False)
    job = get_object_or_404(scoped(request, Job.objects).select_related("created_by")
                            .defer("upload"), pk=pk)
    template = "jobs/_job_status.html" if request.htmx else "jobs/job_detail.html"
    return render(request, template, {"job": job})
