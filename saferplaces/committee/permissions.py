"""Who may do what with committee reports. Plain functions over a membership.

- every member of the partnership reads reports, their route and their history, and
  downloads them;
- administrators and organisation officers draft and edit reports (officers write most
  council reports);
- administrators record the decisions of the bodies on the route, set the bodies' paper
  deadlines and issue reports (issuing freezes them).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from saferplaces.partnership.permissions import is_admin, is_officer

if TYPE_CHECKING:
    from saferplaces.partnership.models import Membership


def can_draft_reports(membership: Membership | None) -> bool:
    """Create a report and edit its header, recommendations, sections and route."""
    return is_admin(membership) or is_officer(membership)


def can_decide(membership: Membership | None) -> bool:
    """Record a body's decision and its conditions; set a body's paper deadline."""
    return is_admin(membership)


def can_issue(membership: Membership | None) -> bool:
    """Issue a report, freezing its content."""
    return is_admin(membership)
