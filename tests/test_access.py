"""Access rules on the QuerySets, and their agreement with the object-level permissions."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser

from saferplaces.partnership.access import membership_for
from saferplaces.partnership.models import Organisation, Partnership
from saferplaces.performance.models import Indicator
from saferplaces.performance.permissions import can_submit_value
from saferplaces.strategy.models import Action, ActionPlan, Aim, Strategy
from saferplaces.strategy.permissions import can_edit_action, can_post_update
from tests.factories import ActionPlanFactory, IndicatorFactory, UserFactory

pytestmark = pytest.mark.django_db


def references(actions) -> set[str]:
    return set(actions.values_list("reference", flat=True))


@pytest.fixture
def superuser(db):
    return UserFactory(is_superuser=True)


def test_partnerships_visible_to_each_user(world, superuser):
    users = world["users"]
    slugs = lambda user: set(Partnership.objects.visible_to(user).values_list("slug",  # noqa: E731
                                                                               flat=True))
    assert slugs(users["board"]) == {"alpha"}
    assert slugs(users["admin_b"]) == {"beta"}
    assert slugs(users["nobody"]) == set()
    assert slugs(AnonymousUser()) == set()
    assert slugs(superuser) == {"alpha", "beta"}
    assert set(Partnership.objects.administered_by(users["police"])) == set()
    assert set(Partnership.objects.administered_by(users["admin"])) == {
        world["a"]["partnership"]}


def test_rows_visible_to_a_member_are_their_partnerships_only(world):
    users = world["users"]
    assert list(Strategy.objects.visible_to(users["admin_b"])) == [world["b"]["strategy"]]
    assert set(Aim.objects.visible_to(users["board"])) == set(world["a"]["aims"])
    assert list(ActionPlan.objects.visible_to(users["nobody"])) == []
    both = Action.objects.visible_to(users["admin"]).for_partnership(world["b"]["partnership"])
    assert list(both) == []


def test_editable_rows_are_the_administered_partnerships(world):
    users = world["users"]
    assert list(Strategy.objects.editable_by(users["police"])) == []
    assert list(Organisation.objects.editable_by(users["admin_b"]).order_by("name")) == [
        world["b"]["council"], world["b"]["fire"], world["b"]["police"]]


def test_actions_editable_and_updatable_by_each_role(world, superuser):
    users = world["users"]
    # Alpha: PV-01 led by police with council as partner; PV-02 fire; PV-03 council.
    expected = {
        "admin": ({"PV-01", "PV-02", "PV-03"}, {"PV-01", "PV-02", "PV-03"}),
        "police": ({"PV-01"}, {"PV-01"}),
        "council": ({"PV-03"}, {"PV-01", "PV-03"}),
        "fire": ({"PV-02"}, {"PV-02"}),
        "board": (set(), set()),
        "admin_b": ({"B-01"}, {"B-01"}),
        "nobody": (set(), set()),
    }
    for role, (editable, updatable) in expected.items():
        assert references(Action.objects.editable_by(users[role])) == editable, role
        assert references(Action.objects.updatable_by(users[role])) == updatable, role
    assert references(Action.objects.editable_by(superuser)) == {"PV-01", "PV-02", "PV-03",
                                                                 "B-01"}
    assert references(Action.objects.updatable_by(AnonymousUser())) == set()


def test_action_querysets_agree_with_the_object_permissions(world, superuser):
    for user in [*world["users"].values(), superuser]:
        editable = set(Action.objects.editable_by(user))
        updatable = set(Action.objects.updatable_by(user))
        for action in Action.objects.select_related("plan__strategy__partnership"):
            membership = membership_for(user, action.plan.strategy.partnership)
            assert can_edit_action(membership, action) == (action in editable), (user, action)
            assert can_post_update(membership, action) == (action in updatable), (user, action)


def test_submittable_indicators_agree_with_the_object_permission(world, superuser):
    a = world["a"]
    IndicatorFactory(partnership=a["partnership"], code="S1", owner=a["police"])
    IndicatorFactory(partnership=a["partnership"], code="S2", owner=a["council"])
    IndicatorFactory(partnership=a["partnership"], code="I1", owner=a["police"],
                     source="imported")
    codes = lambda user: set(Indicator.objects.submittable_by(user)  # noqa: E731
                             .values_list("code", flat=True))
    assert codes(world["users"]["police"]) == {"S1"}
    assert codes(world["users"]["admin"]) == {"S1", "S2"}
    assert codes(world["users"]["board"]) == set()
    for user in [*world["users"].values(), superuser]:
        allowed = set(Indicator.objects.submittable_by(user))
        for indicator in Indicator.objects.all():
            membership = membership_for(user, indicator.partnership)
            assert can_submit_value(membership, indicator) == (indicator in allowed)


def test_current_plan_holds_today_else_the_latest_active_never_a_draft(world):
    a = world["a"]
    plans = ActionPlan.objects.for_partnership(a["partnership"])
    draft = ActionPlanFactory(strategy=a["strategy"], year=2021, status="draft")
    in_2020, in_2021 = datetime.date(2020, 11, 16), datetime.date(2021, 5, 1)
    assert plans.current(in_2020) == a["plan"]
    assert plans.current(in_2021) == a["plan"]  # 2020 is active, 2021 only a draft
    a["plan"].status = "closed"
    a["plan"].save()
    assert plans.current(in_2021) == a["plan"]  # a draft is never current
    ActionPlan.objects.filter(pk=draft.pk).update(status="active")
    assert plans.current(in_2021) == draft
    assert plans.current(in_2020) == a["plan"]  # the adopted plan whose year holds the date
    assert ActionPlan.objects.for_partnership(world["b"]["partnership"]).current(in_2020) == (
        world["b"]["plan"])
