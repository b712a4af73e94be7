"""Writing equality analyses: creating one with its nine impact rows, and the sign-off rule.

The rule (docs/equality.md): a signed-off analysis is what was approved. Changing it, or any
of its impacts, withdraws the sign-off and starts the next version, which must be signed
off again; the audit trail keeps every version and who signed it.
"""

from __future__ import annotations

import datetime

from django.db import transaction

from saferplaces.equality.models import Characteristic, EqualityAnalysis, EqualityImpact


def create_impacts(analysis: EqualityAnalysis) -> None:
    """One impact row ("not yet known") per protected characteristic missing from it."""
    have = set(analysis.impacts.values_list("characteristic", flat=True))
    for code, _ in Characteristic.choices:
        if code not in have:
            EqualityImpact.objects.create(analysis=analysis, characteristic=code)


def _withdraw(analysis: EqualityAnalysis) -> bool:
    """Clear a sign-off and start the next version (not saved); the history reason is set.
    True if the analysis was signed off."""
    if not analysis.is_signed_off:
        return False
    # the history keeps who signed and when; the reason column holds 100 characters
    analysis._change_reason = (f"Changed after version {analysis.version} was signed off: "
                               "needs signing off again")
    analysis.version += 1
    analysis.signed_off_by = ""
    analysis.signed_off_on = None
    analysis.signed_off_recorded_by = None
    return True


@transaction.atomic
def save_analysis(form, user) -> tuple[EqualityAnalysis, bool]:
    """Save the analysis form; a change to a signed-off analysis withdraws its sign-off in
    the same save. Returns the analysis and whether a sign-off was withdrawn."""
    analysis = form.save(commit=False)
    withdrawn = bool(form.changed_data) and _withdraw(analysis)
    analysis._history_user = user
    analysis.save()
    form.save_m2m()
    create_impacts(analysis)
    return analysis, withdrawn


@transaction.atomic
def save_impact(form, user) -> tuple[EqualityImpact, bool]:
    """Save one characteristic's impact; a change withdraws the analysis's sign-off."""
    impact = form.save(commit=False)
    impact._history_user = user
    impact.save()
    analysis = impact.analysis
    withdrawn = bool(form.changed_data) and _withdraw(analysis)
    if withdrawn:
        analysis._history_user = user
        analysis.save()
    return impact, withdrawn


def sign_off(analysis: EqualityAnalysis, by: str, on: datetime.date, user) -> None:
    """Record that `by` approved the current version on `on`."""
    analysis.signed_off_by = by
    analysis.signed_off_on = on
    analysis.signed_off_recorded_by = user
    analysis._history_user = user
    analysis._change_reason = f"Version {analysis.version} signed off"
    analysis.save()
