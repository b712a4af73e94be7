"""The front door at /: public for anonymous visitors, unchanged for logged-in users."""

import datetime

from django.urls import reverse

from saferplaces.strategy.models import Aim, Priority, Strategy


def test_anonymous_visitor_sees_partnerships_priorities_aims_and_a_login_link(client, world):
    response = client.get("/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "This site runs saferplaces" in page
    assert "Alpha" in page and "Beta" in page
    assert ("Current strategy: <strong>Alpha strategy</strong>, from 1 April 2020 to "
            "31 March 2023.") in page
    assert "1. Preventing violence" in page
    assert "<li>Reduce violent crime</li>" in page and "<li>Increase reporting</li>" in page
    assert f'href="{reverse("login")}"' in page
    # Nothing from behind the login: actions, people, member names.
    assert "PV-01" not in page and "Pat Lead" not in page and "admin-a" not in page


def test_draft_strategies_are_never_shown_publicly(client, world):
    a = world["a"]
    draft = Strategy.objects.create(
        partnership=a["partnership"], title="Alpha draft strategy 2023-2026",
        start_date=datetime.date(2023, 4, 1), end_date=datetime.date(2026, 3, 31),
        status="draft")
    priority = Priority.objects.create(strategy=draft, number=1, title="Secret draft priority",
                                       strands=["crime_disorder"])
    Aim.objects.create(priority=priority, number=1, text="An aim still being drafted")
    consulting = Strategy.objects.create(
        partnership=world["b"]["partnership"], title="Beta strategy out for consultation",
        start_date=datetime.date(2023, 4, 1), end_date=datetime.date(2026, 3, 31),
        status="consultation")
    world["b"]["strategy"].status = "draft"
    world["b"]["strategy"].save()
    page = client.get("/").content.decode()
    for hidden in (draft.title, "Secret draft priority", "An aim still being drafted",
                   consulting.title, "Beta strategy"):
        assert hidden not in page
    # Alpha still shows its adopted strategy; Beta has none adopted now.
    assert "Alpha strategy" in page
    assert page.count("No adopted strategy is published yet.") == 1


def test_logged_in_users_keep_the_home_they_had(login, world):
    client = login(world["users"]["police"])
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard", args=["alpha"])
    nobody = login(world["users"]["nobody"])
    page = nobody.get("/").content.decode()
    assert "not a member of any partnership" in page and "Current strategy" not in page


def test_front_door_landmarks_and_headings(client, world):
    page = client.get("/").content.decode()
    assert page.count("<main") == 1 and "<header" in page and "<footer" in page
    assert page.count("<h1>") == 1
    assert '<section class="public-partnership" aria-labelledby="partnership-alpha">' in page
    assert '<h2 id="partnership-alpha">Alpha</h2>' in page
    assert "<h3>1. Preventing violence</h3>" in page
