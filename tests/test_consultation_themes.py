"""Coding free text with a theme codebook, and "you said, we did" linked to the strategy."""

from __future__ import annotations

import pytest
from django.urls import reverse

from saferplaces.consultation import services
from saferplaces.consultation.models import QuestionKind, Theme, YouSaidWeDid
from tests.consultation_data import make_consultation, question

pytestmark = pytest.mark.django_db

TEXTS = ["More youth clubs", "Street lights on the canal path", "Somewhere for teenagers"]


@pytest.fixture
def coded(world):
    consultation = make_consultation(world["a"]["partnership"], status="closed",
                                     strategy=world["a"]["strategy"])
    text_question = question(consultation, QuestionKind.TEXT)
    for text in TEXTS:
        services.save_response(consultation, consultation.current_version(),
                               [services.ChosenAnswer(text_question, text=text)],
                               channel="online", consent=True)
    return consultation


def test_officers_tag_answers_and_see_counts_and_quotes(client, world, coded):
    client.force_login(world["users"]["admin"])
    themes_url = reverse("consultation_themes", args=["alpha", coded.pk])
    client.post(themes_url, {"name": "Youth provision"})
    client.post(themes_url, {"name": "Lighting"})
    duplicate = client.post(themes_url, {"name": "Lighting"})
    assert "already has this theme" in duplicate.content.decode()
    youth, lighting = Theme.objects.get(name="Youth provision"), Theme.objects.get(
        name="Lighting")
    page = client.get(reverse("consultation_tagging", args=["alpha", coded.pk]))
    answers = [answer for answer, _ in page.context["rows"]]
    assert [a.text for a in answers] == TEXTS
    got = client.post(reverse("consultation_tagging", args=["alpha", coded.pk]), {
        f"answer-{answers[0].pk}": [str(youth.pk)],
        f"answer-{answers[1].pk}": [str(lighting.pk), "999999"],
        f"answer-{answers[2].pk}": [str(youth.pk)]})
    assert got.status_code == 302
    summaries = client.get(themes_url).context["summaries"]
    assert [(s.theme, s.count, s.quotes) for s in summaries] == [
        ("Lighting", 1, ["Street lights on the canal path"]),
        ("Youth provision", 2, ["More youth clubs", "Somewhere for teenagers"])]


def test_you_said_we_did_links_to_the_strategy_and_is_public_once_published(
        client, world, coded):
    client.force_login(world["users"]["admin"])
    create = reverse("consultation_you_said_create", args=["alpha", coded.pk])
    refused = client.post(create, {"you_said": "More youth work", "outcome": "changed",
                                   "we_did": "Added an aim"})
    assert "Say which priority, aim or action changed" in refused.content.decode()
    aim = world["a"]["aims"][0]
    client.post(create, {"you_said": "More youth work", "outcome": "changed",
                         "we_did": "The aim now names youth work.", "aim": aim.pk})
    other_aim = world["b"]["aims"][0]
    wrong = client.post(create, {"you_said": "x", "outcome": "changed", "we_did": "y",
                                 "aim": other_aim.pk})
    assert wrong.status_code == 200  # another partnership's aim is not a choice
    assert YouSaidWeDid.objects.get().aim == aim
    client.logout()
    public = reverse("consultation_public_you_said", args=["alpha", coded.pk])
    assert client.get(public).status_code == 404
    services.change_status(coded, "analysed")
    services.change_status(coded, "published")
    body = client.get(public).content.decode()
    assert "More youth work" in body and aim.text in body
