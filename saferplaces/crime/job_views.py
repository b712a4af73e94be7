"""Crime data from the web (administrators): upload a police.uk monthly archive zip, or ask
for months to be fetched from police.uk. Both start a background job (crime/tasks.py) and
redirect to its page."""

from __future__ import annotations

import zipfile

from django import forms
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render

from saferplaces.core import periods, uploads
from saferplaces.crime import tasks
from saferplaces.jobs import runner
from saferplaces.jobs.models import Job
from saferplaces.partnership.access import partnership_view, scoped, url_in
from saferplaces.partnership.permissions import is_admin

RECENT = 10


class ArchiveUploadForm(forms.Form):
    """A police.uk monthly archive zip (or any zip of police.uk CSVs in YYYY-MM/ folders)."""

    archive = forms.FileField(
        label="police.uk archive (.zip)",
        help_text="A zip downloaded from data.police.uk/data: folders named YYYY-MM holding "
                  "files such as 2024-01-west-midlands-street.csv.")

    def clean_archive(self):
        upload = uploads.check_size(self.cleaned_data["archive"])
        if not zipfile.is_zipfile(upload):
            raise forms.ValidationError("This is not a zip file. Upload the .zip police.uk "
                                        "gives, without unpacking it.", code="not_zip")
        upload.seek(0)
        return upload


class FetchForm(forms.Form):
    """Months to download from police.uk for the partnership's police force."""

    start = forms.CharField(label="From month", max_length=7, help_text="YYYY-MM, e.g. 2024-01.")
    end = forms.CharField(label="To month", max_length=7, help_text="YYYY-MM, e.g. 2024-03.")
    source = forms.ChoiceField(
        label="From", choices=[("archive", "the national monthly archive"),
                               ("api", "the data.police.uk API, ward by ward")],
        initial="archive")

    def _month(self, name: str) -> str:
        text = self.cleaned_data[name].strip()
        try:
            return periods.month_code(periods.parse_month(text))
        except ValueError as exc:
            raise forms.ValidationError(f"{text!r} is not a month written YYYY-MM.",
                                        code="bad_month") from exc

    def clean_start(self) -> str:
        return self._month("start")

    def clean_end(self) -> str:
        return self._month("end")

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", forms.ValidationError("The last month is before the first.",
                                                        code="order"))
        return data


@partnership_view
def crime_data(request):
    """Start a crime import (uploaded zip) or fetch (months) as a job (administrators).

    Template crime/crime_data.html; context: upload_form, fetch_form, jobs, force.
    """
    if not is_admin(request.membership):
        raise PermissionDenied("Only the partnership's administrators load crime data.")
    force = request.partnership.police_force
    action = request.POST.get("action") if request.method == "POST" else None
    upload_form = ArchiveUploadForm(request.POST if action == "upload" else None,
                                    request.FILES if action == "upload" else None)
    fetch_form = FetchForm(request.POST if action == "fetch" else None)
    if action == "upload" and upload_form.is_valid():
        archive = upload_form.cleaned_data["archive"]
        job = runner.start(tasks.import_archive, partnership=request.partnership,
                           user=request.user, kind=tasks.ARCHIVE_KIND,
                           title=f"Crime import: {archive.name}"[:200],
                           upload=archive.read(), upload_name=archive.name)
        return redirect(url_in(request, "job_detail", job.pk))
    if action == "fetch" and fetch_form.is_valid():
        if not force:
            fetch_form.add_error(None, "The partnership has no police force set (partnership "
                                       "settings), so there is nothing to fetch.")
        else:
            data = fetch_form.cleaned_data
            job = runner.start(tasks.fetch_months, partnership=request.partnership,
                               user=request.user, kind=tasks.FETCH_KIND,
                               title=f"Crime fetch: {force}, {data['start']} to {data['end']}",
                               params={"force": force, "start": data["start"],
                                       "end": data["end"], "source": data["source"]})
            return redirect(url_in(request, "job_detail", job.pk))
    jobs = (scoped(request, Job.objects).filter(kind__in=[tasks.ARCHIVE_KIND, tasks.FETCH_KIND])
            .select_related("created_by").defer("upload")[:RECENT])
    return render(request, "crime/crime_data.html", {
        "upload_form": upload_form, "fetch_form": fetch_form, "jobs": jobs, "force": force})
