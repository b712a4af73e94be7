"""Who may change strategies, plans and actions. Plain functions over a membership and an
object; the QuerySet methods `Action.objects.editable_by(user)` and `updatable_by(user)`
state the same rules for many actions at once (tests/test_access.py checks they agree).

- administrators manage strategies, priorities, aims, plans and linked strategies, import
  and roll forward plans, and edit every action;
- organisation officers create and edit actions their organisation leads, and post
  updates on actions it leads or partners;
- board members and viewers change nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from saferplaces.partnership.permissions import is_admin, is_officer

if TYPE_CHECKING:
    from saferplaces.partnership.models import Membership
    from saferplaces.strategy.models import Action


def can_manage_strategy(membership: Membership | None) -> bool:
    """Create and edit strategies, priorities, aims, plans and linked strategies."""
    return is_admin(membership)


def can_create_action(membership: Membership | None) -> bool:
    """Administrators, and officers (for actions their own organisation leads)."""
    return is_admin(membership) or is_officer(membership)


def can_choose_any_lead(membership: Membership | None) -> bool:
    """Administrators give an action to any organisation; officers only to their own."""
    return is_admin(membership)


def can_edit_action(membership: Membership | None, action: Action) -> bool:
    if is_admin(membership):
        return True
    return is_officer(membership) and membership.organisation_id == action.lead_organisation_id


def can_post_update(membership: Membership | None, action: Action) -> bool:
    if can_edit_action(membership, action):
        return True
    if not is_officer(membership):
        return False
    partner_ids = {org.pk for org in action.partner_organisations.all()}
    return membership.organisation_id in partner_ids


def can_import_actions(membership: Membership | None) -> bool:
    """Bulk CSV import rewrites many organisations' actions, so it is for administrators."""
    return is_admin(membership)
