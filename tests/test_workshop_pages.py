"""Workshop pages: who may set up, score, enter paper sheets and choose; the scoring form's
errors; results; and the draft strategy the chosen priorities create."""

import pytest
from django.urls import reverse

from saferplaces.strategy.models import Strategy
from saferplaces.workshop.models import Score, Scorer, Workshop
from tests.conftest import make_user
from tests.workshop_data import make_workshop

pytestmark = pytest.mark.django_db


@pytest.fixture
def workshop(world):
    return make_workshop(world["a"]["partnership"])


def page(name, workshop, *args):
    return reverse(name, args=["alpha", workshop.pk, *args])


def sheet(workshop, scorer, values):
    """POST data for a scorer's sheet: {(candidate name, criterion name): value}."""
    candidates = {c.name: c.pk for c in workshop.candidates.all()}
    criteria = {c.name: c.pk for c in workshop.criteria.all()}
    data = {f"score_{candidates[c]}_{criteria[k]}": "" for c in candidates for k in criteria}
    for (candidate, criterion), value in values.items():
        data[f"score_{candidates[candidate]}_{criteria[criterion]}"] = str(value)
    return data


def test_an_administrator_creates_a_workshop_with_the_default_criteria(world, login):
    client = login(world["users"]["admin"])
    response = client.post(reverse("workshop_create", args=["alpha"]), {
        "title": "June workshop", "year": "2019/20", "date": "2019-06-20",
        "facilitator": "Independent", "status": "scoring"})
    created = Workshop.objects.get(title="June workshop")
    assert response.status_code == 302
    assert created.criteria.count() == 9
    assert created.partnership == world["a"]["partnership"]


def test_a_bad_year_is_shown_next_to_its_field_and_nothing_is_saved(world, login):
    client = login(world["users"]["admin"])
    response = client.post(reverse("workshop_create", args=["alpha"]), {
        "title": "June workshop", "year": "2019", "date": "2019-06-20", "status": "planning"})
    assert response.status_code == 200
    assert "Give a financial year, e.g. 2019/20." in response.content.decode()
    assert not Workshop.objects.filter(title="June workshop").exists()


@pytest.mark.parametrize("role", ["board", "police"])
def test_only_administrators_set_up_a_workshop(world, login, workshop, role):
    client = login(world["users"][role])
    assert client.get(reverse("workshop_create", args=["alpha"])).status_code == 403
    assert client.get(page("workshop_criterion_create", workshop)).status_code == 403
    assert client.post(page("workshop_choose", workshop),
                       {"create_strategy": "1"}).status_code == 403
    assert client.get(page("workshop_results", workshop)).status_code == 200


def test_a_scorer_with_a_login_scores_only_as_themselves(world, login, workshop):
    board = world["users"]["board"]
    workshop.status = "scoring"
    workshop.save()
    mine = Scorer.objects.create(workshop=workshop, name="Board member", user=board)
    other = workshop.scorers.get(name="s1")
    other.user = make_user("board-2", world["a"]["partnership"], "board")
    other.save()
    client = login(board)
    assert client.get(page("workshop_score_sheet", workshop, mine.pk)).status_code == 200
    assert client.get(page("workshop_score_sheet", workshop, other.pk)).status_code == 403
    response = client.post(page("workshop_score_sheet", workshop, mine.pk),
                           sheet(workshop, mine, {("X", "Harm"): 4, ("X", "Concern"): 9}))
    assert response.status_code == 302
    saved = {(s.candidate.name, s.criterion.name): (s.value, s.source, s.entered_by)
             for s in mine.scores.all()}
    assert saved == {("X", "Harm"): (4, "web", board), ("X", "Concern"): (9, "web", board)}


def test_scoring_closed_stops_the_web_form(world, login, workshop):
    board = world["users"]["board"]
    mine = Scorer.objects.create(workshop=workshop, name="Board member", user=board)
    assert workshop.status == "planning"
    client = login(board)
    assert client.get(page("workshop_score_sheet", workshop, mine.pk)).status_code == 403


def test_an_out_of_scale_score_is_shown_next_to_its_cell_and_nothing_is_saved(
        world, login, workshop):
    client = login(world["users"]["police"])
    scorer = workshop.scorers.get(name="s1")
    before = list(scorer.scores.values_list("pk", "value"))
    response = client.post(page("workshop_score_sheet", workshop, scorer.pk),
                           sheet(workshop, scorer, {("X", "Harm"): 7, ("Y", "Harm"): 2}))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Ensure this value is less than or equal to 5." in body
    assert 'class="error"' in body
    assert list(scorer.scores.values_list("pk", "value")) == before


def test_an_officer_enters_a_paper_sheet_marked_paper(world, login, workshop):
    officer = world["users"]["police"]
    scorer = workshop.scorers.get(name="s2")
    client = login(officer)
    response = client.post(page("workshop_score_sheet", workshop, scorer.pk),
                           sheet(workshop, scorer, {("Z", "Harm"): 5, ("Z", "Concern"): 0,
                                                    ("X", "Harm"): 4, ("X", "Concern"): 7}))
    assert response.status_code == 302
    z = Score.objects.get(scorer=scorer, candidate__name="Z", criterion__name="Concern")
    assert (z.value, z.source, z.entered_by) == (0, "paper", officer)
    # Blank cells removed s2's earlier scores of Y and W; X's unchanged scores stayed web.
    assert not scorer.scores.filter(candidate__name__in=["Y", "W"]).exists()
    assert scorer.scores.get(candidate__name="X", criterion__name="Harm").source == "web"
    assert z.history.count() == 1


def test_a_viewer_may_not_enter_a_paper_sheet(world, login, workshop):
    client = login(world["users"]["board"])
    scorer = workshop.scorers.get(name="s1")
    assert client.get(page("workshop_score_sheet", workshop, scorer.pk)).status_code == 403


def test_results_page_shows_the_ranking_and_sensitivity(world, login, workshop):
    client = login(world["users"]["board"])
    body = client.get(page("workshop_results", workshop)).content.decode()
    assert "66.1" in body and "81.7" in body  # X's and Z's means
    assert "The ranking is stable under every ±25% move of a weight." in body
    assert "Create draft strategy" not in body  # board members do not choose


def test_chosen_priorities_create_a_draft_strategy_in_rank_order(world, login, workshop):
    client = login(world["users"]["admin"])
    chosen = [workshop.candidates.get(name=n).pk for n in ("X", "Z")]
    response = client.post(page("workshop_choose", workshop),
                           {"chosen": chosen, "create_strategy": "1"})
    strategy = Strategy.objects.get(workshops=workshop)
    assert response.status_code == 302
    assert response["Location"] == reverse("strategy_detail", args=["alpha", strategy.pk])
    assert strategy.status == "draft"
    assert (strategy.start_date.isoformat(), strategy.end_date.isoformat()) == (
        "2020-04-01", "2023-03-31")
    priorities = list(strategy.priorities.order_by("number"))
    assert [(p.number, p.title) for p in priorities] == [(1, "Z"), (2, "X")]
    assert "Workshop rank 1: mean score 81.7/100, median 81.7/100, from 2 scorers." in (
        priorities[0].description)
    assert "Priority workshop" in strategy.summary
    assert set(workshop.candidates.filter(chosen=True).values_list("name", flat=True)) == {
        "X", "Z"}
    detail = client.get(reverse("strategy_detail", args=["alpha", strategy.pk]))
    assert detail.status_code == 200


def test_creating_a_strategy_needs_a_chosen_topic(world, login, workshop):
    client = login(world["users"]["admin"])
    client.post(page("workshop_choose", workshop), {"create_strategy": "1"})
    assert not Strategy.objects.filter(workshops=workshop).exists()


def test_pages_render_for_a_member(world, login, workshop):
    client = login(world["users"]["board"])
    for name in ("workshop_detail", "workshop_evidence"):
        assert client.get(page(name, workshop)).status_code == 200
    listing = client.get(reverse("workshop_list", args=["alpha"])).content.decode()
    assert "Priority workshop" in listing
