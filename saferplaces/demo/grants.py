"""The demo's grant: the Police and Crime Commissioner's grant of £150,000 for 2020-21,
ring-fenced for community safety (founding report, paragraph 11.2, quoted). What it is
allocated to, the spend and the reporting dates are illustrative, and the grant says so."""

from __future__ import annotations

import datetime
from decimal import Decimal

from saferplaces.demo.sync import sync
from saferplaces.grants.models import Allocation, Grant, GrantReportingDate, Spend
from saferplaces.strategy.models import ActionPlan

TITLE = "PCC community safety grant 2020-21"
NOTE = ("The grant, its amount, year and ring-fence are from the founding council report "
        "(paragraph 11.2); the allocations, spend and reporting dates are illustrative.")
RING_FENCE = ("The PCC allocation has been ringfenced for Community Safety use by Safer "
              "Wolverhampton Partnership (SWP) in line with conditions of grant.")

# (plan action reference or project name, provider, amount); illustrative
ALLOCATIONS = [
    ("PV-05", "", "30000.00"),
    ("PV-06", "", "12000.00"),
    ("RO-09", "", "35000.00"),
    ("PV-09", "", "5000.00"),
    ("RH-03", "", "8500.00"),
    ("RH-05", "", "25000.00"),
    ("Community capacity small grants", "Local voluntary and community groups", "15000.00"),
]
# (allocation, date, amount, description, reference); illustrative, all before 15 Feb 2021
SPEND = [
    ("PV-05", "2020-07-31", "7500.00", "Detached youth work, quarter 1", "ILL-0101"),
    ("PV-05", "2020-10-30", "7500.00", "Detached youth work, quarter 2", "ILL-0102"),
    ("PV-05", "2021-01-29", "7500.00", "Detached youth work, quarter 3", "ILL-0103"),
    ("PV-06", "2020-11-20", "4800.00", "Knife crime sessions, autumn term", "ILL-0201"),
    ("RO-09", "2020-09-30", "17500.00", "Perpetrator programme, first instalment", "ILL-0301"),
    ("PV-09", "2020-06-15", "1250.50", "Safe spaces signage and training materials", "ILL-0401"),
    ("RH-03", "2020-12-11", "6375.25", "Hate crime microsite build", "ILL-0501"),
    ("RH-05", "2020-05-29", "12500.00", "Dispersed safe accommodation, first six months",
     "ILL-0601"),
    ("Community capacity small grants", "2021-01-15", "9850.00",
     "Eleven small grants to resident groups", "ILL-0701"),
]
REPORTING_DATES = [
    ("2020-10-31", "Quarter 2 monitoring return to the OPCC (illustrative)"),
    ("2021-01-31", "Quarter 3 monitoring return to the OPCC (illustrative)"),
    ("2021-04-30", "End-of-year return to the OPCC (illustrative)"),
]


def load_grant(partnership, plan: ActionPlan) -> Grant:
    """Create or refresh the grant; running it again writes nothing."""
    grant = sync(Grant, partnership=partnership, title=TITLE, defaults={
        "funder": "West Midlands Police and Crime Commissioner (PCC)", "year": 2020,
        "amount": Decimal("150000.00"), "ring_fence": RING_FENCE,
        "conditions": "In line with the PCC's conditions of grant.",
        "illustrative_note": NOTE})
    allocations = {}
    for what, provider, amount in ALLOCATIONS:
        if provider:  # a commissioned project
            lookup = {"project_name": what}
        else:
            lookup = {"action": plan.actions.get(reference=what)}
        allocations[what] = sync(Allocation, grant=grant, **lookup,
                                 defaults={"provider": provider, "amount": Decimal(amount)})
    for what, on, amount, description, reference in SPEND:
        sync(Spend, allocation=allocations[what], reference=reference, defaults={
            "spent_on": datetime.date.fromisoformat(on), "amount": Decimal(amount),
            "description": description})
    for on, what in REPORTING_DATES:
        sync(GrantReportingDate, grant=grant, what=what,
             defaults={"due_on": datetime.date.fromisoformat(on)})
    return grant
