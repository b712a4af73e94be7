"""The test factories make objects that the models' own rules accept, in one partnership."""

import datetime

import pytest
from django.http import HttpRequest

from tests import factories

pytestmark = pytest.mark.django_db

EVERY_FACTORY = [
    factories.UserFactory, factories.PartnershipFactory, factories.OrganisationFactory,
    factories.MembershipFactory, factories.PersonFactory, factories.StrategyFactory,
    factories.PriorityFactory, factories.AimFactory, factories.ActionPlanFactory,
    factories.ActionFactory, factories.ActionUpdateFactory, factories.IndicatorFactory,
    factories.IndicatorValueFactory, factories.IndicatorTargetFactory, factories.AreaFactory,
    factories.AreaLinkFactory,
]


@pytest.mark.parametrize("factory", EVERY_FACTORY, ids=lambda f: f.__name__)
def test_every_factory_makes_a_valid_object(factory):
    made = factory()
    made.full_clean()  # raises ValidationError if a model rule is broken


def test_an_action_and_its_lead_are_in_the_plans_partnership():
    action = factories.ActionFactory()
    assert action.lead_organisation.partnership == action.plan.strategy.partnership


def test_an_officer_acts_for_an_organisation_of_their_partnership():
    membership = factories.MembershipFactory(role="officer")
    assert membership.organisation.partnership == membership.partnership
    assert factories.MembershipFactory(role="admin").organisation is None


def test_many_to_many_fields_are_set_when_given():
    aim = factories.AimFactory()
    partner = factories.OrganisationFactory()
    action = factories.ActionFactory(aims=[aim], partner_organisations=[partner])
    assert list(action.aims.all()) == [aim]
    assert list(action.partner_organisations.all()) == [partner]
    # One history row for the creation and one per many-to-many field set; a second save by
    # factory_boy after the hooks would add a fourth.
    assert action.history.count() == 3


def test_a_value_takes_its_dates_from_the_period():
    value = factories.IndicatorValueFactory(period="2020-Q3")  # financial: Oct to Dec 2020
    assert (value.period_start, value.period_end) == (datetime.date(2020, 10, 1),
                                                       datetime.date(2020, 12, 31))
    monthly = factories.IndicatorValueFactory(period="2021-02")
    assert (monthly.period_start, monthly.period_end) == (datetime.date(2021, 2, 1),
                                                          datetime.date(2021, 2, 28))


def test_users_can_log_in_with_the_shared_password(client):
    user = factories.UserFactory()
    assert client.login(request=HttpRequest(), username=user.username, password=factories.PASSWORD)
