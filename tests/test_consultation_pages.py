"""Consultation pages: officers build and open a consultation; the public answers it without
a login (accessible errors, spam defences); answers are stored once with their version."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse

from saferplaces.consultation.models import (
    Answer,
    ChannelResponse,
    Consultation,
    ConsultationPolicy,
    EqualityMonitoring,
    QuestionKind,
    Response,
    ResponseContact,
    SurveyQuestion,
)
from saferplaces.consultation.survey import started_token
from tests.consultation_data import make_consultation, option, question

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_fill_time(settings):
    settings.CONSULTATION_MIN_FILL_SECONDS = 0
    cache.clear()
    yield
    cache.clear()


def public_url(consultation: Consultation, name: str = "consultation_public_survey") -> str:
    return reverse(name, args=[consultation.partnership.slug, consultation.pk])


def officer_url(consultation: Consultation, name: str, *args) -> str:
    return reverse(name, args=[consultation.partnership.slug, consultation.pk, *args])


def answers_post(consultation: Consultation, **extra) -> dict:
    """A complete online answer: Yes; Violence and Victims; Agree; ranking 2, 1, 3;
    some text; a postcode district; consent."""
    ranking = question(consultation, QuestionKind.RANKING)
    ranks = dict(zip(ranking.options.values_list("pk", flat=True), ["2", "1", "3"], strict=True))
    data = {
        f"q{question(consultation, QuestionKind.SINGLE).pk}":
            option(consultation, QuestionKind.SINGLE, "Yes").pk,
        f"q{question(consultation, QuestionKind.MULTIPLE).pk}": [
            option(consultation, QuestionKind.MULTIPLE, "Violence").pk,
            option(consultation, QuestionKind.MULTIPLE, "Victims").pk],
        f"q{question(consultation, QuestionKind.LIKERT).pk}":
            option(consultation, QuestionKind.LIKERT, "Agree").pk,
        **{f"q{ranking.pk}_{pk}": rank for pk, rank in ranks.items()},
        f"q{question(consultation, QuestionKind.TEXT).pk}": "More youth work, please.",
        f"q{question(consultation, QuestionKind.POSTCODE_DISTRICT).pk}": "wv1",
        "consent": "on",
        "started": started_token(),
    }
    return data | extra


def test_officer_builds_and_opens_a_consultation(client, world):
    client.force_login(world["users"]["admin"])
    slug = "alpha"
    got = client.post(reverse("consultation_create", args=[slug]), {
        "title": "Draft strategy", "purpose": "Tell us.", "subject": "The draft strategy",
        "opens_on": "2019-11-08", "closes_on": "2019-12-06", "results_policy": "published"})
    consultation = Consultation.objects.get(title="Draft strategy")
    assert got.status_code == 302
    # four weeks is shorter than the default twelve: saved, with a warning
    page = client.get(got.url)
    assert "less than the partnership&#x27;s minimum of 12" in page.content.decode()
    client.post(officer_url(consultation, "consultation_section_create"),
                {"title": "Your views"})
    section = consultation.current_version().sections.get()
    client.post(officer_url(consultation, "consultation_question_create", section.pk),
                {"kind": "multiple", "text": "Which matter most?", "options_text": "A\nB\nC"})
    client.post(officer_url(consultation, "consultation_question_create", section.pk),
                {"kind": "likert", "text": "Do you agree?", "options_text": ""})
    questions = list(SurveyQuestion.objects.filter(section=section))
    assert [q.number for q in questions] == [1, 2]
    assert [o.label for o in questions[1].options.all()][0] == "Strongly agree"
    client.post(officer_url(consultation, "consultation_question_move", questions[1].pk),
                {"direction": "up"})
    assert list(section.questions.values_list("text", flat=True)) == [
        "Do you agree?", "Which matter most?"]
    client.post(officer_url(consultation, "consultation_status"), {"status": "open"})
    consultation.refresh_from_db()
    assert consultation.status == "open"
    assert consultation.current_version().locked


def test_an_option_question_needs_two_options(client, world):
    consultation = make_consultation(world["a"]["partnership"])
    section = consultation.current_version().sections.get()
    client.force_login(world["users"]["admin"])
    got = client.post(officer_url(consultation, "consultation_question_create", section.pk),
                      {"kind": "single", "text": "Pick", "options_text": "Only one"})
    assert got.status_code == 200
    assert "Give at least two options" in got.content.decode()


def test_a_draft_cannot_open_without_questions(client, world):
    client.force_login(world["users"]["admin"])
    consultation = Consultation.objects.create(
        partnership=world["a"]["partnership"], title="Empty", purpose="x", subject="x",
        opens_on=datetime.date(2020, 1, 1), closes_on=datetime.date(2020, 4, 1))
    client.post(officer_url(consultation, "consultation_status"), {"status": "open"})
    consultation.refresh_from_db()
    assert consultation.status == "draft"


def test_changing_an_open_survey_makes_a_new_version(client, world):
    consultation = make_consultation(world["a"]["partnership"], status="open")
    client.post(public_url(consultation), answers_post(consultation))
    single = question(consultation, QuestionKind.SINGLE)
    client.force_login(world["users"]["admin"])
    client.post(officer_url(consultation, "consultation_question_edit", single.section_id,
                            single.pk),
                {"kind": "single", "text": "Changed?", "options_text": "Yes\nNo\nNot sure"})
    assert consultation.versions.count() == 2
    single.refresh_from_db()
    assert single.text == "Question about single"  # version 1 is untouched
    new = question(consultation, QuestionKind.SINGLE, version=2)
    assert (new.text, new.options.count()) == ("Changed?", 3)
    assert Response.objects.get().version.number == 1
    client.logout()
    client.post(public_url(consultation), {
        f"q{new.pk}": new.options.get(label="Not sure").pk, "consent": "on",
        "started": started_token()})
    assert list(Response.objects.order_by("pk").values_list("version__number", flat=True)) == [
        1, 2]


def test_the_public_answers_an_open_consultation(client, world):
    consultation = make_consultation(world["a"]["partnership"], status="open")
    page = client.get(public_url(consultation))
    assert page.status_code == 200
    body = page.content.decode()
    assert "<legend" in body and "Question about multiple" in body
    got = client.post(public_url(consultation), answers_post(
        consultation, name="Sam Resident", email="sam@example.org", sex="female",
        ethnicity="prefer_not"))
    assert got.status_code == 302
    response = Response.objects.get()
    assert (response.channel, response.consent, response.version.number) == ("online", True, 1)
    multiple = question(consultation, QuestionKind.MULTIPLE)
    assert sorted(Answer.objects.filter(question=multiple).values_list(
        "option__label", flat=True)) == ["Victims", "Violence"]
    ranking = question(consultation, QuestionKind.RANKING)
    assert list(Answer.objects.filter(question=ranking).order_by("rank").values_list(
        "option__label", flat=True)) == ["Reducing reoffending", "Preventing violence",
                                         "Reducing victimisation"]
    assert Answer.objects.get(
        question=question(consultation, QuestionKind.POSTCODE_DISTRICT)).text == "WV1"
    assert ResponseContact.objects.get().name == "Sam Resident"
    assert EqualityMonitoring.objects.get().ethnicity == "prefer_not"
    thanks = client.get(got.url)
    assert response.reference in thanks.content.decode()


def test_errors_are_summarised_and_linked_to_their_fields(client, world):
    consultation = make_consultation(world["a"]["partnership"], status="open")
    single = question(consultation, QuestionKind.SINGLE)
    SurveyQuestion.objects.filter(pk=single.pk).update(required=True)
    data = answers_post(consultation)
    del data[f"q{single.pk}"], data["consent"]
    data[f"q{question(consultation, QuestionKind.POSTCODE_DISTRICT).pk}"] = "WV1 4AB"
    got = client.post(public_url(consultation), data)
    body = got.content.decode()
    assert got.status_code == 422
    assert Response.objects.count() == 0
    assert 'role="alert"' in body
    assert f'href="#id_q{single.pk}_0"' in body
    assert f'aria-describedby="id_q{single.pk}_error"' in body
    assert "Enter the first part of a postcode only" in body


def test_duplicate_ranks_are_refused(client, world):
    consultation = make_consultation(world["a"]["partnership"], status="open")
    ranking = question(consultation, QuestionKind.RANKING)
    data = answers_post(consultation)
    for pk in ranking.options.values_list("pk", flat=True):
        data[f"q{ranking.pk}_{pk}"] = "1"
    got = client.post(public_url(consultation), data)
    assert "Give each option a different rank" in got.content.decode()
    assert Response.objects.count() == 0


def test_draft_and_other_partnerships_consultations_are_not_public(client, world):
    draft = make_consultation(world["a"]["partnership"])
    assert client.get(public_url(draft)).status_code == 404
    assert client.post(public_url(draft), answers_post(draft)).status_code == 404
    opened = make_consultation(world["a"]["partnership"], status="open", title="Open one")
    wrong = reverse("consultation_public_survey", args=["beta", opened.pk])
    assert client.get(wrong).status_code == 404
    assert Response.objects.count() == 0


def test_a_closed_consultation_takes_no_answers_and_hides_results(client, world):
    consultation = make_consultation(world["a"]["partnership"], status="closed")
    got = client.post(public_url(consultation), answers_post(consultation))
    assert got.status_code == 200
    assert "closed on 31 January 2020" in got.content.decode()
    assert "will be published here" in got.content.decode()
    assert Response.objects.count() == 0


def test_the_honeypot_refuses_a_bot(client, world):
    consultation = make_consultation(world["a"]["partnership"], status="open")
    got = client.post(public_url(consultation), answers_post(consultation,
                                                             website="http://spam"))
    assert got.status_code == 400
    assert Response.objects.count() == 0


def test_too_quick_a_response_is_asked_again(client, world, settings):
    settings.CONSULTATION_MIN_FILL_SECONDS = 60
    consultation = make_consultation(world["a"]["partnership"], status="open")
    got = client.post(public_url(consultation), answers_post(consultation))
    assert "Please check your answers and send the form again" in got.content.decode()
    assert Response.objects.count() == 0
    forged = answers_post(consultation, started="12345")
    settings.CONSULTATION_MIN_FILL_SECONDS = 0
    client.post(public_url(consultation), forged)
    assert Response.objects.count() == 0


def test_one_client_address_is_limited(client, world, settings):
    settings.CONSULTATION_RATE_LIMIT = 2
    consultation = make_consultation(world["a"]["partnership"], status="open")
    codes = [client.post(public_url(consultation), answers_post(consultation)).status_code
             for _ in range(3)]
    assert codes == [302, 302, 429]
    assert Response.objects.count() == 2
    other = client.post(public_url(consultation), answers_post(consultation),
                        REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 302


def test_officers_record_meetings_and_paper_responses(client, world):
    consultation = make_consultation(world["a"]["partnership"], status="open")
    client.force_login(world["users"]["police"])
    got = client.post(officer_url(consultation, "consultation_meeting_create"), {
        "channel": "pact", "name": "PACT meeting, Park ward", "held_on": "2019-12-02",
        "ward": "", "attendees": "23", "organisations": "Police\nCouncil",
        "summary": "Discussed the draft.", "points_raised": "Speeding\n\nLighting on paths"})
    assert got.status_code == 302
    assert ChannelResponse.objects.get().points() == ["Speeding", "Lighting on paths"]
    data = answers_post(consultation, channel="paper")
    del data["consent"]
    got = client.post(officer_url(consultation, "consultation_paper_response"), data)
    assert got.status_code == 302
    response = Response.objects.get()
    assert (response.channel, response.entered_by) == ("paper", world["users"]["police"])
    # an officer may not change the survey or its status
    assert client.post(officer_url(consultation, "consultation_status"),
                       {"status": "closed"}).status_code == 403


def test_board_members_read_but_change_nothing(client, world):
    consultation = make_consultation(world["a"]["partnership"], status="open")
    client.force_login(world["users"]["board"])
    assert client.get(officer_url(consultation, "consultation_detail")).status_code == 200
    assert client.get(officer_url(consultation, "consultation_edit")).status_code == 403
    assert client.get(officer_url(consultation, "consultation_meeting_create")
                      ).status_code == 403
    assert client.get(reverse("consultation_policy", args=["alpha"])).status_code == 403


def test_the_policy_sets_the_minimum_length(client, world):
    client.force_login(world["users"]["admin"])
    got = client.post(reverse("consultation_policy", args=["alpha"]), {
        "minimum_weeks": "8", "retention_days": "180", "privacy_notice": "We keep it safe."})
    assert got.status_code == 302
    policy = ConsultationPolicy.objects.get(partnership=world["a"]["partnership"])
    assert (policy.minimum_weeks, policy.retention_days) == (8, 180)
    got = client.post(reverse("consultation_policy", args=["alpha"]), {
        "minimum_weeks": "80", "retention_days": "180"})
    assert got.status_code == 200
    assert "less than or equal to 52" in got.content.decode()
