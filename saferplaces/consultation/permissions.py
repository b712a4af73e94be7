"""Who may run consultations. Plain functions over a membership (and an object).

- administrators create and edit consultations, build surveys, open and close them, and
  record the distribution log, meetings and paper responses;
- organisation officers may record meetings they attended, paper responses and
  distributions (they carry the consultation to their own networks);
- board members and viewers read everything internal, change nothing.
The public answers an open consultation through `consultation.public_views`, without a login.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from saferplaces.partnership.permissions import is_admin, is_officer

if TYPE_CHECKING:
    from saferplaces.partnership.models import Membership


def can_manage_consultation(membership: Membership | None) -> bool:
    """Create, edit, build the survey, change the status, set the policy."""
    return is_admin(membership)


def can_record_engagement(membership: Membership | None) -> bool:
    """Record a meeting, a distribution or a paper response."""
    return is_admin(membership) or is_officer(membership)


def can_see_personal_data(membership: Membership | None) -> bool:
    """Respondents' names, emails and postcodes."""
    return is_admin(membership)
