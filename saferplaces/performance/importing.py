"""Importing indicator values from CSV: the database side. Parsing and validation live in
``value_csv`` (no ORM); this module builds its lookups and writes in one transaction.

Values imported here are recorded as **approved**: the import is run by an administrator
(someone with shell access to the installation), so it is the approval. ``reviewed_by`` is the
login given to the command (if any) and ``reviewed_at`` the time of the import.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from saferplaces.performance import value_csv
from saferplaces.performance.models import Indicator, IndicatorValue, ValueStatus

CHANGE_REASON = "Imported from a CSV file"
REVIEW_NOTE = "Approved on import by an administrator (saferplaces indicators import-values)."


def lookups_for(partnership) -> value_csv.Lookups:
    """The indicators a values file for this partnership may name, by lower-case code."""
    indicators = {
        indicator.code.lower(): value_csv.IndicatorInfo(
            indicator.pk, indicator.code, indicator.frequency, indicator.source)
        for indicator in Indicator.objects.filter(partnership=partnership)
    }
    return value_csv.Lookups(indicators)


@dataclass
class ImportResult:
    """What an import did (or would do), as "CODE PERIOD" labels."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    errors: list[value_csv.RowError] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        if self.errors:
            return f"{len(self.errors)} bad row(s); nothing was written."
        verb = "would be" if self.dry_run else "were"
        return (f"{len(self.created)} value(s) {verb} created, {len(self.updated)} updated, "
                f"{len(self.unchanged)} unchanged.")


def _wanted(row: value_csv.ValueRow) -> dict:
    """The field values a row asks for (optional columns only when present in the file)."""
    wanted = {
        "period_start": row.period.start,
        "period_end": row.period.end,
        "value": row.value,
        "status": ValueStatus.APPROVED,
    }
    wanted.update(row.values)
    return wanted


def import_values(partnership, data: bytes, user=None, dry_run: bool = False,
                  source_name: str = "") -> ImportResult:
    """Create or update the partnership's indicator values from CSV bytes, all or nothing.

    Every row is validated first; if any is bad nothing is written and every bad row is
    returned. Rows are keyed by (indicator, period): a new key creates an approved value, an
    existing one is updated and becomes approved (replacing a value awaiting approval or
    returned). Rows identical to the database write nothing (no history row). With
    ``dry_run`` the writes are rolled back.
    """
    result = ImportResult(dry_run=dry_run)
    rows, errors = value_csv.parse_values(data, lookups_for(partnership))
    if errors:
        result.errors = errors
        return result
    reason = f"{CHANGE_REASON} ({source_name})" if source_name else CHANGE_REASON
    with transaction.atomic():
        existing = {
            (v.indicator_id, v.period): v
            for v in IndicatorValue.objects.select_for_update().filter(
                indicator__partnership=partnership,
                period__in={row.period.code for row in rows})
        }
        now = timezone.now()
        for row in rows:
            wanted = _wanted(row)
            current = existing.get(row.key)
            if current is None:
                current = IndicatorValue(indicator_id=row.indicator.pk, period=row.period.code,
                                         **{"commentary": "", **wanted})
                result.created.append(row.label)
            elif any(getattr(current, name) != value for name, value in wanted.items()):
                for name, value in wanted.items():
                    setattr(current, name, value)
                result.updated.append(row.label)
            else:
                result.unchanged.append(row.label)
                continue
            current.reviewed_by = user
            current.reviewed_at = now
            current.review_note = REVIEW_NOTE
            current._history_user = user
            current._change_reason = reason
            current.save()
        if dry_run:
            transaction.set_rollback(True)
    return result
