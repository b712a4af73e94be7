"""The Wolverhampton demonstration: content as published, idempotent, logins work."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.http import HttpRequest
from django.urls import reverse

from saferplaces.demo import wolverhampton as swp
from saferplaces.partnership.models import BoardSeat, PartnerBody, Partnership
from saferplaces.strategy.models import (
    Action,
    ActionUpdate,
    Aim,
    LinkedStrategy,
    Priority,
    Strategy,
)

pytestmark = pytest.mark.django_db

EXPECTED_AIMS = {
    "Reducing offending": 5, "Preventing violence": 5, "Reducing harm": 4,
    "Building community capacity": 4,
}


def everything():
    """Row counts of every demo table and of the audit trail."""
    from django.apps import apps

    return {m._meta.label: m.objects.count() for m in apps.get_models()
            if m._meta.app_label in ("partnership", "strategy", "auth")}


@pytest.fixture
def demo(db, capsys):
    call_command("demo", "--password", "a-long-demo-password", "--skip-evidence")
    return capsys.readouterr().out


def test_demo_prints_logins(demo):
    for username in ("swp-admin", "cwc-officer", "wmp-officer", "board-member"):
        assert username in demo


def test_demo_strategy_priorities_and_aims(demo):
    current = Strategy.objects.get(title="Community Safety and Harm Reduction Strategy 2020-2023")
    assert current.status == "adopted"
    assert current.supersedes.status == "superseded"
    priorities = {p.title: p.aims.count() for p in current.priorities.all()}
    assert priorities == EXPECTED_AIMS
    assert current.uncovered_strands() == []
    assert Aim.objects.filter(
        priority__strategy=current,
        text="Influence implementation and delivery of the West Midlands Violence Reduction "
             "Unit to ensure that it meets local need").exists()
    reducing = Priority.objects.get(strategy=current, title="Reducing offending")
    assert [ls.title for ls in reducing.linked_strategies.all()] == [
        "Black Country Reducing Reoffending Strategy"]


def test_demo_board(demo):
    seats = BoardSeat.objects.filter(partnership__slug="swp")
    assert seats.filter(seat_type="voluntary").count() == 5
    assert seats.filter(seat_type="resident").count() == 3
    statutory = {s.organisation.name for s in seats.filter(seat_type="statutory")}
    assert statutory == {
        "West Midlands Police", "West Midlands Fire and Rescue Service",
        "National Probation Service",
        "Staffordshire and West Midlands Community Rehabilitation Company",
        "Wolverhampton Clinical Commissioning Group", "City of Wolverhampton Council"}


def test_demo_plan_covers_every_aim(demo):
    current = Strategy.objects.get(status="adopted", partnership__slug="swp")
    plan = current.action_plans.get(year=2020)
    assert plan.is_illustrative
    for aim in Aim.objects.filter(priority__strategy=current):
        assert aim.actions.filter(plan=plan).exists(), aim
    assert ActionUpdate.objects.filter(action__plan=plan).count() > 40


def test_demo_is_idempotent_with_evidence(db, capsys):
    from django.apps import apps

    call_command("demo", "--no-migrate")
    tables = [m for m in apps.get_models()
              if m._meta.app_label in ("partnership", "strategy", "auth", "areas", "crime")]
    before = {m._meta.label: m.objects.count() for m in tables}
    assert before["crime.CrimeImport"] == 45  # 1 real + 41 simulated months, 3 outcome months
    call_command("demo", "--no-migrate")
    assert {m._meta.label: m.objects.count() for m in tables} == before


def test_demo_admin_sees_strategy_board_and_plan(demo, client):
    assert client.login(request=HttpRequest(), username="swp-admin",
                        password="a-long-demo-password")
    home = client.get("/", follow=True)
    assert home.request["PATH_INFO"] == "/p/swp/"
    current = Strategy.objects.get(status="adopted", partnership__slug="swp")
    page = client.get(reverse("strategy_detail", args=["swp", current.pk])).content.decode()
    for title, _strands, _linked, aims in swp.PRIORITIES:
        assert title in page
        for aim in aims:
            assert aim.replace("'", "&#x27;") in page
    assert "Illustrative demonstration content" in page
    board = client.get(reverse("board", args=["swp"])).content.decode()
    assert "West Midlands Fire and Rescue Service" in board
    assert "Voluntary sector seats (5)" in board and "Resident seats (3)" in board
    plan = current.action_plans.get(year=2020)
    table = client.get(reverse("plan_detail", args=["swp", plan.pk])).content.decode()
    assert "Action plan 2020/21" in table and "Illustrative demonstration content" in table


def test_demo_officer_permissions(demo, client):
    assert client.login(request=HttpRequest(), username="cwc-officer",
                        password="a-long-demo-password")
    wmp_only = Action.objects.filter(lead_organisation__short_name="WMP").exclude(
        partner_organisations__short_name="CWC").first()
    response = client.post(reverse("action_post_update", args=["swp", wmp_only.pk]),
                           {"date": "2020-12-01", "status": "on_track", "narrative": "x"})
    assert response.status_code == 403


def test_demo_default_password_for_new_logins(db, capsys):
    call_command("demo", "--skip-evidence")
    assert swp.USERS
    user = get_user_model().objects.get(username="swp-admin")
    assert user.check_password("safer-wolverhampton-demo")
    assert "safer-wolverhampton-demo" in capsys.readouterr().out


# ---------------------------------------------------------------------------
# Faithful to the founding report (City of Wolverhampton Council, report to Health and
# Wellbeing Together, 21 October 2020). Each test quotes the paragraph it checks.
# ---------------------------------------------------------------------------

OLD_STRATEGY = swp.STRATEGY_2017["title"]
CURRENT_STRATEGY = "Community Safety and Harm Reduction Strategy 2020-2023"
YES_TITLE = "#YES \u2013 Youth Engagement Strategy"
ANTI_SLAVERY = "Wolverhampton and Walsall Anti-Slavery Partnership"


def test_demo_2017_priorities_are_only_those_the_report_names(demo):
    # 4.1 "...slightly broader than in the previous strategy, which was reducing reoffending."
    # 6.2 "The Community Safety and Harm Reduction Strategy (2017-2020) named reducing
    #      victimisation as a priority..." No other 2017-2020 priority is named.
    old = Strategy.objects.get(title=OLD_STRATEGY)
    assert [p.title for p in old.priorities.order_by("number")] == [
        "Reducing reoffending", "Reducing victimisation"]
    assert not Priority.objects.filter(title="Reducing violence").exists()


def test_demo_interpersonal_violence_strategy_is_under_preventing_violence_only(demo):
    # 5.2 "...whilst the Interpersonal Violence Strategy continues to deliver against the
    #      priority to tackle domestic abuse, sexual violence..." (section 5.0, Preventing Violence)
    interpersonal = LinkedStrategy.objects.get(title="Interpersonal Violence Strategy")
    assert [p.title for p in interpersonal.priorities.all()] == ["Preventing violence"]


def test_demo_youth_engagement_strategy_title(demo):
    # 5.3 "This strand will also complement the work and aims of #YES - Youth Engagement
    #      Strategy." (an en dash in the report)
    yes = LinkedStrategy.objects.get(partnership__slug="swp", title=YES_TITLE)
    assert [p.title for p in yes.priorities.all()] == ["Preventing violence"]
    assert not LinkedStrategy.objects.filter(title="#YES Youth Engagement Strategy").exists()


def test_demo_anti_slavery_partnership_is_a_partnership(demo, client):
    # 6.2 "...the progression of the Wolverhampton and Walsall Anti-Slavery Partnership."
    assert not LinkedStrategy.objects.filter(title=ANTI_SLAVERY).exists()
    body = PartnerBody.objects.get(partnership__slug="swp", name=ANTI_SLAVERY)
    assert "reducing victimisation" in body.description
    assert client.login(request=HttpRequest(), username="board-member",
                        password="a-long-demo-password")
    board = client.get(reverse("board", args=["swp"])).content.decode()
    assert "Partnerships we work with" in board and ANTI_SLAVERY in board
    linked = client.get(reverse("linked_strategies", args=["swp"])).content.decode()
    assert ANTI_SLAVERY not in linked and "Interpersonal Violence Strategy" in linked


def test_demo_board_page_says_swp_is_the_police_and_crime_board(demo, client):
    # 2.1 "Safer Wolverhampton Partnership (SWP), acts as the local Police and Crime Board for
    #      Wolverhampton."
    assert client.login(request=HttpRequest(), username="board-member",
                        password="a-long-demo-password")
    board = client.get(reverse("board", args=["swp"])).content.decode()
    assert ("The Safer Wolverhampton Partnership also acts as the local Police and Crime Board "
            "for Wolverhampton.") in board


def test_police_and_crime_board_role_is_an_administrator_setting(demo, client):
    assert client.login(request=HttpRequest(), username="swp-admin",
                        password="a-long-demo-password")
    partnership = Partnership.objects.get(slug="swp")
    response = client.post(reverse("partnership_settings", args=["swp"]), {
        "name": partnership.name, "short_name": partnership.short_name,
        "area_description": partnership.area_description,
        "also_acts_as": "the Wolverhampton community safety board",
        "update_interval_days": partnership.update_interval_days})
    assert response.status_code == 302
    partnership.refresh_from_db()
    assert partnership.also_acts_as == "the Wolverhampton community safety board"
    client.logout()
    assert client.login(request=HttpRequest(), username="cwc-officer",
                        password="a-long-demo-password")
    assert client.get(reverse("partnership_settings", args=["swp"])).status_code == 403


def write_the_old_wrong_demo_rows():
    """What earlier versions of the demo wrote, on top of today's demo."""
    swp_partnership = Partnership.objects.get(slug="swp")
    old = Strategy.objects.get(title=OLD_STRATEGY)
    Priority.objects.create(strategy=old, number=3, title="Reducing violence",
                            strands=["serious_violence", "crime_disorder"])
    PartnerBody.objects.filter(name=ANTI_SLAVERY).delete()
    wrong_linked = LinkedStrategy.objects.create(
        partnership=swp_partnership, title=ANTI_SLAVERY, owner="Wolverhampton and Walsall partners")
    yes = LinkedStrategy.objects.get(title=YES_TITLE)
    yes.title = "#YES Youth Engagement Strategy"
    yes.save()
    harm = Priority.objects.get(strategy__title=CURRENT_STRATEGY, title="Reducing harm")
    harm.linked_strategies.set(
        [wrong_linked, LinkedStrategy.objects.get(title="Interpersonal Violence Strategy")])
    return yes.pk


def test_demo_rerun_fixes_an_old_demo_database(demo, capsys):
    yes_pk = write_the_old_wrong_demo_rows()
    call_command("demo", "--password", "a-long-demo-password", "--skip-evidence")
    old = Strategy.objects.get(title=OLD_STRATEGY)
    assert [p.title for p in old.priorities.order_by("number")] == [
        "Reducing reoffending", "Reducing victimisation"]
    assert not LinkedStrategy.objects.filter(title=ANTI_SLAVERY).exists()
    assert PartnerBody.objects.filter(name=ANTI_SLAVERY).count() == 1
    # The #YES row is renamed, not replaced, so its history and links stay with it.
    assert LinkedStrategy.objects.get(title=YES_TITLE).pk == yes_pk
    harm = Priority.objects.get(strategy__title=CURRENT_STRATEGY, title="Reducing harm")
    assert list(harm.linked_strategies.all()) == []
    # And once fixed, a further run writes nothing, not even history.
    before = everything()
    call_command("demo", "--password", "a-long-demo-password", "--skip-evidence")
    assert everything() == before


def test_administrators_add_and_edit_partner_bodies(demo, client):
    assert client.login(request=HttpRequest(), username="swp-admin",
                        password="a-long-demo-password")
    board_url = reverse("board", args=["swp"])
    assert reverse("partner_body_create", args=["swp"]) in client.get(board_url).content.decode()
    response = client.post(reverse("partner_body_create", args=["swp"]), {
        "name": "Wolverhampton Safeguarding Together", "members": "Statutory partners",
        "description": "", "url": ""})
    assert response.status_code == 302
    body = PartnerBody.objects.get(name="Wolverhampton Safeguarding Together")
    assert body.partnership.slug == "swp"
    response = client.post(reverse("partner_body_edit", args=["swp", body.pk]), {
        "name": body.name, "members": "Council, police and health", "description": "",
        "url": ""})
    assert response.status_code == 302
    body.refresh_from_db()
    assert body.members == "Council, police and health"
    client.logout()
    assert client.login(request=HttpRequest(), username="cwc-officer",
                        password="a-long-demo-password")
    assert client.get(reverse("partner_body_edit", args=["swp", body.pk])).status_code == 403
    assert reverse("partner_body_create", args=["swp"]) not in client.get(
        board_url).content.decode()


def test_demo_abbreviations_are_spelt_out(client, demo):
    """WVSC, IFW, SGH and HAVEN: the plan's tables give each short name its full name."""
    from saferplaces.strategy.models import ActionPlan

    client.force_login(get_user_model().objects.get(username="swp-admin"))
    plan = ActionPlan.objects.get(strategy__partnership__slug="swp", year=2020)
    html = client.get(reverse("plan_detail", args=["swp", plan.pk])).content.decode()
    assert '<abbr title="Wolverhampton Voluntary Sector Council">WVSC</abbr>' in html
    for short in ("WVSC", "IFW", "SGH", "HAVEN"):
        shown = html.count(f">{short}<")
        assert shown == html.count(f'">{short}</abbr>'), short  # never bare
