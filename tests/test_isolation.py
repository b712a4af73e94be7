"""Every page under /p/<slug>/ is private to the partnership's members.

The routes are read from the URL resolver, not listed by hand, so a new page is checked as
soon as it has a URL. Each path parameter is filled with a real object of partnership alpha
(`FILL` says which); a route with a parameter `FILL` does not know fails the test, so nobody
can add a page without saying what its parameters are. For every route:
- a logged-in non-member of alpha gets 404 on GET and POST, and
- an administrator or a viewer of beta who puts alpha's ids under beta's own slug gets 404
  too, not 403, since pages fetch before they check the role (a GET of a POST-only page is
  405: the method is refused before any id is looked up).
A member of alpha reaching the same URLs (not 404) shows the ids are real.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from saferplaces.areas.models import Area, AreaLevel, AreaLink
from saferplaces.assessment.models import Assessment
from saferplaces.consultation.models import (
    ChannelResponse,
    ConsultationDocument,
    PublicMeeting,
    YouSaidWeDid,
)
from saferplaces.crime.models import CrimeCount, CrimeImport
from saferplaces.equality.models import EqualityAnalysis
from saferplaces.grants.models import Allocation, Grant, GrantReportingDate, Spend
from saferplaces.jobs.models import Job
from saferplaces.partnership.models import BoardSeat, Membership, PartnerBody, Role
from saferplaces.performance.models import BoardReport
from saferplaces.strategy.models import LinkedStrategy
from tests.committee_data import committee_parts
from tests.consultation_data import make_consultation
from tests.factories import IndicatorFactory, IndicatorValueFactory, MembershipFactory
from tests.workshop_data import make_workshop

pytestmark = pytest.mark.django_db

PREFIX = "p/<slug:partnership>/"
CONVERTER = re.compile(r"<(?:\w+:)?(\w+)>")

# Route name -> {parameter: what fills it}. A value names an object of alpha's (see
# `alpha_objects`); GLOBAL_VALUES are not owned by any partnership (a crime type exists
# everywhere), so only the non-member check applies to the routes that use them.
FILL = {
    "strategy_detail": {"pk": "strategy"},
    "strategy_edit": {"pk": "strategy"},
    "priority_create": {"strategy_pk": "strategy"},
    "priority_edit": {"strategy_pk": "strategy", "pk": "priority"},
    "aim_create": {"priority_pk": "priority"},
    "aim_edit": {"priority_pk": "priority", "pk": "aim"},
    "plan_create": {"strategy_pk": "strategy"},
    "plan_edit": {"strategy_pk": "strategy", "pk": "plan"},
    "plan_detail": {"pk": "plan"},
    "plan_export": {"pk": "plan"},
    "plan_import": {"pk": "plan"},
    "plan_roll_forward": {"pk": "plan"},
    "plan_compare": {"pk": "plan", "other_pk": "plan"},
    "action_create": {"plan_pk": "plan"},
    "action_detail": {"pk": "action"},
    "action_edit": {"pk": "action"},
    "action_post_update": {"pk": "action"},
    "organisation_detail": {"pk": "organisation"},
    "organisation_edit": {"pk": "organisation"},
    "board_seat_edit": {"pk": "seat"},
    "partner_body_edit": {"pk": "partner_body"},
    "person_edit": {"pk": "person"},
    "linked_strategy_edit": {"pk": "linked"},
    "member_edit": {"pk": "membership"},
    "member_remove": {"pk": "membership"},
    "ward_profile": {"code": "ward"},
    "crime_type": {"slug": "crime_type"},
    "indicator": {"code": "indicator"},
    "indicator_submit": {"code": "indicator"},
    "value_review": {"pk": "value"},
    "report_detail": {"pk": "report"},
    "report_pdf": {"pk": "report"},
    "report_issue": {"pk": "report"},
    "job_detail": {"pk": "job"},
    "consultation_detail": {"pk": "consultation"},
    "consultation_edit": {"pk": "consultation"},
    "consultation_status": {"pk": "consultation"},
    "consultation_document_create": {"pk": "consultation"},
    "consultation_document": {"pk": "consultation", "document_pk": "document"},
    "consultation_export_breakdowns": {"pk": "consultation"},
    "consultation_point_tagging": {"pk": "consultation"},
    "consultation_section_create": {"pk": "consultation"},
    "consultation_section_edit": {"pk": "consultation", "section_pk": "section"},
    "consultation_question_create": {"pk": "consultation", "section_pk": "section"},
    "consultation_question_edit": {"pk": "consultation", "section_pk": "section",
                                   "question_pk": "question"},
    "consultation_question_move": {"pk": "consultation", "question_pk": "question"},
    "consultation_distribution_create": {"pk": "consultation"},
    "consultation_meeting_create": {"pk": "consultation"},
    "consultation_meeting_edit": {"pk": "consultation", "meeting_pk": "meeting"},
    "consultation_responses": {"pk": "consultation"},
    "consultation_paper_response": {"pk": "consultation"},
    "consultation_results": {"pk": "consultation"},
    "consultation_export_csv": {"pk": "consultation"},
    "consultation_export_xlsx": {"pk": "consultation"},
    "consultation_themes": {"pk": "consultation"},
    "public_meeting_edit": {"pk": "public_meeting"},
    "consultation_report_html": {"pk": "consultation"},
    "consultation_report_pdf": {"pk": "consultation"},
    "consultation_tagging": {"pk": "consultation"},
    "consultation_you_said": {"pk": "consultation"},
    "consultation_you_said_create": {"pk": "consultation"},
    "consultation_you_said_edit": {"pk": "consultation", "item_pk": "you_said"},
    **{name: {"pk": "board_meeting"} for name in (
        "meeting_detail", "meeting_edit", "meeting_agenda", "meeting_attendance",
        "meeting_minutes")},
    "meeting_paper_create": {"pk": "board_meeting", "item_pk": "agenda_item"},
    "arising_create": {"meeting_pk": "board_meeting"},
    "meeting_paper": {"pk": "paper"},
    "arising_edit": {"pk": "action_arising"},
    "body_edit": {"pk": "body"},
    **{name: {"pk": "grant"} for name in ("grant_detail", "grant_edit", "grant_return",
                                          "grant_return_csv", "grant_return_pdf",
                                          "grant_reporting_date_create")},
    "grant_reporting_date_edit": {"pk": "grant", "date_pk": "reporting_date"},
    "allocation_create": {"grant_pk": "grant"},
    "allocation_detail": {"pk": "allocation"},
    "allocation_edit": {"pk": "allocation"},
    "spend_create": {"allocation_pk": "allocation"},
    "spend_edit": {"pk": "spend"},
    "equality_detail": {"pk": "analysis"},
    "equality_edit": {"pk": "analysis"},
    "equality_sign_off": {"pk": "analysis"},
    "equality_impact_edit": {"pk": "analysis", "characteristic": "characteristic"},
    **{name: {"pk": "committee_report", **more} for name, more in {
        "committee_report_detail": {}, "committee_report_edit": {}, "committee_report_issue": {},
        "committee_report_download": {"format": "committee_format"},
        "committee_recommendation_create": {},
        "committee_recommendation_edit": {"item_pk": "committee_recommendation"},
        "committee_section_create": {},
        "committee_section_edit": {"section_pk": "committee_section"},
        "committee_paragraph_create": {"section_pk": "committee_section"},
        "committee_paragraph_edit": {"section_pk": "committee_section",
                                     "paragraph_pk": "committee_paragraph"},
        "committee_route": {}, "committee_step_decision": {"step_pk": "committee_step"},
        "committee_step_remove": {"step_pk": "committee_step"},
        "committee_condition_create": {"step_pk": "committee_step"},
        "committee_condition_resolve": {"condition_pk": "committee_condition"}}.items()},
    "committee_body_edit": {"body_pk": "committee_body"},
    **{name: {"pk": "workshop"} for name in (
        "workshop_detail", "workshop_edit", "workshop_criterion_create",
        "workshop_candidate_create", "workshop_scorer_create", "workshop_results",
        "workshop_choose", "workshop_evidence")},
    "workshop_criterion_edit": {"pk": "workshop", "criterion_pk": "criterion"},
    "workshop_candidate_edit": {"pk": "workshop", "candidate_pk": "candidate"},
    "workshop_scorer_edit": {"pk": "workshop", "scorer_pk": "scorer"},
    "workshop_score_sheet": {"pk": "workshop", "scorer_pk": "scorer"},
    "assessment_detail": {"pk": "assessment"},
    "assessment_settings": {"pk": "assessment"},
    "assessment_section_edit": {"pk": "assessment", "key": "assessment_section"},
    "assessment_publish": {"pk": "assessment"},
    "assessment_new_version": {"pk": "assessment"},
    "assessment_download": {"pk": "assessment", "fmt": "assessment_format"},
}
GLOBAL_VALUES = {"crime_type": "burglary", "characteristic": "age",
                 "committee_format": "html", "assessment_section": "levels",
                 "assessment_format": "html"}


def walk(patterns, prefix=""):
    """(full route, name) of every URL pattern, descending into includes."""
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from walk(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            yield route, entry.name


def partnership_routes() -> list[tuple[str, str]]:
    return sorted((route, name) for route, name in walk(get_resolver().url_patterns)
                  if route.startswith(PREFIX))


def parameters(route: str) -> list[str]:
    return [p for p in CONVERTER.findall(route) if p != "partnership"]


ROUTES = partnership_routes()


def give_evidence(partnership, number: int) -> Area:
    """A district with one ward of one LSOA, and a month of crime there; returns the ward."""
    district = Area.objects.create(level=AreaLevel.LAD, code=f"E0800090{number}",
                                   name=f"District {number}", vintage="2023")
    ward = Area.objects.create(level=AreaLevel.WARD, code=f"E0500090{number}",
                               name=f"Ward {number}", vintage="2023")
    lsoa = Area.objects.create(level=AreaLevel.LSOA, code=f"E0100090{number}",
                               name=f"LSOA {number}", vintage="2021")
    AreaLink.objects.create(child=ward, parent=district, vintage="test")
    AreaLink.objects.create(child=lsoa, parent=ward, vintage="test")
    partnership.area = district
    partnership.save()
    month = datetime.date(2024, 1, 1)
    batch, _ = CrimeImport.objects.get_or_create(force="Test Police", month=month,
                                                 kind="street", source_file="test.csv")
    CrimeCount.objects.create(batch=batch, month=month, lsoa_code=lsoa.code,
                              crime_type="Burglary", count=3)
    return ward


@pytest.fixture
def alpha_objects(world) -> dict:
    """Every kind of object a /p/<slug>/ route can name, in partnership alpha."""
    a = world["a"]
    partnership = a["partnership"]
    indicator = IndicatorFactory(partnership=partnership, owner=a["police"])
    value = IndicatorValueFactory(indicator=indicator, period="2020-Q3", status="submitted")
    give_evidence(world["b"]["partnership"], 2)
    return {
        "strategy": a["strategy"].pk, "priority": a["priority"].pk, "aim": a["aims"][0].pk,
        "plan": a["plan"].pk, "action": a["police_action"].pk,
        "organisation": a["police"].pk, "person": a["person"].pk,
        "seat": BoardSeat.objects.create(partnership=partnership, seat_type="statutory",
                                         organisation=a["police"]).pk,
        "linked": LinkedStrategy.objects.create(partnership=partnership,
                                                title="Regional plan").pk,
        "partner_body": PartnerBody.objects.create(partnership=partnership,
                                                   name="Anti-slavery partnership").pk,
        "membership": Membership.objects.get(user=world["users"]["police"]).pk,
        "ward": give_evidence(partnership, 1).code,
        "indicator": indicator.code, "value": value.pk,
        "report": BoardReport.objects.create(partnership=partnership, period="2020-Q3",
                                             title="Board report 2020/21 Q3").pk,
        "job": Job.objects.create(partnership=partnership, kind="reminders",
                                  title="Reminder emails").pk,
        **consultation_objects(partnership),
        **governance_objects(partnership),
        **grant_objects(partnership, a["police_action"]),
        **committee_parts(partnership),
        **workshop_objects(partnership),
        "assessment": Assessment.objects.create(partnership=partnership, period="2020/21",
                                                title="Assessment 2020/21").pk,
    }


def governance_objects(partnership) -> dict:
    from saferplaces.governance.models import (
        ActionArising,
        AgendaItem,
        AgendaPaper,
        Body,
        Meeting,
    )

    body = Body.objects.create(partnership=partnership, name="Board", kind="board")
    meeting = Meeting.objects.create(body=body, date=datetime.date(2020, 9, 18))
    item = AgendaItem.objects.create(meeting=meeting, number=1, title="Strategy")
    paper = AgendaPaper.objects.create(item=item, title="Paper", filename="p.pdf",
                                       content=b"%PDF")
    arising = ActionArising.objects.create(meeting=meeting, description="Report back",
                                           due_date=datetime.date(2020, 10, 1))
    return {"body": body.pk, "board_meeting": meeting.pk, "agenda_item": item.pk,
            "paper": paper.pk, "action_arising": arising.pk}


def grant_objects(partnership, action) -> dict:
    grant = Grant.objects.create(partnership=partnership, title="Grant", funder="PCC",
                                 year=2020, amount=Decimal("100.00"))
    allocation = Allocation.objects.create(grant=grant, action=action, amount=Decimal("50.00"))
    spend = Spend.objects.create(allocation=allocation, spent_on=datetime.date(2020, 6, 1),
                                 amount=Decimal("10.00"), description="Invoice")
    due = GrantReportingDate.objects.create(grant=grant, due_on=datetime.date(2021, 4, 30),
                                            what="End-of-year return")
    analysis = EqualityAnalysis.objects.create(partnership=partnership, title="EqIA")
    return {"grant": grant.pk, "allocation": allocation.pk, "spend": spend.pk,
            "reporting_date": due.pk, "analysis": analysis.pk}


def workshop_objects(partnership) -> dict:
    workshop = make_workshop(partnership)
    return {"workshop": workshop.pk, "criterion": workshop.criteria.first().pk,
            "candidate": workshop.candidates.first().pk, "scorer": workshop.scorers.first().pk}


def consultation_objects(partnership) -> dict:
    consultation = make_consultation(partnership, status="open")
    meeting = ChannelResponse.objects.create(consultation=consultation, channel="pact",
                                             name="PACT", held_on=datetime.date(2019, 12, 2))
    question = consultation.current_version().sections.get().questions.first()
    you_said = YouSaidWeDid.objects.create(consultation=consultation, number=1,
                                           you_said="More lighting", outcome="not_changed",
                                           we_did="Outside the strategy")
    public_meeting = PublicMeeting.objects.create(partnership=partnership, title="Annual",
                                                  held_on=datetime.date(2020, 6, 1))
    document = ConsultationDocument.objects.create(consultation=consultation, title="Draft",
                                                   url="https://example.org/draft.pdf")
    return {"public_meeting": public_meeting.pk, "document": document.pk,
            "consultation": consultation.pk, "section": question.section_id,
            "question": question.pk, "meeting": meeting.pk, "you_said": you_said.pk}


def url(route: str, name: str, slug: str, objects: dict) -> str:
    fill = FILL.get(name, {})
    missing = [p for p in parameters(route) if p not in fill]
    if missing:
        pytest.fail(f"{route} ({name}): say in FILL which object fills {missing}")
    values = {p: GLOBAL_VALUES.get(fill[p]) or objects[fill[p]] for p in parameters(route)}
    return reverse(name, kwargs={"partnership": slug, **values})


def names_owned_objects(route: str, name: str) -> bool:
    return any(FILL[name][p] not in GLOBAL_VALUES for p in parameters(route))


def test_the_resolver_lists_the_partnership_routes():
    names = {name for _, name in ROUTES}
    assert len(ROUTES) > 60
    assert {"dashboard", "action_detail", "ward_profile", "report_issue"} <= names
    assert None not in names  # every route is named, so it can be reversed


def test_every_route_parameter_is_known():
    unknown = [(name, p) for route, name in ROUTES for p in parameters(route)
               if p not in FILL.get(name, {})]
    assert unknown == []
    assert set(FILL) <= {name for _, name in ROUTES}, "FILL names a route that is gone"


def statuses(client, user, target: str) -> tuple[int, int]:
    client.force_login(user)
    return client.get(target).status_code, client.post(target).status_code


@pytest.mark.parametrize("route, name", ROUTES, ids=[name for _, name in ROUTES])
def test_route_is_private_to_the_partnership(route, name, client, world, alpha_objects):
    in_alpha = url(route, name, "alpha", alpha_objects)
    assert statuses(client, world["users"]["admin_b"], in_alpha) == (404, 404), "non-member"

    if parameters(route) and names_owned_objects(route, name):
        under_beta = url(route, name, "beta", alpha_objects)
        for role in (Role.ADMIN, Role.VIEWER):
            member = MembershipFactory(partnership=world["b"]["partnership"], role=role).user
            got, posted = statuses(client, member, under_beta)
            # A POST-only page refuses GET (405) before it looks at any id.
            assert got in (404, 405) and posted == 404, f"beta {role}: {got}, {posted}"

    # The control: alpha's administrator is not refused, so the ids above are real.
    client.raise_request_exception = False
    client.force_login(world["users"]["admin"])
    assert client.get(in_alpha).status_code != 404, "alpha's administrator"
