"""Background jobs (docs/jobs.md): job pages, each kind of job started from the web, a real
worker on the database queue, and a worker killed with SIGKILL in the middle of an import.

Ordinary tests run jobs at once (JOBS_QUEUED off in the test settings); the worker tests put
them on django-tasks-db's queue and run `saferplaces worker` (in-process, or as a subprocess
against a SQLite file)."""

from __future__ import annotations

import csv
import gzip
import io
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from saferplaces.crime import tasks as crime_tasks
from saferplaces.crime.models import CrimeCount, CrimeImport
from saferplaces.jobs import runner
from saferplaces.jobs.models import Job, JobStatus
from saferplaces.performance import tasks as performance_tasks
from saferplaces.performance.models import BoardReport, ReportStatus
from saferplaces.strategy.models import Action
from tests.conftest import process_env
from tests.policeuk_standin import PoliceUkStandin, archive_zip
from tests.test_board_report import PERIOD, north  # noqa: F401  (a fixture)

REPO = Path(__file__).resolve().parent.parent
WY_STREET = REPO / "tests" / "data" / "policeuk" / "2017-07-west-yorkshire-street.csv.gz"
WMP_OUTCOMES = (REPO / "tests" / "data" / "policeuk"
                / "2020-12-west-midlands-outcomes_wolverhampton.csv")
DB_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
pytestmark = pytest.mark.django_db
ACTIONS_HEADER = ("reference,title,description,aims,lead_organisation,partner_organisations,"
                  "lead_officer,start_date,due_date,status,progress\n")


def data_rows(data: bytes) -> int:
    """Rows of a CSV counted by the csv module (an independent count)."""
    return sum(1 for _ in csv.reader(io.StringIO(data.decode("utf-8-sig")))) - 1


def zip_upload(members: dict[str, bytes], name: str = "2020-12.zip"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, archive_zip(members), content_type="application/zip")


# Job pages


def test_members_see_the_partnerships_jobs_and_the_status_fragment(world, login):
    a, b = world["a"]["partnership"], world["b"]["partnership"]
    mine = Job.objects.create(partnership=a, kind="reminders", title="Reminder emails",
                              status=JobStatus.RUNNING, done=3, total=12,
                              created_by=world["users"]["admin"])
    theirs = Job.objects.create(partnership=b, kind="reminders", title="Beta's reminders")
    client = login(world["users"]["board"])
    listing = client.get(reverse("job_list", args=[a.slug]))
    assert "Reminder emails" in listing.text and "Beta's reminders" not in listing.text
    assert "Send reminder emails now" not in listing.text  # administrators only
    page = client.get(reverse("job_detail", args=[a.slug, mine.pk]))
    assert "Running: 3 of 12" in page.text and 'hx-trigger="every 2s"' in page.text
    fragment = client.get(reverse("job_detail", args=[a.slug, mine.pk]), HTTP_HX_REQUEST="true")
    assert fragment.text.startswith('<div id="job-status"') and "<html" not in fragment.text
    assert client.get(reverse("job_detail", args=[a.slug, theirs.pk])).status_code == 404
    assert client.get(reverse("job_detail", args=[b.slug, theirs.pk])).status_code == 404


def test_a_failing_job_shows_its_reason_not_a_traceback(world, login):
    admin = world["users"]["admin"]
    job = runner.start(crime_tasks.import_archive, partnership=world["a"]["partnership"],
                       user=admin, kind=crime_tasks.ARCHIVE_KIND, title="Crime import: x.zip",
                       upload=b"not a zip at all", upload_name="x.zip")
    assert job.status == JobStatus.FAILED and "x.zip" in job.error
    page = login(admin).get(reverse("job_detail", args=[job.partnership.slug, job.pk]))
    assert "The job failed" in page.text and "Traceback" not in page.text
    assert job.upload is None  # the upload is not kept after the job


def test_a_job_that_cannot_be_queued_fails_with_its_reason(world, monkeypatch):
    from django.db import OperationalError

    def locked(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(type(performance_tasks.send_reminders), "enqueue", locked)
    job = runner.start(performance_tasks.send_reminders, partnership=world["a"]["partnership"],
                       user=None, kind=performance_tasks.REMINDERS_KIND, title="Reminders")
    assert job.status == JobStatus.FAILED and "could not be queued" in job.error


# Each kind of job, started from the web (run at once here)


def test_an_uploaded_archive_is_imported_by_a_job(world, login):
    client = login(world["users"]["admin"])
    slug = world["a"]["partnership"].slug
    outcomes = WMP_OUTCOMES.read_bytes()
    upload = zip_upload({"2020-12/2020-12-west-midlands-outcomes.csv": outcomes})
    answer = client.post(reverse("crime_data", args=[slug]),
                         {"action": "upload", "archive": upload})
    job = Job.objects.get()
    assert answer.status_code == 302 and answer.url == reverse("job_detail", args=[slug, job.pk])
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert (job.done, job.total) == (1, 1) and job.created_by == world["users"]["admin"]
    stored = CrimeImport.objects.get()
    assert stored.kind == "outcomes" and stored.rows_total == data_rows(outcomes) == 193
    page = client.get(answer.url)
    assert "1 file(s) imported (193 rows), 0 refused." in page.text
    assert reverse("evidence_home", args=[slug]) in page.text


def test_crime_data_forms_refuse_bad_input_next_to_the_field(world, login, settings):
    client = login(world["users"]["admin"])
    slug = world["a"]["partnership"].slug
    from django.core.files.uploadedfile import SimpleUploadedFile

    not_zip = client.post(reverse("crime_data", args=[slug]), {
        "action": "upload", "archive": SimpleUploadedFile("a.zip", b"Month,Crime type\n")})
    assert "This is not a zip file" in not_zip.text
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    too_big = client.post(reverse("crime_data", args=[slug]), {
        "action": "upload", "archive": zip_upload({"a.csv": os.urandom(1_500_000)})})
    assert "over the 1 MB upload limit" in too_big.text
    backwards = client.post(reverse("crime_data", args=[slug]),
                            {"action": "fetch", "start": "2020-05", "end": "2020-01",
                             "source": "archive"})
    assert "The last month is before the first." in backwards.text
    assert "is not a month written YYYY-MM" in client.post(
        reverse("crime_data", args=[slug]),
        {"action": "fetch", "start": "2020-13", "end": "2020-06", "source": "archive"}).text
    assert not Job.objects.exists()
    officer = login(world["users"]["police"])
    assert officer.get(reverse("crime_data", args=[slug])).status_code == 403


def test_months_are_fetched_and_imported_by_a_job(world, login, settings, monkeypatch,
                                                  tmp_path):
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY"):
        monkeypatch.delenv(name, raising=False)
    settings.SAFERPLACES_BASE_DIR = tmp_path
    partnership = world["a"]["partnership"]
    partnership.police_force = "West Yorkshire Police"
    partnership.save()
    street = gzip.decompress(WY_STREET.read_bytes())
    with PoliceUkStandin() as server:
        server.months = {"2017-07"}
        server.archives["2017-07"] = archive_zip(
            {"2017-07/2017-07-west-yorkshire-street.csv": street})
        settings.POLICE_UK_BASE_URL = server.url
        answer = login(world["users"]["admin"]).post(
            reverse("crime_data", args=[partnership.slug]),
            {"action": "fetch", "start": "2017-07", "end": "2017-07", "source": "archive"})
    job = Job.objects.get()
    assert answer.url == reverse("job_detail", args=[partnership.slug, job.pk])
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert job.params == {"force": "West Yorkshire Police", "start": "2017-07",
                          "end": "2017-07", "source": "archive"}
    stored = CrimeImport.objects.get()
    assert (stored.kind, stored.rows_total) == ("street", data_rows(street))
    assert sum(CrimeCount.objects.values_list("count", flat=True)) == data_rows(street)


def test_issuing_a_board_report_is_a_job_ending_in_the_pdf_link(north, client):  # noqa: F811
    slug = north["partnership"].slug
    client.force_login(north["admin"])
    client.post(reverse("report_create", args=[slug]), {"period": PERIOD})
    draft = BoardReport.objects.get()
    answer = client.post(reverse("report_issue", args=[slug, draft.pk]), {"confirm": "on"})
    job = Job.objects.get(kind=performance_tasks.ISSUE_KIND)
    assert answer.url == reverse("job_detail", args=[slug, job.pk])
    assert job.status == JobStatus.SUCCEEDED, job.error
    issued = BoardReport.objects.get()
    assert issued.status == ReportStatus.ISSUED and bytes(issued.pdf).startswith(b"%PDF")
    assert job.result_url == reverse("report_pdf", args=[slug, draft.pk])
    assert "Download the PDF" in client.get(answer.url).text
    again = runner.start(performance_tasks.issue_report, partnership=north["partnership"],
                         user=north["admin"], kind=performance_tasks.ISSUE_KIND,
                         title="Issue again", params={"report": draft.pk})
    assert again.status == JobStatus.FAILED and "already issued" in again.error


def test_reminders_are_sent_by_a_job(world, login):
    from saferplaces.performance import reminders

    partnership = world["a"]["partnership"]
    expected = [d for d in reminders.build_digests(None, partnership) if d.email]
    assert expected  # the world has overdue actions, so someone is reminded
    client = login(world["users"]["admin"])
    answer = client.post(reverse("reminders_send", args=[partnership.slug]))
    job = Job.objects.get()
    assert answer.url == reverse("job_detail", args=[partnership.slug, job.pk])
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert len(mail.outbox) == len(expected)
    assert f"{len(expected)} digest" in job.summary
    assert "http://testserver/p/alpha/" in mail.outbox[0].body
    officer = login(world["users"]["police"])
    assert officer.post(reverse("reminders_send", args=[partnership.slug])).status_code == 403


def _actions_csv(count: int) -> bytes:
    rows = "".join(f"J-{n},Job action {n},,1.1,POL,,,,2020-09-30,on_track,0\n"
                   for n in range(1, count + 1))
    return (ACTIONS_HEADER + rows).encode()


@pytest.mark.parametrize("rows,threshold,as_job", [(3, 2, True), (3, 3, False)])
def test_an_action_csv_above_the_threshold_is_imported_by_a_job(world, login, settings, rows,
                                                                threshold, as_job):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.BACKGROUND_IMPORT_ROWS = threshold
    plan, slug = world["a"]["plan"], world["a"]["partnership"].slug
    answer = login(world["users"]["admin"]).post(
        reverse("plan_import", args=[slug, plan.pk]),
        {"file": SimpleUploadedFile("actions.csv", _actions_csv(rows))})
    assert Action.objects.filter(plan=plan, reference__startswith="J-").count() == rows
    if as_job:
        job = Job.objects.get()
        assert answer.url == reverse("job_detail", args=[slug, job.pk])
        assert job.status == JobStatus.SUCCEEDED and "3 action(s) were created" in job.summary
    else:
        assert answer.url == reverse("plan_detail", args=[slug, plan.pk])
        assert not Job.objects.exists()


def test_a_refused_action_csv_job_lists_the_errors(world):
    bad = (ACTIONS_HEADER + "J-1,Fine,,1.1,POL,,,,2020-09-30,on_track,0\n"
           "J-2,Bad date,,1.1,POL,,,,30/02/2020,on_track,0\n").encode()
    from saferplaces.strategy import tasks as strategy_tasks

    job = runner.start(strategy_tasks.import_actions, partnership=world["a"]["partnership"],
                       user=world["users"]["admin"], kind=strategy_tasks.IMPORT_KIND,
                       title="Import", params={"plan": world["a"]["plan"].pk}, upload=bad,
                       upload_name="bad.csv")
    assert job.status == JobStatus.FAILED and "bad.csv: line 3" in job.error
    assert not Action.objects.filter(reference__startswith="J-").exists()


# Workers that die


def test_a_running_job_whose_worker_is_gone_is_marked_failed(world):
    partnership = world["a"]["partnership"]
    host, now = socket.gethostname(), timezone.now()
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    jobs = {
        "dead here": Job(worker=f"{host}:{dead.pid}", heartbeat_at=now),
        "alive here": Job(worker=f"{host}:{os.getpid()}", heartbeat_at=now),
        "quiet elsewhere": Job(worker="elsewhere:1", heartbeat_at=now - timedelta(minutes=11)),
        "recent elsewhere": Job(worker="elsewhere:1", heartbeat_at=now - timedelta(minutes=9)),
    }
    for title, job in jobs.items():
        job.partnership, job.title, job.kind, job.status = (partnership, title, "x",
                                                           JobStatus.RUNNING)
        job.started_at = job.heartbeat_at
        job.save()
    failed = {job.title for job in runner.fail_stale_jobs(now)}
    assert failed == {"dead here", "quiet elsewhere"}  # JOBS_STALE_AFTER is 600 s
    assert f"(process {dead.pid}) stopped before it finished" in Job.objects.get(
        title="dead here").error
    assert "for more than 10 minute(s)" in Job.objects.get(title="quiet elsewhere").error
    assert Job.objects.get(title="alive here").status == JobStatus.RUNNING
    Job.objects.filter(title="dead here").update(status=JobStatus.RUNNING)
    assert not runner.fail_stale_jobs(now, check_processes=False)  # as web pages check


@pytest.mark.django_db(transaction=True)  # the worker closes connections left in a transaction
@override_settings(TASKS=DB_QUEUE)
def test_a_worker_runs_queued_jobs_from_the_database(world):
    from django_tasks_db.models import DBTaskResult

    from saferplaces.jobs.worker import run_worker

    job = runner.start(crime_tasks.import_archive, partnership=world["a"]["partnership"],
                       user=world["users"]["admin"], kind=crime_tasks.ARCHIVE_KIND,
                       title="Crime import", upload_name="2020-12.zip",
                       upload=archive_zip({"2020-12/2020-12-west-midlands-outcomes.csv":
                                           WMP_OUTCOMES.read_bytes()}))
    assert job.status == JobStatus.QUEUED and DBTaskResult.objects.get().status == "READY"
    assert not CrimeImport.objects.exists()
    handlers = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)
    run_worker(interval=0, batch=True)
    assert (signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)) == handlers
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert job.worker == runner.worker_name() and job.finished_at >= job.started_at
    assert CrimeImport.objects.get().rows_total == 193
    assert str(DBTaskResult.objects.get().id) == job.task_id
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


SETUP = """
import sys
import time
import django
django.setup()
from django.contrib.auth import get_user_model
from saferplaces.crime import tasks
from saferplaces.crime.commands.import_files import import_paths
from saferplaces.jobs import runner
from saferplaces.partnership.models import Partnership

*old, archive = sys.argv[1:]
lines = runner.Lines()
assert import_paths(old, lines, lines) == 0, lines.text()
partnership = Partnership.objects.create(name="Kill CSP", short_name="K", slug="kill")
user = get_user_model().objects.create(username="admin")
job = runner.start(tasks.import_archive, partnership=partnership, user=user,
                   kind=tasks.ARCHIVE_KIND, title="Crime import",
                   upload=open(archive, "rb").read(), upload_name="archive.zip")
print(job.pk)
"""
STORED = """
SELECT substr(i.month, 1, 7), i.rows_total,
       (SELECT SUM(c.count) FROM crime_crimecount c WHERE c.batch_id = i.id)
FROM crime_crimeimport i WHERE i.kind = 'street' ORDER BY i.month
"""


def _street_month(data: bytes, month: str) -> bytes:
    """The July 2017 file as another month (its Month column rewritten)."""
    return data.replace(b",2017-07,", f",{month},".encode())


def _first_rows(data: bytes, share: float) -> bytes:
    lines = data.split(b"\n")
    return b"\n".join(lines[: int(len(lines) * share)]) + b"\n"


def _poll(db: Path, job_id: int, until, seconds: float = 300) -> tuple[str, int | None]:
    deadline = time.monotonic() + seconds
    with sqlite3.connect(db, timeout=30) as conn:
        while time.monotonic() < deadline:
            status, done = conn.execute("SELECT status, done FROM jobs_job WHERE id = ?",
                                        (job_id,)).fetchone()
            if until(status, done):
                return status, done
            time.sleep(0.01)
    pytest.fail(f"job {job_id} stayed {status} ({done} done)")


def _migrated(tmp_path: Path, migrated_sqlite: Path) -> tuple[Path, dict, dict]:
    """A copy of the migrated SQLite file with the queue on: (its path, environment,
    subprocess.run arguments)."""
    db = tmp_path / "jobs.sqlite3"
    shutil.copy(migrated_sqlite, db)
    env = process_env(db, JOBS_QUEUED="true")
    run = {"env": env, "cwd": REPO, "check": True, "capture_output": True, "text": True}
    return db, env, run


def test_a_worker_killed_mid_import_leaves_old_or_new_counts_and_a_failed_job(tmp_path,
                                                                           migrated_sqlite):
    """SIGKILL the worker while the second of two street files is being imported: the first
    file's month holds exactly its new counts, the second exactly its old or exactly its new
    ones (each file is one transaction), and the next worker marks the job failed with why."""
    db, env, run = _migrated(tmp_path, migrated_sqlite)
    july = gzip.decompress(WY_STREET.read_bytes())
    new = {"2017-07": july, "2017-08": _street_month(july, "2017-08")}
    old = {month: _first_rows(data, 0.6) for month, data in new.items()}
    for month, data in old.items():
        (tmp_path / f"{month}-west-yorkshire-street.csv").write_bytes(data)
    (tmp_path / "archive.zip").write_bytes(archive_zip(
        {f"{month}/{month}-west-yorkshire-street.csv": data for month, data in new.items()}))
    job_id = int(subprocess.run(
        [sys.executable, "-c", SETUP, *(str(tmp_path / f"{m}-west-yorkshire-street.csv")
                                        for m in old), str(tmp_path / "archive.zip")],
        **run).stdout.split()[-1])

    with open(tmp_path / "worker.log", "w") as log:
        worker = subprocess.Popen([sys.executable, "-m", "saferplaces.cli", "worker",
                                   "--interval", "0.05"], env=env, cwd=REPO, stdout=log,
                                  stderr=subprocess.STDOUT)
        try:
            status, done = _poll(db, job_id, lambda status, done: status != "queued"
                                 and (done or status != "running"))
        finally:
            worker.send_signal(signal.SIGKILL)
            worker.wait()
    assert (status, done) == ("running", 1), "the import ended before the worker was killed"

    rows = {month: data_rows(data) for month, data in new.items()}
    old_rows = {month: data_rows(data) for month, data in old.items()}
    with sqlite3.connect(db) as conn:
        stored = {month: (total, counted) for month, total, counted in conn.execute(STORED)}
        orphans = conn.execute("SELECT COUNT(*) FROM crime_crimecount WHERE batch_id NOT IN "
                               "(SELECT id FROM crime_crimeimport)").fetchone()[0]
    assert stored["2017-07"] == (rows["2017-07"], rows["2017-07"])
    assert stored["2017-08"] in [(old_rows["2017-08"],) * 2, (rows["2017-08"],) * 2]
    assert orphans == 0

    subprocess.run([sys.executable, "-m", "saferplaces.cli", "worker", "--batch",
                    "--interval", "0"], **run)
    with sqlite3.connect(db) as conn:
        status, error = conn.execute("SELECT status, error FROM jobs_job WHERE id = ?",
                                     (job_id,)).fetchone()
        queue_status = conn.execute(
            "SELECT status FROM django_tasks_database_dbtaskresult").fetchone()
    assert status == "failed" and f"(process {worker.pid}) stopped before it finished" in error
    assert queue_status == ("FAILED",)


QUEUE_REMINDERS = """
import django
django.setup()
from saferplaces.jobs import runner
from saferplaces.partnership.models import Partnership
from saferplaces.performance import tasks

partnership = Partnership.objects.create(name="Serve CSP", short_name="S", slug="serve")
job = runner.start(tasks.send_reminders, partnership=partnership, user=None,
                   kind=tasks.REMINDERS_KIND, title="Reminder emails")
print(job.pk)
"""


def test_serve_runs_a_worker_beside_the_web_server_and_stops_it(tmp_path, monkeypatch,
                                                               migrated_sqlite):
    """While `serve` runs (gunicorn replaced by a function that waits for the job), its worker
    runs a queued job; when gunicorn ends the worker is stopped and exits cleanly."""
    from saferplaces.core.management.commands import serve

    db, env, run = _migrated(tmp_path, migrated_sqlite)
    job_id = int(subprocess.run([sys.executable, "-c", QUEUE_REMINDERS], **run).stdout.split()[-1])
    for name in ("DATABASE_URL", "JOBS_QUEUED"):
        monkeypatch.setenv(name, env[name])
    start, started = serve.start_job_workers, []

    def start_and_keep(count, out):
        started.extend(start(count, out))
        return started

    monkeypatch.setattr(serve, "start_job_workers", start_and_keep)
    seen = {}

    def gunicorn(command, env):
        seen["gunicorn"] = command
        seen["job"] = _poll(db, job_id, lambda status, done: status in ("succeeded", "failed"),
                            seconds=120)
        return 0

    monkeypatch.setattr(serve.subprocess, "call", gunicorn)
    with override_settings(JOBS_QUEUED=True, STATIC_ROOT=str(tmp_path / "static")):
        assert serve.Command().run({"host": "127.0.0.1", "port": 8123, "workers": 1,
                                    "dev": False, "job_workers": 1}, io.StringIO(),
                                   io.StringIO()) == 0
    assert "saferplaces.wsgi:application" in seen["gunicorn"]
    assert seen["job"] == ("succeeded", None)
    [worker] = started
    assert worker.args[-1] == "worker" and worker.returncode == 0
