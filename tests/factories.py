"""factory_boy factories for the test suite's data, one per model.

Each factory makes a valid object with everything it needs (a partnership, an owner, a plan...),
so a test names only what it is about: `ActionFactory(status="complete")`. Related objects
default to the same partnership as their parent, as the models' `clean()` rules require.

Many-to-many fields (an action's aims and partners, an indicator's priorities) are set when
given: `ActionFactory(aims=[aim], partner_organisations=[council])`.
"""

import datetime

import factory
from django.contrib.auth import get_user_model
from factory.django import DjangoModelFactory, Password

from saferplaces.areas.models import Area, AreaLink
from saferplaces.committee.models import CommitteeReport
from saferplaces.core.periods import parse_period
from saferplaces.partnership.models import Membership, Organisation, Partnership, Person
from saferplaces.performance.models import Indicator, IndicatorTarget, IndicatorValue
from saferplaces.strategy.models import (
    Action,
    ActionPlan,
    ActionUpdate,
    Aim,
    Priority,
    Strategy,
)

PASSWORD = "correct-horse-battery-staple"


def _set_many(field_name):
    """A post-generation hook that sets a many-to-many field when the test gives one."""

    def hook(obj, create, extracted, **kwargs):
        if create and extracted is not None:
            getattr(obj, field_name).set(extracted)

    hook.__name__ = field_name
    return factory.PostGeneration(hook)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user-{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = Password(PASSWORD)


class PartnershipFactory(DjangoModelFactory):
    class Meta:
        model = Partnership

    slug = factory.Sequence(lambda n: f"partnership-{n}")
    name = factory.LazyAttribute(lambda p: p.slug.title())
    short_name = factory.LazyAttribute(lambda p: p.slug.upper())


class OrganisationFactory(DjangoModelFactory):
    """A responsible authority (a council unless told otherwise)."""

    class Meta:
        model = Organisation

    partnership = factory.SubFactory(PartnershipFactory)
    short_name = factory.Sequence(lambda n: f"ORG{n}")
    name = factory.LazyAttribute(lambda o: f"{o.partnership.name} {o.short_name}")
    statutory_role = "responsible"
    authority_type = "council"


class MembershipFactory(DjangoModelFactory):
    """A user's role in a partnership; officers act for an organisation of that partnership."""

    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    partnership = factory.SubFactory(PartnershipFactory)
    role = "viewer"
    organisation = factory.Maybe(
        factory.LazyAttribute(lambda m: m.role == "officer"),
        yes_declaration=factory.SubFactory(
            OrganisationFactory, partnership=factory.SelfAttribute("..partnership")),
        no_declaration=None,
    )


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    partnership = factory.SubFactory(PartnershipFactory)
    name = factory.Sequence(lambda n: f"Person {n}")
    organisation = None
    email = ""


class StrategyFactory(DjangoModelFactory):
    """An adopted 2020-23 strategy."""

    class Meta:
        model = Strategy

    partnership = factory.SubFactory(PartnershipFactory)
    title = factory.LazyAttribute(lambda s: f"{s.partnership.name} strategy")
    start_date = datetime.date(2020, 4, 1)
    end_date = datetime.date(2023, 3, 31)
    status = "adopted"


class PriorityFactory(DjangoModelFactory):
    class Meta:
        model = Priority

    strategy = factory.SubFactory(StrategyFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Priority {n + 1}")


class AimFactory(DjangoModelFactory):
    class Meta:
        model = Aim

    priority = factory.SubFactory(PriorityFactory)
    number = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"Aim {n + 1}")


class ActionPlanFactory(DjangoModelFactory):
    """The active plan for the financial year starting 1 April of `year`."""

    class Meta:
        model = ActionPlan

    strategy = factory.SubFactory(StrategyFactory)
    year = 2020
    start_date = factory.LazyAttribute(lambda plan: datetime.date(plan.year, 4, 1))
    end_date = factory.LazyAttribute(lambda plan: datetime.date(plan.year + 1, 3, 31))
    status = "active"


class ActionFactory(DjangoModelFactory):
    """An on-track action due in six months, led by an organisation of the plan's partnership."""

    class Meta:
        model = Action
        skip_postgeneration_save = True

    plan = factory.SubFactory(ActionPlanFactory)
    reference = factory.Sequence(lambda n: f"A-{n:02d}")
    title = factory.LazyAttribute(lambda action: f"Action {action.reference}")
    lead_organisation = factory.SubFactory(
        OrganisationFactory, partnership=factory.SelfAttribute("..plan.strategy.partnership"))
    due_date = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=180))
    status = "on_track"
    partner_organisations = _set_many("partner_organisations")
    aims = _set_many("aims")


class ActionUpdateFactory(DjangoModelFactory):
    class Meta:
        model = ActionUpdate

    action = factory.SubFactory(ActionFactory)
    author = factory.SubFactory(UserFactory)
    status = "on_track"
    narrative = "Progress as planned."


class IndicatorFactory(DjangoModelFactory):
    """A quarterly count, lower is better, submitted by its owner; a computed one counts crimes."""

    class Meta:
        model = Indicator
        skip_postgeneration_save = True

    partnership = factory.SubFactory(PartnershipFactory)
    code = factory.Sequence(lambda n: f"IX{n}")
    name = factory.LazyAttribute(lambda indicator: f"Indicator {indicator.code}")
    definition = "What is counted."
    polarity = "lower"
    unit = "count"
    frequency = "quarterly"
    source = "submitted"
    measure = factory.LazyAttribute(
        lambda indicator: "count" if indicator.source == "computed" else "")
    owner = factory.SubFactory(
        OrganisationFactory, partnership=factory.SelfAttribute("..partnership"))
    priorities = _set_many("priorities")


class IndicatorValueFactory(DjangoModelFactory):
    """An approved value; the period's dates come from its code ("2020-Q3", "2020-11")."""

    class Meta:
        model = IndicatorValue

    indicator = factory.SubFactory(IndicatorFactory)
    period = "2020-Q1"
    period_start = factory.LazyAttribute(lambda value: parse_period(value.period).start)
    period_end = factory.LazyAttribute(lambda value: parse_period(value.period).end)
    value = 1
    status = "approved"


class IndicatorTargetFactory(DjangoModelFactory):
    class Meta:
        model = IndicatorTarget

    indicator = factory.SubFactory(IndicatorFactory)
    period = "2020-Q1"
    value = 100


class AreaFactory(DjangoModelFactory):
    """A 2011 LSOA with no boundary; give `level`, `vintage` and validity dates for others."""

    class Meta:
        model = Area

    level = "lsoa"
    code = factory.Sequence(lambda n: f"E0{n:07d}")
    name = factory.LazyAttribute(lambda area: f"{area.level.upper()} {area.code}")
    vintage = "2011"


class AreaLinkFactory(DjangoModelFactory):
    """A lookup row: an LSOA (by default) inside a ward."""

    class Meta:
        model = AreaLink

    child = factory.SubFactory(AreaFactory)
    parent = factory.SubFactory(AreaFactory, level="ward", vintage="2023")
    vintage = factory.LazyAttribute(lambda link: f"{link.child.level}-{link.parent.level} test")


class CommitteeReportFactory(DjangoModelFactory):
    """A draft committee report with no sections (committee.services.create_report adds the
    template's)."""

    class Meta:
        model = CommitteeReport

    partnership = factory.SubFactory(PartnershipFactory)
    title = factory.Sequence(lambda n: f"Committee report {n}")
    committee = "Health and Wellbeing Together"
    meeting_date = datetime.date(2021, 3, 10)
