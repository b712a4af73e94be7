"""Who may change the partnership's own register. Plain functions over a membership.

Roles (see partnership.models.Role):
- administrator: everything inside their partnership;
- organisation officer: acts for one organisation (see strategy.permissions and
  performance.permissions for what that allows);
- board member and viewer: read everything internal to the partnership, change nothing.
Users with no membership of a partnership get 404 for all its pages (see partnership.access).
The same rules, for many rows at once, are the `editable_by(user)` QuerySet methods.
"""

from __future__ import annotations

from saferplaces.partnership.models import Membership, Role


def is_admin(membership: Membership | None) -> bool:
    return membership is not None and membership.role == Role.ADMIN


def is_officer(membership: Membership | None) -> bool:
    return membership is not None and membership.role == Role.OFFICER


def can_manage_register(membership: Membership | None) -> bool:
    """Organisations, people, board seats, members and the partnership's settings."""
    return is_admin(membership)
