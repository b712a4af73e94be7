"""Equality analysis pages: the nine characteristics, sign-off and re-sign-off after a
change, evidence beside each characteristic, and who may do what."""

import datetime
import re

import pytest
from django.urls import reverse

from saferplaces.consultation import services
from saferplaces.equality.evidence import crime_sentence
from saferplaces.equality.models import EqualityAnalysis, EqualityImpact
from saferplaces.equality.permissions import can_edit_analysis
from saferplaces.partnership.access import membership_for
from tests.consultation_data import make_consultation

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(name, args=["alpha", *args])


@pytest.fixture
def analysis(world, client):
    client.force_login(world["users"]["admin"])
    client.post(url("equality_create"), {
        "title": "Strategy equality analysis", "purpose": "The 2020-23 strategy",
        "strategy": world["a"]["strategy"].pk, "conclusion": "", "illustrative_note": ""})
    return EqualityAnalysis.objects.get(title="Strategy equality analysis")


def test_a_new_analysis_has_the_nine_characteristics_not_yet_known(analysis):
    assert analysis.impacts.count() == 9
    assert set(analysis.impacts.values_list("impact", flat=True)) == {"unknown"}


def test_editable_rows_agree_with_the_permission_for_every_role(world, analysis):
    for name, user in world["users"].items():
        expected = can_edit_analysis(membership_for(user, world["a"]["partnership"]))
        got = EqualityAnalysis.objects.editable_by(user).filter(pk=analysis.pk).exists()
        assert got == expected, name


def test_a_negative_impact_needs_a_mitigation_on_the_form(world, client, analysis):
    response = client.post(url("equality_impact_edit", analysis.pk, "disability"),
                           {"impact": "negative", "evidence": "Venues", "mitigation": ""})
    assert response.context["form"].errors["mitigation"] == [
        "Say how a negative impact will be removed or reduced."]


def test_sign_off_then_a_change_withdraws_it_and_starts_version_two(world, client, analysis):
    response = client.post(url("equality_sign_off", analysis.pk),
                           {"signed_off_by": "", "signed_off_on": "2020-09-01"})
    assert response.status_code == 422
    client.post(url("equality_sign_off", analysis.pk),
                {"signed_off_by": "Lynsey Kelly, Head of Communities",
                 "signed_off_on": "2020-09-01"})
    analysis.refresh_from_db()
    assert (analysis.signed_off_on, analysis.version) == (datetime.date(2020, 9, 1), 1)
    # viewing and saving without a change keep the sign-off
    client.post(url("equality_impact_edit", analysis.pk, "age"),
                {"impact": "unknown", "evidence": "", "mitigation": ""})
    analysis.refresh_from_db()
    assert analysis.is_signed_off
    client.post(url("equality_impact_edit", analysis.pk, "age"),
                {"impact": "positive", "evidence": "Youth violence work", "mitigation": ""})
    analysis.refresh_from_db()
    assert (analysis.is_signed_off, analysis.version, analysis.signed_off_by) == (False, 2, "")
    reasons = list(analysis.history.values_list("history_change_reason", flat=True))
    assert "Changed after version 1 was signed off: needs signing off again" in reasons
    page = client.get(url("equality_detail", analysis.pk)).content.decode()
    assert "changed since version 1 was signed off" in page
    assert "A positive impact is expected for age." in page


def test_a_board_member_reads_but_cannot_edit(world, client, analysis):
    client.force_login(world["users"]["board"])
    page = client.get(url("equality_impact_edit", analysis.pk, "race"))
    assert page.status_code == 200 and page.context["form"] is None
    assert client.post(url("equality_impact_edit", analysis.pk, "race"),
                       {"impact": "positive"}).status_code == 403
    assert client.post(url("equality_sign_off", analysis.pk),
                       {"signed_off_by": "X", "signed_off_on": "2020-09-01"}).status_code == 403
    assert client.get(url("equality_impact_edit", analysis.pk, "height")).status_code == 404


def test_evidence_shows_the_consultation_reach_and_says_police_uk_has_no_victims(
        world, client, analysis):
    consultation = make_consultation(world["a"]["partnership"], status="open")
    for equality in ({"disability": "yes", "age_band": "25-34"}, {"disability": "yes"},
                     {"disability": "no"}, {"disability": "prefer_not"}):
        services.save_response(consultation, consultation.current_version(), [],
                               channel="online", consent=True, equality=equality)
    analysis.consultation = consultation
    analysis.save()
    page = client.get(url("equality_impact_edit", analysis.pk, "age")).content.decode()
    assert "Who answered Draft strategy 2020-2023, by age" in page
    assert "Police.uk publishes no victim or suspect characteristics" in page
    assert "No police.uk crime data is held" in page
    page = client.get(url("equality_impact_edit", analysis.pk, "disability")).content.decode()
    assert "by disability" in page
    # 2 of 3 who said answered yes (67%), 1 no (33%); one preferred not to say
    assert re.search(r"<th scope=\"row\">Yes</th><td class=\"num\">2</td>"
                     r"<td class=\"num\">67%</td>", page)
    assert re.search(r"<th scope=\"row\">No</th><td class=\"num\">1</td>", page)
    assert "1 respondent did not say or preferred not to." in page


def test_crime_sentence_with_data():
    text = crime_sentence(12345, datetime.date(2020, 1, 1), datetime.date(2020, 12, 1))
    assert text.startswith("Police.uk records 12,345 crimes and anti-social behaviour "
                           "incidents in the partnership's area from January 2020 to "
                           "December 2020")


def test_list_and_empty_state(world, client, analysis):
    client.force_login(world["users"]["board"])
    assert "Strategy equality analysis" in client.get(url("equality_list")).content.decode()
    EqualityImpact.objects.all().delete()
    EqualityAnalysis.objects.all().delete()
    assert "No equality analysis has been recorded yet." in client.get(
        url("equality_list")).content.decode()
