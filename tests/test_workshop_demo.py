"""The demo's June 2019 workshop: illustrative scores that lead to the 2020-2023 strategy's
four priorities, labelled illustrative."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from saferplaces.demo import workshop as demo_workshop
from saferplaces.workshop.models import Score, Workshop
from saferplaces.workshop.results import workshop_results

pytestmark = pytest.mark.django_db

FOUR = ["Preventing violence, including knife crime",
        "Reducing harm: exploitation, county lines and domestic abuse",
        "Reducing offending and reoffending",
        "Building community capacity and cohesion"]


@pytest.fixture
def demo(db):
    call_command("demo", "--password", "a-long-demo-password", "--skip-evidence")
    return Workshop.objects.get(title=demo_workshop.TITLE)


def test_the_demo_workshop_ranks_the_four_priorities_first_and_chose_them(demo):
    rows = workshop_results(demo)
    for row in rows:
        print(row.rank, row.median_rank, round(row.mean, 1), round(row.median, 1),
              round(row.std_dev, 1), row.scorers, row.partial_scorers, row.candidate.name)
    assert sorted(row.candidate.name for row in rows[:4]) == sorted(FOUR)
    assert [row.chosen for row in rows] == [True] * 4 + [False] * 4
    assert demo.draft_strategy.title == "Community Safety and Harm Reduction Strategy 2020-2023"
    assert (demo.year, demo.is_illustrative, demo.scorers.count()) == ("2019/20", True, 8)
    hate = next(row for row in rows if row.candidate.name == "Hate crime")
    assert hate.scorers == 7  # Sam Patel skipped it
    assert rows[0].partial_scorers == 1  # Grace Bennett left confidence blank


def test_the_demo_workshop_is_loaded_once_and_labelled(demo, client):
    scores = Score.objects.count()
    call_command("demo", "--skip-evidence")
    assert Score.objects.count() == scores == 8 * 8 * 9 - 9 - 8
    client.force_login(get_user_model().objects.get(username="board-member"))
    page = client.get(reverse("workshop_results", args=["swp", demo.pk])).content.decode()
    assert "Illustrative demonstration content" in page
