"""Who may do what inside a partnership. Plain functions over a membership and an object.

Roles (see partnership.models.Role):
- administrator: everything inside their partnership;
- organisation officer: edits actions their organisation leads, and posts updates on
  actions it leads or partners;
- board member and viewer: read everything internal to the partnership, change nothing.
Users with no membership of a partnership get 404 for all its pages (see core.views).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from saferplaces.partnership.models import Membership
    from saferplaces.strategy.models import Action


def is_admin(membership: Membership | None) -> bool:
    return membership is not None and membership.role == "admin"


def can_manage_strategy(membership: Membership | None) -> bool:
    """Create and edit strategies, priorities, aims, plans, organisations and the board."""
    return is_admin(membership)


def can_create_action(membership: Membership | None) -> bool:
    """Administrators, and officers (for actions their own organisation leads)."""
    return membership is not None and membership.role in ("admin", "officer")


def can_edit_action(membership: Membership | None, action: Action) -> bool:
    if is_admin(membership):
        return True
    return (
        membership is not None
        and membership.role == "officer"
        and membership.organisation_id == action.lead_organisation_id
    )


def can_post_update(membership: Membership | None, action: Action) -> bool:
    if can_edit_action(membership, action):
        return True
    if membership is None or membership.role != "officer":
        return False
    partner_ids = {org.pk for org in action.partner_organisations.all()}
    return membership.organisation_id in partner_ids


def can_import_actions(membership: Membership | None) -> bool:
    """Bulk CSV import rewrites many organisations' actions, so it is for administrators."""
    return is_admin(membership)


def can_submit_value(membership: Membership | None, indicator) -> bool:
    """Partner-submitted indicators take values from their owner organisation's officers and
    from administrators; computed and imported ones take none through the web."""
    if indicator.source != "submitted" or membership is None:
        return False
    if is_admin(membership):
        return True
    return membership.role == "officer" and membership.organisation_id == indicator.owner_id


def can_review_values(membership: Membership | None) -> bool:
    """Approving or returning submitted values is for administrators."""
    return is_admin(membership)
