"""A grant's figures: amount, allocated, spent and the balance, and a row per allocation.

`grant_summary` is the one place these are added up: the grant pages, the return to the
funder and committee reports ("grant figures") all read it. The adding up itself is the
plain function `totals`, with no database.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from saferplaces.grants.models import Grant

ZERO = Decimal("0.00")


def totals(amount: Decimal, allocations: Iterable[tuple[Decimal, Iterable[Decimal]]]
           ) -> dict[str, Decimal]:
    """From a grant's amount and, per allocation, its amount and the amounts spent against
    it: allocated, spent, balance (the amount not yet allocated), remaining (allocated but not
    yet spent) and unspent (the amount not yet spent, allocated or not). Exact decimal
    arithmetic."""
    allocated = spent = ZERO
    for allocation_amount, spends in allocations:
        allocated += allocation_amount
        spent += sum(spends, ZERO)
    return {"amount": amount, "allocated": allocated, "spent": spent,
            "balance": amount - allocated, "remaining": allocated - spent,
            "unspent": amount - spent}


def grant_summary(grant: Grant) -> dict:
    """The grant's figures as plain data (Decimals and text).

    Keys: title, funder, year (2020), year_label ("2020/21"), ring_fence, conditions, amount,
    allocated, spent, balance (amount not allocated), remaining (allocated, not spent),
    unspent (amount not spent), and
    allocations: a list of {id, what, kind ("action" or "project"), action_id, amount, spent,
    remaining}, in the order they were made.
    """
    allocations = list(grant.allocations.select_related("action").prefetch_related("spends"))
    spends = {a.pk: [s.amount for s in a.spends.all()] for a in allocations}
    rows = []
    for allocation in allocations:
        spent = sum(spends[allocation.pk], ZERO)
        rows.append({
            "id": allocation.pk,
            "what": allocation.what,
            "kind": "action" if allocation.action_id else "project",
            "action_id": allocation.action_id,
            "amount": allocation.amount,
            "spent": spent,
            "remaining": allocation.amount - spent,
        })
    figures = totals(grant.amount, ((a.amount, spends[a.pk]) for a in allocations))
    return {
        "title": grant.title, "funder": grant.funder, "year": grant.year,
        "year_label": grant.year_label, "ring_fence": grant.ring_fence,
        "conditions": grant.conditions, **figures, "allocations": rows,
    }
