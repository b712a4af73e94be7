"""Committee reports: the paper deadline calculator, the approval route (order and
conditions), issuing (frozen output), the pages' permissions and errors, and the command."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse

from saferplaces.committee import deadlines, services
from saferplaces.committee import report as document
from saferplaces.committee.models import (
    CommitteeReport,
    Decision,
    ReportParagraph,
    ReportSection,
    RouteStep,
    SectionKind,
)
from saferplaces.core.numbers import format_money
from tests.factories import CommitteeReportFactory

D = datetime.date


# --------------------------------------------------------------------------------------------
# The deadline calculator (pure; dates worked out by hand from a calendar)


@pytest.mark.parametrize("meeting, days, due", [
    # Christmas and New Year 2020: 25 Dec (Fri), Boxing Day observed 28 Dec (Mon), 1 Jan (Fri).
    (D(2021, 1, 4), 10, D(2020, 12, 16)),
    # Easter 2021: Good Friday 2 April, Easter Monday 5 April.
    (D(2021, 4, 8), 5, D(2021, 3, 30)),
    # The late summer bank holiday Monday, 31 August 2020.
    (D(2020, 9, 2), 3, D(2020, 8, 27)),
    # The early May bank holiday of 2020 moved to Friday 8 May (VE Day).
    (D(2020, 5, 11), 1, D(2020, 5, 7)),
    # An ordinary week: Wednesday's papers are due the Wednesday before.
    (D(2020, 10, 21), 5, D(2020, 10, 14)),
])
def test_papers_are_due_working_days_before_the_meeting(meeting, days, due):
    assert deadlines.papers_due(meeting, days) == due


def test_without_bank_holidays_only_weekends_are_skipped():
    assert deadlines.papers_due(D(2021, 1, 4), 10, holidays=()) == D(2020, 12, 21)


def test_england_and_wales_share_their_bank_holidays():
    import holidays

    years = range(2018, 2031)
    wales = set(holidays.country_holidays("GB", subdiv="WLS", years=list(years)))
    assert deadlines.bank_holidays(years) == wales
    assert D(2020, 12, 28) in wales and D(2022, 9, 19) in wales  # the Queen's funeral


def test_papers_are_due_at_least_a_day_before():
    with pytest.raises(ValueError):
        deadlines.papers_due(D(2021, 1, 4), 0)


# --------------------------------------------------------------------------------------------
# The approval route


@pytest.fixture
def report(world):
    made = CommitteeReportFactory(partnership=world["a"]["partnership"])
    return services.create_report(made)


def route_of(report, *bodies):
    return [services.add_step(report, services.body_named(report.partnership, name), day)
            for name, day in bodies]


ROUTE = [("Leadership Team", D(2021, 1, 12)), ("Scrutiny Board", D(2021, 2, 2)),
         ("Cabinet", D(2021, 2, 24))]


def test_a_new_report_has_the_template_sections(report):
    titles = list(report.sections.values_list("title", flat=True))
    assert titles[:4] == ["Purpose", "Background", "Evaluation of alternative options",
                          "Reasons for decision"]
    assert titles[-1] == "Schedule of background papers"
    assert report.sections.filter(kind=SectionKind.IMPLICATIONS).count() == 9
    snapshot = document.build_snapshot(report)
    headings = [s["heading"] for s in snapshot["sections"]]
    assert headings[4] == "5.0 Financial implications"
    assert snapshot["sections"][12]["paragraphs"][0] == {
        "number": "13.1", "blocks": [{"text": "There are no section 17 crime and disorder "
                                               "implications."}]}


def test_the_route_refuses_a_step_before_the_previous_one_is_approved(report):
    first, second, third = route_of(report, *ROUTE)
    with pytest.raises(ValidationError) as refused:
        services.record_decision(second, Decision.APPROVED)
    assert refused.value.error_dict["decision"][0].code == "previous_not_considered"
    services.record_decision(first, Decision.DEFERRED)
    with pytest.raises(ValidationError):
        services.record_decision(second, Decision.APPROVED)  # deferred is not approved
    services.record_decision(first, Decision.APPROVED)
    services.record_decision(second, Decision.APPROVED)
    assert RouteStep.objects.get(pk=second.pk).decision == Decision.APPROVED
    with pytest.raises(ValidationError) as refused:
        services.record_decision(first, Decision.REJECTED)  # the next one has decided
    assert refused.value.error_dict["decision"][0].code == "later_considered"
    assert not RouteStep.objects.get(pk=third.pk).decision


def test_a_step_cannot_meet_before_the_one_it_follows(report):
    first, second = route_of(report, ("Scrutiny Board", D(2021, 2, 2)),
                             ("Cabinet", D(2021, 1, 5)))
    services.record_decision(first, Decision.APPROVED)
    with pytest.raises(ValidationError) as refused:
        services.record_decision(second, Decision.APPROVED)
    error = refused.value.error_dict["meeting_date"][0]
    assert error.code == "before_previous"
    assert "(2 February 2021)" in error.message  # the date as every document writes it


def test_conditions_are_tracked_until_resolved(report):
    first, second = route_of(report, *ROUTE[:2])
    with pytest.raises(ValidationError):
        services.add_condition(first, "Name the ASB teams")  # not a conditional approval
    services.record_decision(first, Decision.APPROVED_WITH_CONDITIONS)
    condition = services.add_condition(first, "Name the ASB teams")
    services.record_decision(second, Decision.APPROVED)
    problems = document.issue_problems(report)
    assert problems == ["Leadership Team's condition is not resolved: Name the ASB teams"]
    with pytest.raises(document.ReportError):
        document.issue(report)
    with pytest.raises(ValidationError):
        services.resolve_condition(condition, D(2021, 2, 10), "")  # say how
    services.resolve_condition(condition, D(2021, 2, 10), "Section 7 names them.")
    assert document.issue_problems(report) == []
    with pytest.raises(ValidationError):  # a step with conditions keeps its decision kind
        services.record_decision(first, Decision.APPROVED)


def test_the_database_refuses_what_the_forms_refuse(report):
    step, = route_of(report, ROUTE[0])
    with pytest.raises(IntegrityError), transaction.atomic():
        RouteStep.objects.filter(pk=step.pk).update(decision="nodded")
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportSection.objects.create(report=report, number=99, title="Odd",
                                     kind=SectionKind.BODY, implication="legal")
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportParagraph.objects.create(section=report.sections.first(), number=1, text="")


def test_an_issued_report_is_frozen(report, world):
    report.strategy = world["a"]["strategy"]
    report.save()
    purpose = report.sections.get(title="Purpose")
    ReportParagraph.objects.create(section=purpose, number=1, text="Agree the priorities:",
                                   live_content="strategy_priorities")
    first, = route_of(report, ROUTE[0])
    services.record_decision(first, Decision.APPROVED)
    issued = document.issue(report, world["users"]["admin"])
    docx = bytes(issued.docx)
    assert "Preventing violence" in issued.html
    world["a"]["priority"].title = "Something else"
    world["a"]["priority"].save()
    again = CommitteeReport.objects.get(pk=report.pk)
    assert document.output(again, "docx").content == docx
    assert "Preventing violence" in document.output(again, "html").content.decode()
    with pytest.raises(ValidationError):
        services.add_step(again, services.body_named(again.partnership, "Late body"),
                          D(2021, 3, 1))
    with pytest.raises(document.ReportError):
        document.issue(again)


def test_a_partnership_shown_as_at_a_date_issues_on_that_date(report, world):
    """Issuing reads the one clock (core.clock.now), as board reports do: a demonstration
    shown as at 15 February 2021 never says it issued a report on the real date."""
    report.partnership.shown_as_at = D(2021, 2, 15)
    report.partnership.save()
    first, = route_of(report, ROUTE[0])
    services.record_decision(first, Decision.APPROVED)
    issued = document.issue(report, world["users"]["admin"], files=False)
    assert issued.issued_at.date() == D(2021, 2, 15)
    assert issued.snapshot["issue"]["date"] == "2021-02-15"
    assert "Issued 15 February 2021" in issued.html


def test_live_content_without_its_record_stops_the_issue(report):
    purpose = report.sections.get(title="Purpose")
    ReportParagraph.objects.create(section=purpose, number=1, text="Channels:",
                                   live_content="consultation_channels")
    problems = document.issue_problems(report)
    assert problems == ["Live content is missing in 1.0 Purpose: Choose the report's "
                        "consultation (Edit header) to draw on it."]


def test_paragraph_text_becomes_numbered_blocks_and_bullets():
    assert document.blocks_of("Intro:\n- one\n- two\n\nAfter") == [
        {"text": "Intro:"}, {"bullets": ["one", "two"]}, {"text": "After"}]


# --------------------------------------------------------------------------------------------
# Pages


def url(name, report, *args):
    return reverse(name, args=[report.partnership.slug, report.pk, *args])


def test_members_read_officers_draft_and_admins_decide(report, world, login):
    step, = route_of(report, ROUTE[0])
    board = login(world["users"]["board"])
    assert board.get(reverse("committee_report_list", args=["alpha"])).status_code == 200
    assert board.get(url("committee_report_detail", report)).status_code == 200
    assert board.get(url("committee_report_edit", report)).status_code == 403
    officer = login(world["users"]["police"])
    assert officer.get(url("committee_report_edit", report)).status_code == 200
    assert officer.get(url("committee_step_decision", report, step.pk)).status_code == 403
    assert officer.post(url("committee_report_issue", report),
                        {"confirm": "on"}).status_code == 403


def test_an_out_of_order_decision_is_shown_next_to_the_field(report, world, login):
    _first, second = route_of(report, *ROUTE[:2])
    admin = login(world["users"]["admin"])
    page = admin.post(url("committee_step_decision", report, second.pk),
                      {"meeting_date": "2021-02-02", "decision": "approved"})
    assert page.status_code == 200
    assert "Leadership Team has not yet approved the report" in page.content.decode()
    assert not RouteStep.objects.get(pk=second.pk).decision


def test_the_route_page_shows_paper_deadlines(report, world, login):
    route_of(report, ("Cabinet", D(2021, 1, 4)))  # 10 working days across Christmas
    page = login(world["users"]["admin"]).get(url("committee_route", report))
    assert "Wed 16 Dec 2020" in page.content.decode()


def test_the_command_lists_and_writes_a_report(report, tmp_path, capsys):
    call_command("report", "committee", "--list")
    assert f"{report.pk}\talpha\t2021-03-10\tDraft\t" in capsys.readouterr().out
    target = tmp_path / "report.html"
    call_command("report", "committee", "--id", str(report.pk), "--format", "html",
                 "--output", str(target))
    assert "5.0 Financial implications" in target.read_text()
    with pytest.raises(Exception) as refused:
        call_command("report", "committee", "--id", "999999", "--output", str(target))
    assert getattr(refused.value, "returncode", None) == 2



# --------------------------------------------------------------------------------------------
# Live content from grants and equality analyses


def test_grant_figures_feed_the_financial_implications(report, world):
    from decimal import Decimal

    from saferplaces.committee import live_content
    from saferplaces.grants.models import Allocation, Grant, Spend

    grant = Grant.objects.create(partnership=world["a"]["partnership"], title="PCC grant",
                                 funder="Police and Crime Commissioner", year=2020,
                                 amount=Decimal("150000.00"),
                                 ring_fence="Community safety use by the partnership.")
    mentoring = Allocation.objects.create(grant=grant, project_name="Mentoring",
                                          amount=Decimal("40000.00"))
    Spend.objects.create(allocation=mentoring, spent_on=D(2020, 9, 1), amount=Decimal("1234.56"),
                         description="Quarter 2")
    report.grant = grant
    report.save()
    assert live_content.render(report, "grant_figures") == [
        {"text": "PCC grant from Police and Crime Commissioner for 2020/21: £150,000.00 "
                 "(ring-fence: Community safety use by the partnership). Allocated "
                 "£40,000.00, spent £1,234.56, not yet allocated £110,000.00."},
        {"bullets": ["Mentoring: £40,000.00 allocated, £1,234.56 spent"]}]
    # Money is printed by the one formatter (core.numbers.format_money, the `money` filter).
    assert format_money(grant.amount) in live_content.render(report, "grant_figures")[0]["text"]


def test_committee_and_board_reports_share_the_date_and_name_helpers():
    from saferplaces.core import words
    from saferplaces.performance import report as board

    assert document.date_text is board.date_text is words.date_text
    assert document.user_name is board.user_name is words.user_name
    assert words.date_text(D(2021, 2, 5)) == "5 February 2021"


def test_the_equality_summary_feeds_the_equalities_implications(report, world):
    from saferplaces.equality.models import EqualityAnalysis, EqualityImpact

    analysis = EqualityAnalysis.objects.create(partnership=world["a"]["partnership"],
                                               title="Strategy EqIA")
    EqualityImpact.objects.create(analysis=analysis, characteristic="race", impact="positive",
                                  evidence="Consultation targeted diverse communities.")
    report.equality_analysis = analysis
    report.save()
    equalities = report.sections.get(implication="equalities")
    ReportParagraph.objects.create(section=equalities, number=1, text="",
                                   live_content="equality_summary")
    section = next(s for s in document.build_snapshot(report)["sections"]
                   if s["title"] == "Equalities implications")
    text = section["paragraphs"][0]["blocks"][0]["text"]
    from saferplaces.equality.summary import equality_summary

    assert text == equality_summary(analysis)["text"]  # the equality app's words, unchanged
    assert "Strategy EqIA" in text and "A positive impact is expected for race." in text


def test_the_database_keeps_the_route_in_order(report):
    first, second = route_of(report, *ROUTE[:2])
    with pytest.raises(IntegrityError), transaction.atomic():
        RouteStep.objects.filter(pk=second.pk).update(decision=Decision.APPROVED)
    with pytest.raises(IntegrityError), transaction.atomic():
        RouteStep.objects.create(report=report, number=3, body=second.body,
                                 meeting_date=D(2021, 3, 1), decision=Decision.APPROVED)
    RouteStep.objects.filter(pk=first.pk).update(decision=Decision.APPROVED)
    RouteStep.objects.filter(pk=second.pk).update(decision=Decision.REJECTED)
    with pytest.raises(IntegrityError), transaction.atomic():
        RouteStep.objects.filter(pk=first.pk).update(decision=Decision.DEFERRED)
