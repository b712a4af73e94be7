"""Who may change equality analyses. Plain functions over a membership; the QuerySet method
`EqualityAnalysis.objects.editable_by(user)` states the same rule for many rows
(tests/test_equality_pages.py checks they agree).

- administrators and organisation officers write analyses, their impacts, and record the
  sign-off (the officer who approved it is named on the sign-off; the login recording it is
  kept too);
- board members and viewers read them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from saferplaces.partnership.permissions import is_admin, is_officer

if TYPE_CHECKING:
    from saferplaces.partnership.models import Membership


def can_edit_analysis(membership: Membership | None) -> bool:
    """Create and edit analyses and their impacts, and record or withdraw a sign-off."""
    return is_admin(membership) or is_officer(membership)
