"""The board performance report: its figures, HTML with inline SVG charts, PDF, freezing on
issue, changes since the previous report, the command and the pages' permissions."""

import datetime
import json
import socket
import subprocess
import sys
import time

import pytest
import weasyprint
from django.core.management import call_command
from django.urls import reverse

from saferplaces.performance import report
from saferplaces.performance.models import (
    BoardReport,
    Indicator,
    IndicatorValue,
    ReportStatus,
)
from tests.commands import run_command
from tests.conftest import make_user
from tests.factories import (
    ActionFactory,
    ActionPlanFactory,
    ActionUpdateFactory,
    AimFactory,
    IndicatorFactory,
    IndicatorTargetFactory,
    IndicatorValueFactory,
    OrganisationFactory,
    PartnershipFactory,
    PersonFactory,
    PriorityFactory,
    StrategyFactory,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2021, 1, 20)  # after the end of 2020-Q3 (Oct-Dec 2020)
PERIOD = "2020-Q3"


def _user(username, partnership=None, role=None):
    return make_user(username, partnership, role, first_name=username.title())


def _value(indicator, code, number, status="approved", **fields):
    return IndicatorValueFactory(indicator=indicator, period=code, value=number, status=status,
                                 **fields)


def _indicators(partnership, owner, priority):
    violence = IndicatorFactory(
        partnership=partnership, code="VC1", name="Violent crimes", definition="Counted.",
        kind="performance", polarity="lower", unit="count", owner=owner, source="submitted",
        baseline_period="2019-Q3", baseline_value=90, tolerance=5, priorities=[priority])
    for code, number in [("2019-Q3", 90), ("2020-Q1", 95), ("2020-Q2", 98)]:
        _value(violence, code, number)
    _value(violence, PERIOD, 130, commentary="The night-time economy reopened in October.")
    for code in ("2020-Q2", PERIOD):
        IndicatorTargetFactory(indicator=violence, period=code, value=100)
    reporting = IndicatorFactory(
        partnership=partnership, code="CX1", name="Hate crime reports", definition="Counted.",
        kind="contextual", polarity="higher", unit="count", owner=owner, source="computed",
        measure="count", priorities=[priority])
    for code, number in [("2020-Q1", 40), ("2020-Q2", 44), (PERIOD, 47)]:
        _value(reporting, code, number, status="computed")
    return violence, reporting


def _actions(plan, police, aim, author):
    lead = PersonFactory(partnership=police.partnership, name="Pat Lead", organisation=police)
    soon = datetime.date.today() + datetime.timedelta(days=180)
    actions = {}
    for ref, status, due in [("PV-01", "on_track", soon),
                             ("PV-02", "at_risk", datetime.date(2020, 11, 30)),
                             ("PV-03", "complete", datetime.date(2020, 12, 31))]:
        actions[ref] = ActionFactory(plan=plan, reference=ref, lead_organisation=police,
                                     lead_officer=lead, due_date=due, status=status, aims=[aim])
    ActionUpdateFactory(action=actions["PV-03"], date=datetime.date(2020, 11, 15),
                        author=author, status="complete", narrative="Done.")
    return actions


@pytest.fixture
def north():
    """A partnership with no area (so no evidence charts), two indicators and a plan."""
    partnership = PartnershipFactory(name="North CSP", short_name="NCSP", slug="north")
    police = OrganisationFactory(partnership=partnership, name="North Police",
                                 short_name="NPOL", authority_type="police")
    strategy = StrategyFactory(partnership=partnership, title="North strategy")
    priority = PriorityFactory(strategy=strategy, number=1, title="Preventing violence")
    aim = AimFactory(priority=priority, number=1, text="Reduce violent crime")
    plan = ActionPlanFactory(strategy=strategy, year=2020)
    admin = _user("admin", partnership, "admin")
    violence, reporting = _indicators(partnership, police, priority)
    return {"partnership": partnership, "admin": admin, "board": _user("board", partnership,
                                                                      "board"),
            "violence": violence, "reporting": reporting,
            "actions": _actions(plan, police, aim, admin)}


def _rows(snapshot):
    return {row["code"]: row for group in snapshot["scorecard"] for row in group["rows"]}


def _issue(partnership, period=PERIOD, user=None):
    built = report.draft(partnership, period, today=TODAY)
    built.save()
    return report.issue(built, user, today=TODAY)


def _command_output(tmp_path, name, *extra):
    path = tmp_path / name
    call_command("report", "board", "--period", PERIOD, "--partnership", "north",
                 "--format", "pdf", "--output", str(path), *extra)
    return path.read_bytes()


# --------------------------------------------------------------------------------------------
# The snapshot


def test_snapshot_has_the_scorecard_exceptions_and_action_progress(north):
    snapshot = report.build_snapshot(north["partnership"], PERIOD, today=TODAY)
    assert json.loads(json.dumps(snapshot)) == snapshot  # plain data only
    assert snapshot["period"]["label"] == "Oct–Dec 2020 (2020/21 Q3)"
    assert [group["title"] for group in snapshot["scorecard"]] == ["Preventing violence"]
    rows = _rows(snapshot)
    assert (rows["VC1"]["rag"], rows["VC1"]["value_text"], rows["VC1"]["target_text"]) == (
        "red", "130", "100")
    assert rows["CX1"]["rag_label"] == "No RAG"
    assert rows["VC1"]["owner"] == "NPOL" and rows["VC1"]["unit"] == "Count"
    assert snapshot["rag_counts"] == {"green": 0, "amber": 0, "red": 1, "none": 1}
    [exception] = snapshot["exceptions"]
    assert exception["code"] == "VC1"
    assert exception["commentary"] == "The night-time economy reopened in October."
    progress = snapshot["actions"]
    [priority] = progress["priorities"]
    assert priority["title"] == "1. Preventing violence" and priority["total"] == 3
    assert {k: n for k, n in priority["counts"].items() if n} == {
        "on_track": 1, "at_risk": 1, "complete": 1}
    assert [a["reference"] for a in progress["overdue"]] == ["PV-02"]
    assert progress["overdue"][0]["lead"] == "NPOL (Pat Lead)"
    assert [(a["reference"], a["completed"]) for a in progress["completed"]] == [
        ("PV-03", "15 November 2020")]
    assert [c["id"] for c in snapshot["charts"]["indicators"]] == ["indicator-VC1"]
    assert snapshot["charts"]["evidence"] == []
    assert "no area" in snapshot["charts"]["evidence_note"]
    assert snapshot["labels"]["illustrative"] is False and snapshot["labels"]["notices"] == []


def test_only_quarters_and_partnerships_with_indicators_make_reports(north):
    with pytest.raises(ValueError, match="financial quarter"):
        report.build_snapshot(north["partnership"], "2020/21")
    with pytest.raises(ValueError, match="Unrecognised period"):
        report.build_snapshot(north["partnership"], "Q3 2020")
    empty = PartnershipFactory(name="Empty CSP", short_name="E", slug="empty")
    with pytest.raises(report.ReportError, match="no performance indicators"):
        report.build_snapshot(empty, PERIOD)


def test_illustrative_and_simulated_data_are_labelled(north):
    Indicator.objects.filter(pk=north["violence"].pk).update(is_illustrative=True)
    IndicatorValue.objects.filter(indicator=north["violence"], period="2020-Q2").update(
        includes_simulated=True)
    snapshot = report.build_snapshot(north["partnership"], PERIOD, today=TODAY)
    labels = snapshot["labels"]
    assert labels["illustrative"] and labels["simulated"]
    assert labels["illustrative_indicators"] == ["VC1"]
    assert labels["simulated_indicators"] == ["VC1"]
    html = report.render_html(snapshot)
    assert "Illustrative values: VC1" in html and "Simulated data: values of VC1" in html


# --------------------------------------------------------------------------------------------
# HTML and PDF


def test_html_is_self_contained_with_the_scorecard_and_inline_svg_charts(north):
    html = report.render_html(report.build_snapshot(north["partnership"], PERIOD, today=TODAY))
    assert html.startswith("<!doctype html>")
    for text in ("Scorecard", "VC1 Violent crimes", "Exceptions", "The night-time economy",
                 "Action plan progress", "PV-02", "Draft."):
        assert text in html
    assert html.count("<svg") == 1  # the VC1 trend chart
    assert "<script" not in html and "<link" not in html and 'src="http' not in html


def test_pdf_has_several_pages(north):
    html = report.render_html(report.build_snapshot(north["partnership"], PERIOD, today=TODAY))
    started = time.perf_counter()
    pdf = report.render_pdf(html)
    print(f"PDF built in {time.perf_counter() - started:.2f} s")  # shown with -s; not asserted
    assert pdf.startswith(b"%PDF")
    assert len(weasyprint.HTML(string=html).render().pages) > 1


def test_pdf_fetches_nothing_over_the_network(monkeypatch):
    calls = []

    def connect(self, *args):
        calls.append(args)
        raise OSError("no network here")

    monkeypatch.setattr(socket.socket, "connect", connect)
    pdf = report.render_pdf('<p>Text</p><img alt="" src="http://example.org/chart.png">')
    assert pdf.startswith(b"%PDF") and calls == []


# --------------------------------------------------------------------------------------------
# Issuing and freezing


def test_an_issued_report_is_frozen(north, tmp_path):
    issued = _issue(north["partnership"], user=north["admin"])
    assert issued.status == ReportStatus.ISSUED and issued.issued_by == north["admin"]
    assert issued.pdf and bytes(issued.pdf).startswith(b"%PDF")
    stored = BoardReport.objects.get(pk=issued.pk)
    html, pdf, snapshot = stored.html, bytes(stored.pdf), stored.snapshot
    first = _command_output(tmp_path, "first.pdf")

    value = IndicatorValue.objects.get(indicator=north["violence"], period=PERIOD)
    value.value, value.commentary = 60, "Revised down."
    value.save()
    assert _rows(report.build_snapshot(north["partnership"], PERIOD))["VC1"]["rag"] == "green"

    stored = BoardReport.objects.get(pk=issued.pk)
    assert (stored.html, bytes(stored.pdf), stored.snapshot) == (html, pdf, snapshot)
    assert _rows(stored.snapshot)["VC1"]["rag"] == "red"
    assert _command_output(tmp_path, "second.pdf") == first == pdf


def test_a_period_is_issued_only_once(north):
    issued = _issue(north["partnership"])
    with pytest.raises(report.ReportError, match="already issued"):
        report.issue(issued)
    with pytest.raises(report.ReportError, match="already issued"):
        report.issue(BoardReport(partnership=north["partnership"], period=PERIOD, title="Again"))
    with pytest.raises(report.ReportError, match="cannot be redrafted"):
        report.draft(north["partnership"], PERIOD)
    assert BoardReport.objects.filter(status=ReportStatus.ISSUED).count() == 1


def test_the_next_report_lists_what_changed_since_the_previous_one(north):
    earlier = _issue(north["partnership"], "2020-Q2")
    assert _rows(earlier.snapshot)["VC1"]["rag"] == "green"
    assert earlier.snapshot["changes"]["previous"] is None
    later = _issue(north["partnership"], PERIOD)
    assert later.previous == earlier
    changes = later.snapshot["changes"]
    assert changes["previous"]["period"] == "2020-Q2"
    assert "VC1 Violent crimes: RAG changed from Green to Red." in changes["lines"]
    assert "VC1 Violent crimes is a new exception." in changes["lines"]
    assert "RAG changed from Green to Red" in later.html


def test_changes_since_names_indicators_added_and_removed():
    def snap(*rows):
        return {"scorecard": [{"title": "P", "rows": list(rows)}]}

    def row(code, **fields):
        base = {"code": code, "name": "N", "rag": "green", "rag_label": "Green", "value": 1,
                "value_text": "1", "period_label": "Q", "target": 1, "target_text": "1",
                "is_exception": False}
        return {**base, **fields}

    lines = report.changes_since(snap(row("A"), row("B")),
                                 snap(row("B", target=2, target_text="2"), row("C")))
    assert lines == ["C N is new in this report.", "A N is no longer reported.",
                     "B N: target changed from 1 to 2."]


# --------------------------------------------------------------------------------------------
# The command


def test_command_writes_a_draft_without_saving_it_and_issues_on_request(north, tmp_path,
                                                                         capsys):
    path = tmp_path / "draft.html"
    call_command("report", "board", "--period", PERIOD, "--format", "html",
                 "--output", str(path))  # the only partnership: no --partnership needed
    assert "Draft." in path.read_text() and "DRAFT" in capsys.readouterr().out
    assert not BoardReport.objects.exists()
    pdf = _command_output(tmp_path, "issued.pdf", "--issue", "--user", "admin")
    issued = BoardReport.objects.get()
    assert issued.status == ReportStatus.ISSUED and issued.issued_by == north["admin"]
    assert pdf == bytes(issued.pdf)
    _command_output(tmp_path, "again.pdf")
    assert "frozen" in capsys.readouterr().out


def test_command_errors_are_clear(north, tmp_path):
    out = tmp_path / "x.pdf"
    bad_period = run_command("report", "board", "--period", "autumn", "--output", out)
    bad_slug = run_command("report", "board", "--period", PERIOD, "--partnership", "nowhere",
                           "--output", out)
    PartnershipFactory(name="Empty CSP", short_name="E", slug="empty")
    two = run_command("report", "board", "--period", PERIOD, "--output", out)
    empty = run_command("report", "board", "--period", PERIOD, "--partnership", "empty",
                        "--output", out)
    unwritable = run_command("report", "board", "--period", PERIOD, "--partnership", "north",
                             "--format", "html", "--output", tmp_path / "no" / "x.html")
    no_period = run_command("report", "board", "--output", out)
    assert [r.code for r in (bad_period, bad_slug, two, empty, unwritable, no_period)] == [
        2, 2, 2, 1, 1, 2]
    assert "Unrecognised period 'autumn'" in bad_period.err
    assert "No partnership 'nowhere'" in bad_slug.err
    assert "--partnership" in two.err
    assert "no performance indicators" in empty.err
    assert "Cannot write" in unwritable.err
    assert "the following arguments are required: --period" in no_period.err
    assert not out.exists()


def test_command_help():
    result = subprocess.run([sys.executable, "-m", "saferplaces.cli", "report", "board",
                             "--help"], capture_output=True, text=True, timeout=60,
                            env={"SECRET_KEY": "x", "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    assert "usage: saferplaces report board" in result.stdout and "--period" in result.stdout


# --------------------------------------------------------------------------------------------
# Pages


def test_administrators_create_and_issue_members_view(north, client):
    slug = north["partnership"].slug
    client.force_login(north["admin"])
    page = client.get(reverse("report_create", args=[slug]))
    assert page.status_code == 200 and 'value="2020-Q3"' in page.text  # the latest quarter
    bad = client.post(reverse("report_create", args=[slug]), {"period": "2020/21"})
    assert "financial quarter" in bad.text
    created = client.post(reverse("report_create", args=[slug]), {"period": PERIOD})
    draft = BoardReport.objects.get()
    assert created.status_code == 302 and draft.status == ReportStatus.DRAFT
    detail = client.get(reverse("report_detail", args=[slug, draft.pk]))
    assert "Issue this report" in detail.text and "&lt;svg" in detail.text
    unconfirmed = client.post(reverse("report_issue", args=[slug, draft.pk]), follow=True)
    assert "Tick the confirmation box" in unconfirmed.text
    client.post(reverse("report_issue", args=[slug, draft.pk]), {"confirm": "on"})
    assert BoardReport.objects.get().status == ReportStatus.ISSUED

    client.force_login(north["board"])
    listing = client.get(reverse("report_list", args=[slug]))
    assert draft.title in listing.text and "New board report" not in listing.text
    detail = client.get(reverse("report_detail", args=[slug, draft.pk]))
    assert "Issue this report" not in detail.text and "frozen" in detail.text
    pdf = client.get(reverse("report_pdf", args=[slug, draft.pk]))
    assert pdf["Content-Disposition"] == 'attachment; filename="north-board-report-2020-Q3.pdf"'
    assert pdf.content == bytes(BoardReport.objects.get().pdf)


def test_permissions(north, client):
    slug = north["partnership"].slug
    built = report.draft(north["partnership"], PERIOD, today=TODAY)
    built.save()
    client.force_login(north["board"])
    assert client.get(reverse("report_create", args=[slug])).status_code == 403
    assert client.post(reverse("report_create", args=[slug]),
                       {"period": PERIOD}).status_code == 403
    assert client.post(reverse("report_issue", args=[slug, built.pk]),
                       {"confirm": "on"}).status_code == 403
    assert client.get(reverse("report_detail", args=[slug, built.pk])).status_code == 200
    other = PartnershipFactory(name="South CSP", short_name="S", slug="south")
    client.force_login(_user("south-admin", other, "admin"))
    assert client.get(reverse("report_detail", args=[slug, built.pk])).status_code == 404
    assert client.get(reverse("report_detail", args=["south", built.pk])).status_code == 404
    assert BoardReport.objects.get().status == ReportStatus.DRAFT


def test_a_partnership_shown_as_at_a_date_issues_on_that_date(north):
    """One clock: a demonstration frozen at 15 February 2021 issues its report that day, not
    on the real date the demo was loaded."""
    north["partnership"].shown_as_at = datetime.date(2021, 2, 15)
    north["partnership"].save()
    issued = _issue(north["partnership"], user=north["admin"])
    assert issued.snapshot["issue"]["text"] == "15 February 2021"
    assert "Issued on 15 February 2021" in issued.html
    assert issued.issued_at.date() == datetime.date(2021, 2, 15)
