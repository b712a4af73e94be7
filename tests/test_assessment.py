"""The strategic assessment: every generated figure against the evidence commands, the
delivery review against the action plan, performance against the board report, publishing
and versions, pages and permissions, and the command."""

import datetime
import io
import json
import zipfile

import pytest
from django.core.management import call_command
from django.urls import reverse

from saferplaces.assessment import report, sections
from saferplaces.assessment.models import (
    DEFAULT_SERIOUS_VIOLENCE,
    Assessment,
    AssessmentSection,
)
from saferplaces.consultation import results
from saferplaces.consultation.models import Consultation
from saferplaces.partnership.models import Partnership
from saferplaces.performance import scorecard
from saferplaces.performance.report import build_snapshot as board_snapshot
from saferplaces.strategy import services
from tests.conftest import make_action
from tests.factories import IndicatorFactory, IndicatorTargetFactory, IndicatorValueFactory

pytestmark = pytest.mark.django_db
PASSWORD = "an-assessment-test-password"
AREA = "E22000341"  # Wolverhampton CSP
FORCE = "West Midlands Police"
PERIOD = ["--from", "2019-04", "--to", "2020-03"]


def command_json(*args) -> dict:
    out = io.StringIO()
    call_command("crime", *args, "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def crime(name, *args) -> dict:
    return command_json(name, "--area", AREA, "--force", FORCE, *PERIOD, *args)


def tables_of(snapshot: dict) -> dict:
    return {t["id"]: t for s in snapshot["sections"] for t in s["tables"]}


def section_of(snapshot: dict, key: str) -> dict:
    return next(s for s in snapshot["sections"] if s["key"] == key)


@pytest.fixture
def demo(db):
    from saferplaces.demo.loader import load_demo

    load_demo(PASSWORD, evidence=True, framework=False)
    return Partnership.objects.get(slug="swp")


def test_demo_assessment_figures_are_the_evidence_commands(demo):
    assessment = Assessment.objects.get(partnership=demo, period="2019/20")
    assert assessment.is_illustrative and assessment.version == 1
    snapshot = report.build_snapshot(assessment)
    tables = tables_of(snapshot)
    json.dumps(snapshot)  # plain data, as frozen

    # Levels by crime type: crimes and rate from 'crime summary --measure rate', harm from
    # '--measure harm', last year, p and verdict from 'crime change'.
    rate = {r["crime_type"]: r for r in crime("summary", "--by", "crime-type", "--measure",
                                              "rate")["rows"]}
    harm = {r["crime_type"]: r for r in crime("summary", "--by", "crime-type", "--measure",
                                              "harm")["rows"]}
    change = {r["key"]: r for r in crime("change", "--by", "crime-type")["rows"]}
    rows = tables["levels-types"]["rows"]
    assert [row[0] for row in rows] == list(rate)  # the command's order, every type
    for name, count, per_1000, harm_value, last_year, p, verdict in rows:
        assert count == rate[name]["count"] and per_1000 == rate[name]["rate_per_1000"]
        assert harm_value == harm[name]["harm"]
        assert (last_year, p, verdict) == (change[name]["last_year"],
                                            change[name]["p_last_year"],
                                            change[name]["last_year_verdict"])
    # ... by ward
    wards = {r["ward_code"]: r for r in crime("summary", "--by", "ward", "--measure",
                                              "rate")["rows"]}
    ward_harm = {r["ward_code"]: r for r in crime("summary", "--by", "ward", "--measure",
                                                  "harm")["rows"]}
    ward_change = {r["label"]: r for r in crime("change", "--by", "ward")["rows"]}
    ward_rows = tables["levels-wards"]["rows"]
    assert len(ward_rows) == len(wards) == 20
    by_name = {r["ward_name"]: r for r in wards.values()}
    for name, count, per_1000, harm_value, last_year, p, verdict in ward_rows:
        code = by_name[name]["ward_code"]
        assert (count, per_1000) == (wards[code]["count"], wards[code]["rate_per_1000"])
        assert harm_value == ward_harm[code]["harm"]
        assert (last_year, p, verdict) == (ward_change[name]["last_year"],
                                            ward_change[name]["p_last_year"],
                                            ward_change[name]["last_year_verdict"])
    # ... by month (the chart's figures)
    months = crime("summary", "--by", "month")["rows"]
    levels = section_of(snapshot, "levels")
    assert levels["charts"][0]["table"]["rows"] == [[r["month"], r["count"]] for r in months]
    # Every month of 2019/20 in the demo is simulated, and the section says so.
    assert levels["coverage"] == ("12 of the 12 months of the period have crime data: "
                                  "0 real (police.uk), 12 simulated (demonstration).")
    assert len(snapshot["simulated_months"]) == 12

    # Places: the wards with the highest rate, hot spots and repeat locations.
    top = sorted(wards.values(), key=lambda r: -r["rate_per_1000"])[:5]
    assert tables["places-wards"]["rows"] == [
        [r["ward_name"], r["count"], r["population"], r["rate_per_1000"]] for r in top]
    hot = crime("hotspots")["rows"]
    assert tables["places-hotspots"]["rows"] == [
        [r["lsoa_code"], r["lsoa_name"], r["value"], r["z"], r["p"], r["bin"], r["note"]]
        for r in hot]
    repeats = crime("repeats")["rows"]
    shown = tables["places-repeats"]["rows"]
    assert f"({len(repeats):,} in all)" in tables["places-repeats"]["caption"]
    assert len(shown) == min(15, len(repeats))
    assert all(row in [list(r.values()) for r in repeats] for row in shown)
    assert [row[3] for row in shown] == sorted((r["count"] for r in repeats), reverse=True)[:15]
    map_chart = section_of(snapshot, "places")["charts"][0]
    assert len(map_chart["spec"]["data"]["values"]["features"]) == 20
    assert "Crime by ward" in map_chart["caption"]

    # Outcomes: the street files' last outcomes; no outcomes files or stop and search in
    # 2019/20 in the demo, and the section says so.
    street = crime("outcomes", "--street")["rows"]
    assert tables["outcomes-street"]["rows"] == [[r["outcome"], r["crimes"]] for r in street]
    notes = " ".join(section_of(snapshot, "outcomes")["notes"])
    assert "No outcomes files" in notes and "No stop and search" in notes

    # Serious violence: the chosen types' rows of the crime-type table, and their hot spots.
    violence = tables["serious-violence-types"]["rows"]
    assert [row[0] for row in violence] == sorted(DEFAULT_SERIOUS_VIOLENCE)
    assert all(row in rows for row in violence)
    for crime_type, hot_count, _names in tables["serious-violence-hotspots"]["rows"]:
        hot_rows = crime("hotspots", "--crime-type", crime_type)["rows"]
        assert hot_count == sum(1 for r in hot_rows if r["bin"] > 0)

    # Community views: the consultation open in 2019/20, themes as its results count them.
    consultation = Consultation.objects.get(partnership=demo)
    themes = {t.theme: t.count for t in results.theme_summaries(consultation)}
    shown_themes = tables[f"community-themes-{consultation.pk}"]["rows"]
    assert {row[0]: row[1] for row in shown_themes} == themes
    assert f"{consultation.responses.count()} responses" in \
        tables[f"community-themes-{consultation.pk}"]["caption"]

    # No plan covers 2019/20: a clear empty state.
    assert "No adopted action plan covers" in section_of(snapshot, "delivery")["empty"]
    # The demo's June 2019 workshop is linked: its ranking, topic by topic, in rank order.
    from saferplaces.workshop.models import Workshop
    from saferplaces.workshop.results import workshop_results

    workshop = Workshop.objects.get(partnership=demo, year="2019/20")
    assert assessment.workshop == workshop
    ranking = tables["priorities-ranking"]["rows"]
    expected = workshop_results(workshop)
    assert [(row[0], row[1], row[7]) for row in ranking] == [
        (r.rank, r.candidate.name, r.scorers) for r in expected]
    assert sum(1 for row in ranking if row[8] == "chosen") == 4
    assert section_of(snapshot, "levels")["narrative"].startswith("Recorded crime")


def test_demo_assessment_renders_as_html_pdf_and_word(demo, tmp_path):
    assessment = Assessment.objects.get(partnership=demo, period="2019/20")
    snapshot = report.build_snapshot(assessment)
    html = report.render_html(snapshot)
    assert html.count("<section") == 8 and "<svg" in html
    assert "SIMULATED demonstration data" in html and "Illustrative narrative" in html
    docx = report.render_docx(snapshot)
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        body = archive.read("word/document.xml").decode()
        pictures = [n for n in archive.namelist() if n.startswith("word/media/")]
    for item in snapshot["sections"]:
        assert item["title"] in body
    assert "Violence and sexual offences" in body and len(pictures) == 2  # trend and map
    target = tmp_path / "assessment.pdf"
    call_command("assessment", "report", "--partnership", "swp", "--year", "2019/20",
                 "--format", "pdf", "--output", str(target), stdout=io.StringIO())
    assert target.read_bytes().startswith(b"%PDF")


# --------------------------------------------------------------------------------------------
# Delivery of the previous plan, worked out by hand from the plan


def test_delivery_outcome_rules():
    end = datetime.date(2021, 3, 31)
    assert sections.delivery_outcome("complete", datetime.date(2022, 1, 1), end, False) == \
        "completed"
    assert sections.delivery_outcome("cancelled", end, end, True) == "cancelled"
    assert sections.delivery_outcome("on_track", end, end, True) == "carried forward"
    assert sections.delivery_outcome("at_risk", end, end, False) == "late"
    assert sections.delivery_outcome("on_track", datetime.date(2021, 4, 1), end, False) == \
        "open"


def test_delivery_counts_count_an_action_under_each_priority():
    actions = [{"outcome": "completed", "priority": ["1. A", "2. B"]},
               {"outcome": "late", "priority": ["1. A"]},
               {"outcome": "open", "priority": []}]
    assert sections.delivery_counts(actions, "priority") == [
        ["(none)", 0, 0, 0, 1, 0, 1],
        ["1. A", 1, 1, 0, 0, 0, 2],
        ["2. B", 1, 0, 0, 0, 0, 1],
    ]


def test_delivery_review_against_the_action_plan(world):
    a = world["a"]
    plan = a["plan"]  # 2020/21, active; PV-01 and PV-02 open, PV-03 complete
    end = datetime.date(2021, 3, 31)
    make_action(plan, "PV-04", a["police"], aims=[a["aims"][1]], due_date=end,
                status="off_track")
    make_action(plan, "PV-05", a["council"], aims=[a["aims"][0]], status="cancelled",
                due_date=datetime.date(2020, 9, 30))
    next_plan = services.roll_forward(plan)
    next_plan.actions.filter(reference="PV-04").delete()  # dropped, not carried forward
    plan.refresh_from_db()

    # Worked out independently from the plan as it stands.
    carried = set(next_plan.actions.values_list("reference", flat=True))
    expected_org: dict[str, list[int]] = {}
    columns = ["completed", "late", "carried forward", "open", "cancelled"]
    for action in plan.actions.all():
        if action.status == "complete":
            outcome = "completed"
        elif action.status == "cancelled":
            outcome = "cancelled"
        elif action.reference in carried:
            outcome = "carried forward"
        else:
            outcome = "late" if action.due_date <= plan.end_date else "open"
        counts = expected_org.setdefault(action.lead_organisation.short_name, [0] * 5)
        counts[columns.index(outcome)] += 1
    assert carried == {"PV-01", "PV-02"}

    assessment = report.create(a["partnership"], "2020/21", [])
    delivery = section_of(report.build_snapshot(assessment), "delivery")
    tables = {t["id"]: t for t in delivery["tables"]}
    assert tables["delivery-organisation"]["rows"] == [
        [org, *counts, sum(counts)] for org, counts in sorted(expected_org.items())]
    # By hand: every action serves priority 1.
    assert tables["delivery-priority"]["rows"] == [
        ["1. Preventing violence", 1, 1, 2, 0, 1, 5]]
    assert [row[0] for row in tables["delivery-late"]["rows"]] == ["PV-01", "PV-02", "PV-04"]
    assert delivery["sentence"].startswith("1 of the 5 actions")


def test_performance_section_is_the_board_reports_scorecard(world):
    a = world["a"]
    partnership = a["partnership"]
    red = IndicatorFactory(partnership=partnership, owner=a["police"], code="PV1",
                           priorities=[a["priority"]])
    IndicatorValueFactory(indicator=red, period="2020-Q4", value=30)
    IndicatorTargetFactory(indicator=red, period="2020-Q4", value=10)
    green = IndicatorFactory(partnership=partnership, owner=a["police"], code="PV2",
                             priorities=[a["priority"]])
    IndicatorValueFactory(indicator=green, period="2020-Q4", value=5)
    assessment = report.create(partnership, "2020/21", [])
    today = datetime.date(2021, 5, 1)
    section = section_of(report.build_snapshot(assessment, today), "performance")
    board = board_snapshot(partnership, "2020-Q4", today)
    board_rows = {r["code"]: r for g in board["scorecard"] for r in g["rows"]}
    shown = {t["id"]: t for t in section["tables"]}
    assert [row[0] for row in shown["performance-scorecard"]["rows"]] == ["PV1", "PV2"]
    for code, _name, _period, value, target, rag, travel in shown["performance-scorecard"][
            "rows"]:
        row = board_rows[code]
        assert (value, target, rag, travel) == (row["value_text"], row["target_text"],
                                                row["rag_label"], row["long_term"])
    assert [row[0] for row in shown["performance-exceptions"]["rows"]] == \
        [r["code"] for r in board["exceptions"]] == ["PV1"]
    assert scorecard.build(partnership, assessment.period_value, today) is not None


# --------------------------------------------------------------------------------------------
# Publishing, versions, pages


def test_publish_freezes_and_a_new_version_copies(world, login):
    a = world["a"]
    admin = world["users"]["admin"]
    assessment = report.create(a["partnership"], "2020/21", ["Robbery"], admin)
    AssessmentSection.objects.filter(assessment=assessment, key="levels").update(
        narrative="Before publishing.")
    report.publish(assessment, admin)
    assessment.refresh_from_db()
    assert assessment.is_published and bytes(assessment.pdf).startswith(b"%PDF")
    assert assessment.snapshot["publication"]["by"] == admin.get_username()
    # Later edits to the narrative do not reach the frozen version.
    AssessmentSection.objects.filter(assessment=assessment, key="levels").update(
        narrative="After publishing.")
    frozen = report.snapshot_for(assessment)
    assert section_of(frozen, "levels")["narrative"] == "Before publishing."
    assert report.output(assessment, "html") == assessment.html.encode()
    with pytest.raises(report.AssessmentError):
        report.publish(assessment, admin)
    second = report.new_version(assessment, admin)
    assert (second.version, second.status, second.previous_id) == (2, "draft", assessment.pk)
    assert second.serious_violence_types == ["Robbery"]
    assert second.sections.get(key="levels").narrative == "After publishing."
    with pytest.raises(report.AssessmentError):
        report.create(a["partnership"], "2020/21", [])  # one draft per period


def test_publishing_is_dated_by_the_partnerships_clock(world):
    partnership = world["a"]["partnership"]
    partnership.shown_as_at = datetime.date(2021, 2, 15)
    partnership.save()
    assessment = report.create(partnership, "2019/20", ["Robbery"], world["users"]["admin"])
    report.publish(assessment, world["users"]["admin"])
    assessment.refresh_from_db()
    assert assessment.published_at.date() == datetime.date(2021, 2, 15)
    assert assessment.snapshot["publication"]["text"] == "15 February 2021"


def test_pages_follow_the_permissions(world, login):
    a = world["a"]
    slug = a["partnership"].slug
    board = login(world["users"]["board"])
    assert board.get(reverse("assessment_list", args=[slug])).status_code == 200
    assert board.get(reverse("assessment_create", args=[slug])).status_code == 403
    officer = login(world["users"]["police"])
    response = officer.post(reverse("assessment_create", args=[slug]),
                            {"period": "2020/2", "serious_violence_types": ["Robbery"]})
    assert response.status_code == 200
    assert "not a financial year" in response.content.decode() or \
        "Unrecognised period" in response.content.decode()
    response = officer.post(reverse("assessment_create", args=[slug]),
                            {"period": "2020/21", "serious_violence_types": ["Robbery"]})
    created = Assessment.objects.get(partnership=a["partnership"])
    assert response.status_code == 302 and created.created_by == world["users"]["police"]
    edit = reverse("assessment_section_edit", args=[slug, created.pk, "places"])
    assert officer.post(edit, {"narrative": "Hot spots in the centre."}).status_code == 302
    assert created.sections.get(key="places").narrative == "Hot spots in the centre."
    assert created.sections.get(key="places").history.count() == 2
    page = officer.get(reverse("assessment_detail", args=[slug, created.pk])).content.decode()
    assert "Hot spots in the centre." in page and "No workshop recorded" in page
    publish = reverse("assessment_publish", args=[slug, created.pk])
    assert officer.post(publish, {"confirm": "on"}).status_code == 403
    admin = login(world["users"]["admin"])
    assert admin.post(publish, {"confirm": "on"}).status_code == 302
    created.refresh_from_db()
    assert created.is_published
    assert admin.post(edit, {"narrative": "changed"}).status_code == 403
    for fmt, start in (("pdf", b"%PDF"), ("docx", b"PK"), ("html", b"<!doctype html>")):
        response = admin.get(reverse("assessment_download", args=[slug, created.pk, fmt]))
        assert response.status_code == 200 and response.content.startswith(start)
    assert admin.get(reverse("assessment_download", args=[slug, created.pk, "xls"])
                     ).status_code == 404
    other = login(world["users"]["admin_b"])
    assert other.get(reverse("assessment_detail", args=[slug, created.pk])).status_code == 404


def test_command_refuses_unknown_partnership_and_period(world, tmp_path):
    from django.core.management.base import CommandError

    for args in (["--partnership", "nope", "--year", "2019/20"],
                 ["--partnership", "alpha", "--year", "2019/2"]):
        with pytest.raises(CommandError) as failed:
            call_command("assessment", "report", *args, "--output", str(tmp_path / "x"),
                         stdout=io.StringIO(), stderr=io.StringIO())
        assert failed.value.returncode == 2
    assert not (tmp_path / "x").exists()


def test_recommended_priorities_come_from_the_workshop(world, login):
    from saferplaces.workshop.models import CandidateTopic, Criterion, Score, Scorer, Workshop
    from saferplaces.workshop.results import workshop_results

    a = world["a"]
    partnership = a["partnership"]
    workshop = Workshop.objects.create(partnership=partnership, year="2020/21",
                                       title="June workshop", date=datetime.date(2020, 6, 1))
    Workshop.objects.create(partnership=partnership, year="2019/20", title="Other year",
                            date=datetime.date(2019, 6, 1))
    harm = Criterion.objects.create(workshop=workshop, name="Harm", weight=2)
    volume = Criterion.objects.create(workshop=workshop, name="Volume", weight=1)
    violence = CandidateTopic.objects.create(workshop=workshop, name="Violence", chosen=True)
    burglary = CandidateTopic.objects.create(workshop=workshop, name="Burglary")
    for name, values in (("Ann", {violence: (5, 4), burglary: (2, 3)}),
                         ("Bob", {violence: (4, 4), burglary: (3, 1)})):
        scorer = Scorer.objects.create(workshop=workshop, name=name)
        for candidate, (on_harm, on_volume) in values.items():
            Score.objects.create(scorer=scorer, candidate=candidate, criterion=harm,
                                 value=on_harm)
            Score.objects.create(scorer=scorer, candidate=candidate, criterion=volume,
                                 value=on_volume)
    assessment = report.create(partnership, "2020/21", [])
    assert "No workshop recorded" in section_of(report.build_snapshot(assessment),
                                                "priorities")["empty"]
    # Chosen on the settings page, among the workshops of the same year only.
    admin = login(world["users"]["admin"])
    settings_url = reverse("assessment_settings", args=[partnership.slug, assessment.pk])
    other = Workshop.objects.get(title="Other year")
    response = admin.post(settings_url, {"workshop": other.pk})
    assert response.status_code == 200 and "workshop" in response.context["form"].errors
    assert admin.post(settings_url, {"workshop": workshop.pk,
                                     "serious_violence_types": ["Robbery"]}).status_code == 302
    assessment.refresh_from_db()
    assert assessment.workshop == workshop
    assert assessment.serious_violence_types == ["Robbery"]
    shown = section_of(report.build_snapshot(assessment), "priorities")
    expected = workshop_results(workshop)
    rows = shown["tables"][0]["rows"]
    assert [(row[0], row[1]) for row in rows] == [(r.rank, r.candidate.name)
                                                    for r in expected]
    assert [row[2] for row in rows] == [round(r.mean, 2) for r in expected]
    assert [row[3] for row in rows] == [round(r.median, 2) for r in expected]
    assert rows[0][1] == "Violence" and rows[0][8] == "chosen" and rows[1][8] == ""
    assert shown["sentence"] == "The workshop chose 1 priority: Violence."


def test_a_tables_column_prints_its_fractions_alike():
    found = {"header": ["Ward", "Rate per 1,000", "z", "p (exact test)", "Longitude"],
             "rows": [["A", 0.818, 0.5312, 0.012345, -2.1234567],
                      ["B", 34.456, 3.1, 0.5, -2.0],
                      ["C", 12.0, None, 1.0, -2.1],
                      ["D", 7.0, -4.2, 0.0, None]],
             "exact": [4]}
    assert report.table_text(found) == [
        ["A", "0.82", "0.53", "0.0123", "-2.1234567"],
        ["B", "34.46", "3.10", "0.5000", "-2.0"],
        ["C", "12", "–", "1.0000", "-2.1"],
        ["D", "7", "-4.20", "<0.0001", "None"],
    ]
