"""`saferplaces actions export` / `import`: round trip, all-or-nothing, exit codes."""

import pytest

from saferplaces.strategy.models import Action

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
    """Run the console script in-process; returns (exit code, stdout, stderr)."""
    from saferplaces.cli import main

    return main(list(args))


def test_export_then_import_changes_nothing(world, tmp_path, capsys):
    plan = world["a"]["plan"]
    out = tmp_path / "plan.csv"
    assert run("actions", "export", "--plan", str(plan.pk), "--output", str(out)) == 0
    before = snapshot(plan)
    assert run("actions", "import", str(out), "--plan", str(plan.pk)) == 0
    assert "0 action(s) were created, 0 updated, 3 unchanged" in capsys.readouterr().out
    assert snapshot(plan) == before


def test_import_creates_and_updates(world, tmp_path, capsys):
    plan = world["a"]["plan"]
    out = tmp_path / "plan.csv"
    run("actions", "export", "--plan", str(plan.pk), "--output", str(out))
    text = out.read_text().replace("Action PV-01", "Action PV-01 renamed")
    text += "PV-04,Street triage,,1.2,FIRE,POL; CNCL,,2020-05-01,2020-12-31,not_started,0\n"
    out.write_text(text)
    assert run("actions", "import", str(out), "--plan", str(plan.pk), "--user", "admin-a") == 0
    assert "1 action(s) were created, 1 updated, 2 unchanged" in capsys.readouterr().out
    new = plan.actions.get(reference="PV-04")
    assert sorted(o.short_name for o in new.partner_organisations.all()) == ["CNCL", "POL"]
    renamed = plan.actions.get(reference="PV-01")
    assert renamed.title == "Action PV-01 renamed"
    assert renamed.history.first().history_user.username == "admin-a"


def test_one_bad_row_writes_nothing_and_names_the_line(world, tmp_path, capsys):
    plan = world["a"]["plan"]
    out = tmp_path / "plan.csv"
    run("actions", "export", "--plan", str(plan.pk), "--output", str(out))
    lines = out.read_text().splitlines()
    lines[1] = lines[1].replace("Action PV-01", "Changed title")  # a good change...
    lines.append("PV-05,New,,1.1,POL,,,,2021-13-01,on_track,0")   # ...and a bad date
    out.write_text("\n".join(lines) + "\n")
    before = snapshot(plan)
    with pytest.raises(SystemExit) as exit_info:
        run("actions", "import", str(out), "--plan", str(plan.pk))
    assert exit_info.value.code == 1
    err = capsys.readouterr().err
    assert "line 5: '2021-13-01' is not a date" in err
    assert "nothing was written" in err
    assert snapshot(plan) == before


def test_dry_run_writes_nothing(world, tmp_path, capsys):
    plan = world["a"]["plan"]
    out = tmp_path / "plan.csv"
    out.write_text("reference,title,lead_organisation,due_date,status\n"
                   "PV-06,Dry,POL,2021-01-01,on_track\n")
    assert run("actions", "import", str(out), "--plan", str(plan.pk), "--dry-run") == 0
    assert "1 action(s) would be created" in capsys.readouterr().out
    assert not plan.actions.filter(reference="PV-06").exists()


def test_unknown_plan_and_missing_file_are_clear_errors(world, tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        run("actions", "export", "--plan", "999", "--output", str(tmp_path / "x.csv"))
    assert exit_info.value.code == 1
    assert "No action plan with id 999" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        run("actions", "import", str(tmp_path / "missing.csv"), "--plan",
            str(world["a"]["plan"].pk))
    assert "Cannot read" in capsys.readouterr().err


def test_import_cannot_reach_another_partnerships_organisations(world, tmp_path):
    """Names resolve only within the plan's own partnership."""
    plan = world["a"]["plan"]
    out = tmp_path / "plan.csv"
    out.write_text("reference,title,lead_organisation,due_date,status\n"
                   "PV-07,Theirs,Beta Police,2021-01-01,on_track\n")
    with pytest.raises(SystemExit):
        run("actions", "import", str(out), "--plan", str(plan.pk))
    assert not plan.actions.filter(reference="PV-07").exists()


def test_web_upload_reports_errors_by_line(login, world):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    plan = world["a"]["plan"]
    client = login(world["users"]["admin"])
    url = reverse("plan_import", args=["alpha", plan.pk])
    bad = SimpleUploadedFile("plan.csv", b"reference,title,lead_organisation,due_date,status\n"
                             b"PV-08,Ok,POL,2021-01-01,on_track\n"
                             b"PV-09,Bad,POL,2021-01-01,done\n", content_type="text/csv")
    response = client.post(url, {"file": bad})
    assert response.status_code == 200
    assert b"unknown status &#x27;done&#x27;" in response.content
    assert not plan.actions.filter(reference="PV-08").exists()
    good = SimpleUploadedFile("plan.csv", b"reference,title,lead_organisation,due_date,status\n"
                              b"PV-08,Ok,POL,2021-01-01,on_track\n", content_type="text/csv")
    response = client.post(url, {"file": good})
    assert response.status_code == 302
    assert plan.actions.filter(reference="PV-08").exists()
