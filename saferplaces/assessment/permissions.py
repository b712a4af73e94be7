"""Who may create, edit and publish strategic assessments. Plain functions over a membership.

Every member of the partnership may read its assessments and download them. Officers and
administrators draft them: create one, write the sections' narrative and choose the serious
violence definition. Publishing freezes a version for good, so it is for administrators.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from saferplaces.partnership.permissions import is_admin, is_officer

if TYPE_CHECKING:
    from saferplaces.assessment.models import Assessment
    from saferplaces.partnership.models import Membership


def can_draft_assessments(membership: Membership | None) -> bool:
    """Creating a draft (or a new version of a published one)."""
    return is_admin(membership) or is_officer(membership)


def can_edit_assessment(membership: Membership | None, assessment: Assessment) -> bool:
    """Changing a draft's narrative and settings; a published version never changes."""
    return not assessment.is_published and can_draft_assessments(membership)


def can_publish_assessment(membership: Membership | None, assessment: Assessment) -> bool:
    return not assessment.is_published and is_admin(membership)
