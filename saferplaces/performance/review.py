"""Four eyes on indicator values: approving a submitted value and returning one.

The rule is a plain function (`refusal`) so pages can hide a button the service would refuse;
`approve` and `return_value` enforce it whatever calls them. Who may review at all (an
administrator) is `permissions.can_review_values`, checked by the view.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone

from saferplaces.performance.models import IndicatorValue, ValueStatus

APPROVE, RETURN = "approve", "return"


def refusal(decision: str, status: str, submitted_by_id: int | None, reviewer_id: int,
            allow_self_approval: bool) -> tuple[str, str] | None:
    """Why this review decision is refused, as (code, message), or None when it is allowed.

    A submitted value may be approved, except by the login that submitted it (unless the
    partnership allows self-approval); a submitted or approved value may be returned.
    """
    if decision == APPROVE:
        if status != ValueStatus.SUBMITTED:
            return "not_submitted", "Only a value awaiting approval can be approved."
        if submitted_by_id == reviewer_id and not allow_self_approval:
            return ("own_value", "You submitted this value, so another administrator must "
                                 "approve it.")
        return None
    if decision == RETURN:
        if status not in (ValueStatus.SUBMITTED, ValueStatus.APPROVED):
            return "not_returnable", "Only a value awaiting approval or approved can be returned."
        return None
    return "unknown_decision", "Choose approve or return."


def may_approve(value: IndicatorValue, user) -> bool:
    """Whether `user` may approve `value` under the four-eyes rule (not the role check)."""
    return refusal(APPROVE, value.status, value.submitted_by_id, user.pk,
                   value.indicator.partnership.allow_self_approval) is None


def approve(value: IndicatorValue, user, note: str = "") -> IndicatorValue:
    """Approve a submitted value; a self-approval (where allowed) is marked on the value.

    Raises ValidationError (code own_value, not_submitted) when the rule refuses.
    """
    _check(APPROVE, value, user)
    value.self_approved = value.submitted_by_id == user.pk
    _record(value, user, ValueStatus.APPROVED, note,
            "Approved by its submitter (self-approval allowed)" if value.self_approved
            else "Approved")
    return value


def return_value(value: IndicatorValue, user, note: str) -> IndicatorValue:
    """Return a submitted or approved value to its submitter with a reason.

    The reason is kept as the review note and in the value's history; a returned value no
    longer counts. Raises ValidationError (code note_required, not_returnable).
    """
    note = note.strip()
    if not note:
        raise ValidationError("Say why the value is returned, so the submitter can fix it.",
                              code="note_required")
    was_approved = value.status == ValueStatus.APPROVED
    _check(RETURN, value, user)
    value.self_approved = False
    _record(value, user, ValueStatus.REJECTED, note,
            f"Returned after approval: {note}" if was_approved else f"Returned: {note}")
    return value


def _check(decision: str, value: IndicatorValue, user) -> None:
    refused = refusal(decision, value.status, value.submitted_by_id, user.pk,
                      value.indicator.partnership.allow_self_approval)
    if refused is not None:
        code, message = refused
        raise ValidationError(message, code=code)


def _record(value: IndicatorValue, user, status: str, note: str, reason: str) -> None:
    value.status = status
    value.reviewed_by, value.reviewed_at, value.review_note = user, timezone.now(), note
    value._change_reason = reason
    value.clean()
    value.save()
