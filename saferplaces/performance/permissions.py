"""Who may submit and approve indicator values, and create and issue board reports.

Plain functions over a membership and an object; `Indicator.objects.submittable_by(user)`
states the submission rule for many indicators at once (tests/test_access.py checks they
agree).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from saferplaces.partnership.permissions import is_admin, is_officer
from saferplaces.performance.models import Source

if TYPE_CHECKING:
    from saferplaces.partnership.models import Membership
    from saferplaces.performance.models import Indicator


def can_submit_value(membership: Membership | None, indicator: Indicator) -> bool:
    """Partner-submitted indicators take values from their owner organisation's officers and
    from administrators; computed and imported ones take none through the web."""
    if indicator.source != Source.SUBMITTED:
        return False
    if is_admin(membership):
        return True
    return is_officer(membership) and membership.organisation_id == indicator.owner_id


def can_review_values(membership: Membership | None) -> bool:
    """Approving or returning submitted values is for administrators."""
    return is_admin(membership)


def can_manage_reports(membership: Membership | None) -> bool:
    """Creating draft board reports and issuing them is for administrators."""
    return is_admin(membership)
