"""Who may do what in a priority-setting workshop. Plain functions over a membership (and a
scorer); every member of the partnership may view workshops and their results.

- administrators set a workshop up (criteria, candidates, scorers), open and close scoring,
  choose the priorities and create the draft strategy;
- administrators and organisation officers enter a scorer's paper sheet (marked paper, who
  entered it kept);
- a scorer with a login scores on the web form as themselves only, while scoring is open.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from saferplaces.partnership.permissions import is_admin, is_officer

if TYPE_CHECKING:
    from saferplaces.partnership.models import Membership
    from saferplaces.workshop.models import Scorer


def can_manage_workshop(membership: Membership | None) -> bool:
    """Create and edit workshops, criteria, candidates and scorers; choose priorities."""
    return is_admin(membership)


def can_enter_paper_scores(membership: Membership | None) -> bool:
    """Type in a scorer's paper sheet."""
    return is_admin(membership) or is_officer(membership)


def can_score_as(membership: Membership | None, scorer: Scorer) -> bool:
    """Score on the web form as `scorer`: only the scorer's own login, while scoring is open."""
    from saferplaces.workshop.models import WorkshopStatus

    return (membership is not None and scorer.user_id is not None
            and scorer.user_id == membership.user_id
            and scorer.workshop.status == WorkshopStatus.SCORING)
