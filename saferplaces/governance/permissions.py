"""Who may run board meetings. Plain functions over a membership; the QuerySet methods
`editable_by(user)` of the governance models state the same rules for many rows
(tests/test_governance.py checks they agree).

- administrators set up the board's groups and their quorum rules, and everything below;
- organisation officers (who often clerk a group) schedule meetings, edit agendas, add
  papers, record attendance, minutes, decisions and actions arising;
- board members and viewers read everything, change nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from saferplaces.partnership.permissions import is_admin, is_officer

if TYPE_CHECKING:
    from saferplaces.partnership.models import Membership


def can_manage_bodies(membership: Membership | None) -> bool:
    """Add and edit the board's record and its groups (members and quorum rule)."""
    return is_admin(membership)


def can_edit_meetings(membership: Membership | None) -> bool:
    """Meetings, agendas, papers, attendance, minutes, decisions and actions arising."""
    return is_admin(membership) or is_officer(membership)
