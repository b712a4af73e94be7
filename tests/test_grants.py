"""Grants: exact money, the database refusing allocations over the grant and spend over an
allocation (raw SQL that bypasses the forms, on SQLite and PostgreSQL), and the summary."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from saferplaces.grants.models import Allocation, Grant, Spend
from saferplaces.grants.summary import grant_summary, totals
from tests.conftest import make_action

pytestmark = pytest.mark.django_db


@pytest.fixture
def grant(world):
    a = world["a"]
    return Grant.objects.create(partnership=a["partnership"], title="PCC grant 2020-21",
                                funder="Police and Crime Commissioner", year=2020,
                                amount=Decimal("150000.00"))


def allocate(grant, amount: str, project: str = "Project") -> Allocation:
    return Allocation.objects.create(grant=grant, project_name=project, amount=Decimal(amount))


def raw(sql: str, params: list) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_allocations_may_fill_the_grant_to_the_penny(grant):
    # 0.1 + 0.2 is not 0.3 in floating point: the check must compare exact amounts
    small = Grant.objects.create(partnership=grant.partnership, title="Small", funder="F",
                                 year=2020, amount=Decimal("0.30"))
    allocate(small, "0.10")
    allocate(small, "0.20")
    allocate(grant, "149999.99")
    allocate(grant, "0.01")
    assert grant_summary(grant)["balance"] == Decimal("0.00")


def test_a_raw_insert_over_the_grant_is_refused_by_the_database(grant):
    allocate(grant, "100000.00")
    with pytest.raises(IntegrityError, match="grant_over_allocated"):
        raw("INSERT INTO grants_allocation (grant_id, action_id, project_name, provider, "
            "amount, note) VALUES (%s, NULL, 'Over', '', %s, '')",
            [grant.pk, Decimal("50000.01")])
    assert Allocation.objects.count() == 1


def test_a_raw_update_raising_an_allocation_over_the_grant_is_refused(grant):
    first = allocate(grant, "100000.00")
    allocate(grant, "50000.00", "Second")
    with pytest.raises(IntegrityError, match="grant_over_allocated"):
        raw("UPDATE grants_allocation SET amount = %s WHERE id = %s",
            [Decimal("100000.01"), first.pk])
    first.refresh_from_db()
    assert first.amount == Decimal("100000.00")


def test_moving_an_allocation_to_a_smaller_grant_is_refused(grant):
    small = Grant.objects.create(partnership=grant.partnership, title="Small", funder="F",
                                 year=2020, amount=Decimal("10.00"))
    big = allocate(grant, "10.01")
    with pytest.raises(IntegrityError, match="grant_over_allocated"):
        raw("UPDATE grants_allocation SET grant_id = %s WHERE id = %s", [small.pk, big.pk])


def test_lowering_the_grant_below_its_allocations_is_refused(grant):
    allocate(grant, "120000.00")
    with pytest.raises(IntegrityError, match="grant_over_allocated"):
        raw("UPDATE grants_grant SET amount = %s WHERE id = %s",
            [Decimal("119999.99"), grant.pk])
    raw("UPDATE grants_grant SET amount = %s WHERE id = %s", [Decimal("120000.00"), grant.pk])
    grant.refresh_from_db()
    assert grant.amount == Decimal("120000.00")


def test_spend_over_an_allocation_is_refused_by_the_database(grant):
    allocation = allocate(grant, "1000.00")
    Spend.objects.create(allocation=allocation, spent_on=datetime.date(2020, 6, 1),
                         amount=Decimal("999.99"), description="Invoice 1")
    with pytest.raises(IntegrityError, match="allocation_overspent"):
        raw("INSERT INTO grants_spend (allocation_id, spent_on, amount, description, "
            "reference) VALUES (%s, %s, %s, 'Invoice 2', '')",
            [allocation.pk, datetime.date(2020, 7, 1), Decimal("0.02")])
    with pytest.raises(IntegrityError, match="allocation_overspent"):
        raw("UPDATE grants_allocation SET amount = %s WHERE id = %s",
            [Decimal("999.98"), allocation.pk])
    assert Spend.objects.count() == 1


def test_an_allocation_is_for_an_action_or_a_project_not_both_nor_neither(world, grant):
    action = make_action(world["a"]["plan"], "GR-01", world["a"]["police"])
    with pytest.raises(IntegrityError):
        with transaction.atomic():
            Allocation.objects.create(grant=grant, amount=Decimal("1.00"))
    with pytest.raises(IntegrityError):
        with transaction.atomic():
            Allocation.objects.create(grant=grant, action=action, project_name="Both",
                                      amount=Decimal("1.00"))


def test_totals_add_exact_decimals():
    figures = totals(Decimal("100.00"), [(Decimal("33.33"), [Decimal("10.10"),
                                                              Decimal("0.01")]),
                                          (Decimal("33.34"), [])])
    assert figures == {"amount": Decimal("100.00"), "allocated": Decimal("66.67"),
                       "spent": Decimal("10.11"), "balance": Decimal("33.33"),
                       "remaining": Decimal("56.56"), "unspent": Decimal("89.89")}


def test_grant_summary_rows_and_totals(world, grant):
    action = make_action(world["a"]["plan"], "GR-01", world["a"]["police"], title="Knife crime")
    for_action = Allocation.objects.create(grant=grant, action=action,
                                           amount=Decimal("40000.50"))
    project = Allocation.objects.create(grant=grant, project_name="Mentoring",
                                        provider="Base 25", amount=Decimal("25000.25"))
    for amount in ("1234.56", "0.44"):
        Spend.objects.create(allocation=for_action, spent_on=datetime.date(2020, 9, 1),
                             amount=Decimal(amount), description="Invoice")
    summary = grant_summary(grant)
    assert summary["amount"] == Decimal("150000.00")
    assert summary["allocated"] == Decimal("65000.75")
    assert summary["spent"] == Decimal("1235.00")
    assert summary["balance"] == Decimal("84999.25")
    assert summary["year_label"] == "2020/21"
    assert [(r["what"], r["amount"], r["spent"]) for r in summary["allocations"]] == [
        ("GR-01 Knife crime", Decimal("40000.50"), Decimal("1235.00")),
        ("Mentoring (Base 25)", Decimal("25000.25"), Decimal("0.00")),
    ]
    assert project.what == "Mentoring (Base 25)"
