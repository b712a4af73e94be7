"""Who may change grants. Plain functions over a membership; the QuerySet method
`Grant.objects.editable_by(user)` (and its allocations', spend's and reporting dates') states
the same rule for many rows (tests/test_grants_pages.py checks they agree).

- administrators and organisation officers record grants, allocations, spend and reporting
  dates (the community safety team and the officers who commission with the money);
- board members and viewers read everything, including the return to the funder.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from saferplaces.partnership.permissions import is_admin, is_officer

if TYPE_CHECKING:
    from saferplaces.partnership.models import Membership


def can_edit_grants(membership: Membership | None) -> bool:
    """Create and edit grants, their reporting dates, allocations and spend."""
    return is_admin(membership) or is_officer(membership)
