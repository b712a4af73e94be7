"""`saferplaces actions export` / `import`: round trip, all-or-nothing, exit codes."""

import pytest

from saferplaces.strategy.models import Action
from tests.commands import run_command

pytestmark = pytest.mark.django_db


def snapshot(plan):
    """Everything about a plan's actions, including how many history rows they have."""
    rows = []
    for a in plan.actions.order_by("reference"):
        rows.append((a.reference, a.title, a.description, a.lead_organisation_id,
                     a.lead_officer_id, a.start_date, a.due_date, a.status, a.progress,
                     sorted(a.aims.values_list("pk", flat=True)),
                     sorted(a.partner_organisations.values_list("pk", flat=True))))
    return rows, Action.history.count()


def run(*args):
    """Run the management command in-process (call_command keeps the test's database
    connection open, which the console script's own runner would close); returns the exit
    code, stdout and stderr."""
    return run_command(*args)


def test_export_then_import_changes_nothing(world, tmp_path):
    plan = world["a"]["plan"]
    out = tmp_path / "plan.csv"
    assert run("actions", "export", "--plan", str(plan.pk), "--output", str(out)).code == 0
    before = snapshot(plan)
    code, stdout, _ = run("actions", "import", str(out), "--plan", str(plan.pk))
    assert code == 0
    assert "0 action(s) were created, 0 updated, 3 unchanged" in stdout
    assert snapshot(plan) == before


def test_import_creates_and_updates(world, tmp_path):
    plan = world["a"]["plan"]
    out = tmp_path / "plan.csv"
    run("actions", "export", "--plan", str(plan.pk), "--output", str(out))
    text = out.read_text().replace("Action PV-01", "Action PV-01 renamed")
    text += "PV-04,Street triage,,1.2,FIRE,POL; CNCL,,2020-05-01,2020-12-31,not_started,0\n"
    out.write_text(text)
    code, stdout, _ = run("actions", "import", str(out), "--plan", str(plan.pk),
                          "--user", "admin-a")
    assert code == 0
    assert "1 action(s) were created, 1 updated, 2 unchanged" in stdout
    new = plan.actions.get(reference="PV-04")
    assert sorted(o.short_name for o in new.partner_organisations.all()) == ["CNCL", "POL"]
    renamed = plan.actions.get(reference="PV-01")
    assert renamed.title == "Action PV-01 renamed"
    assert renamed.history.first().history_user.username == "admin-a"


def test_one_bad_row_writes_nothing_and_names_the_line(world, tmp_path):
    plan = world["a"]["plan"]
    out = tmp_path / "plan.csv"
    run("actions", "export", "--plan", str(plan.pk), "--output", str(out))
    lines = out.read_text().splitlines()
    lines[1] = lines[1].replace("Action PV-01", "Changed title")  # a good change...
    lines.append("PV-05,New,,1.1,POL,,,,2021-13-01,on_track,0")   # ...and a bad date
    out.write_text("\n".join(lines) + "\n")
    before = snapshot(plan)
    code, _, err = run("actions", "import", str(out), "--plan", str(plan.pk))
    assert code == 1
    assert "line 5: '2021-13-01' is not a date" in err
    assert "nothing written" in err
    assert snapshot(plan) == before


def test_dry_run_writes_nothing(world, tmp_path):
    plan = world["a"]["plan"]
    out = tmp_path / "plan.csv"
    out.write_text("reference,title,aims,lead_organisation,due_date,status\n"
                   "PV-06,Dry,1.1,POL,2021-01-01,on_track\n")
    code, stdout, _ = run("actions", "import", str(out), "--plan", str(plan.pk), "--dry-run")
    assert code == 0
    assert "1 action(s) would be created" in stdout
    assert not plan.actions.filter(reference="PV-06").exists()


def test_usage_errors_exit_2(world, tmp_path):
    """Unknown plan or login, a file that cannot be read, an unknown option, no operation."""
    plan = str(world["a"]["plan"].pk)
    good = tmp_path / "plan.csv"
    good.write_text("reference,title,lead_organisation,due_date,status\n")
    cases = {
        "No action plan with id 999": ("export", "--plan", "999", "--output", good),
        "Cannot read": ("import", tmp_path / "missing.csv", "--plan", plan),
        "No login called 'ghost'": ("import", good, "--plan", plan, "--user", "ghost"),
        "unrecognized arguments: --bogus": ("import", good, "--plan", plan, "--bogus"),
        "invalid int value: 'one'": ("export", "--plan", "one", "--output", good),
        "the following arguments are required: {export,import}": (),
    }
    for message, args in cases.items():
        code, _, err = run("actions", *args)
        assert (code, message in err) == (2, True), (args, err)


def test_import_cannot_reach_another_partnerships_organisations(world, tmp_path):
    """Names resolve only within the plan's own partnership."""
    plan = world["a"]["plan"]
    out = tmp_path / "plan.csv"
    out.write_text("reference,title,lead_organisation,due_date,status\n"
                   "PV-07,Theirs,Beta Police,2021-01-01,on_track\n")
    assert run("actions", "import", str(out), "--plan", str(plan.pk)).code == 1
    assert not plan.actions.filter(reference="PV-07").exists()


def test_web_upload_reports_errors_by_line(login, world):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    plan = world["a"]["plan"]
    client = login(world["users"]["admin"])
    url = reverse("plan_import", args=["alpha", plan.pk])
    header = b"reference,title,aims,lead_organisation,due_date,status\n"
    bad = SimpleUploadedFile("plan.csv", header + b"PV-08,Ok,1.1,POL,2021-01-01,on_track\n"
                             b"PV-09,Bad,1.1,POL,2021-01-01,done\n", content_type="text/csv")
    response = client.post(url, {"file": bad})
    assert response.status_code == 200
    assert b"unknown status &#x27;done&#x27;" in response.content
    assert not plan.actions.filter(reference="PV-08").exists()
    good = SimpleUploadedFile("plan.csv", header + b"PV-08,Ok,1.1,POL,2021-01-01,on_track\n",
                              content_type="text/csv")
    response = client.post(url, {"file": good})
    assert response.status_code == 302
    assert plan.actions.filter(reference="PV-08").exists()


def test_console_script_end_to_end(tmp_path):
    """The real `saferplaces` script in a subprocess, on its own SQLite file: demo, export,
    re-import unchanged (exit 0, nothing changes), then a file with one bad row (exit 1, the
    line named, the database byte-for-byte unchanged in content)."""
    import os
    import shutil
    import sqlite3
    import subprocess

    script = shutil.which("saferplaces") or os.path.join(os.path.dirname(
        __import__("sys").executable), "saferplaces")
    db = tmp_path / "e2e.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db}", "SECRET_KEY": "e2e-test"}

    def cli(*args):
        return subprocess.run([script, *args], capture_output=True, text=True, env=env,
                              timeout=300)

    def dump():
        with sqlite3.connect(db) as conn:
            return list(conn.iterdump())

    assert cli("demo", "--password", "e2e-password-123", "--skip-evidence").returncode == 0
    out = tmp_path / "plan.csv"
    result = cli("actions", "export", "--plan", "1", "--output", str(out))
    assert result.returncode == 0, result.stderr
    before = dump()
    result = cli("actions", "import", str(out), "--plan", "1")
    assert result.returncode == 0, result.stderr
    assert "0 action(s) were created, 0 updated" in result.stdout
    assert dump() == before
    lines = out.read_text().splitlines()
    lines[7] = lines[7].replace(",on_track,", ",going fine,").replace(",complete,", ",done,")
    lines[7] = lines[7].replace(",at_risk,", ",meh,").replace(",not_started,", ",later,")
    lines[7] = lines[7].replace(",off_track,", ",bad,").replace(",cancelled,", ",gone,")
    out.write_text("\n".join(lines) + "\n")
    result = cli("actions", "import", str(out), "--plan", "1")
    assert result.returncode == 1
    assert "line 8: unknown status" in result.stderr
    assert "Traceback" not in result.stderr
    assert dump() == before
