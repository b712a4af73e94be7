"""Importing indicator values from CSV: the database side. Parsing and validation live in
``value_csv`` (no ORM); this module builds its lookups and writes in one transaction.

Values imported here are recorded as **approved**: the import is run by an administrator
(someone with shell access to the installation), so it is the approval. ``reviewed_by`` is the
login given to the command (if any) and ``reviewed_at`` the time of the import.

Peer data (``import_peers``) goes to a peer group's members' ``PeerValue`` rows, and links each
indicator named in the file to the group when it compares with none yet.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from saferplaces.core.csv_records import LineError
from saferplaces.core.imports import ImportResult
from saferplaces.performance import value_csv
from saferplaces.performance.models import (
    Indicator,
    IndicatorValue,
    PeerGroup,
    PeerGroupMember,
    PeerValue,
    ValueStatus,
)

CHANGE_REASON = "Imported from a CSV file"
REVIEW_NOTE = "Approved on import by an administrator (saferplaces indicators import-values)."


def lookups_for(partnership) -> value_csv.Lookups:
    """The indicators a values file for this partnership may name, by lower-case code."""
    indicators = {
        indicator.code.lower(): value_csv.IndicatorInfo(
            indicator.pk, indicator.code, indicator.frequency, indicator.source,
            indicator.peer_group.name if indicator.peer_group else None)
        for indicator in Indicator.objects.filter(partnership=partnership)
        .select_related("peer_group")
    }
    return value_csv.Lookups(indicators)


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
                  source_name: str = "", file: str = "") -> ImportResult:
    """Create or update the partnership's indicator values from CSV bytes, all or nothing.

    Every row is validated first; if any is bad nothing is written and every bad row is
    returned. Rows are keyed by (indicator, period): a new key creates an approved value, an
    existing one is updated and becomes approved (replacing a value awaiting approval or
    returned). Rows identical to the database write nothing (no history row). With
    ``dry_run`` the writes are rolled back.
    """
    result = ImportResult(file=file, noun="value", dry_run=dry_run)
    rows, errors = value_csv.parse_values(data, lookups_for(partnership), file)
    if errors:
        return result.refuse(errors)
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
            # The import approves: one that approves the importer's own submission is marked.
            current.self_approved = user is not None and current.submitted_by_id == user.pk
            current.reviewed_at = now
            current.review_note = REVIEW_NOTE
            current._history_user = user
            current._change_reason = reason
            current.save()
        if dry_run:
            transaction.set_rollback(True)
    return result


def _peer_summary(result: ImportResult) -> str:
    verb = "would be" if result.dry_run else "were"
    counts = result.counts
    return (f"{counts['groups created']} group(s) {verb} created, "
            f"{counts['members created']} member(s) created, "
            f"{counts['members renamed']} renamed; "
            f"{len(result.created)} value(s) created, {len(result.updated)} updated, "
            f"{len(result.unchanged)} unchanged; "
            f"{counts['indicators linked']} indicator(s) linked to the group.")


def import_peers(partnership, data: bytes, group_name: str, description: str | None = None,
                 dry_run: bool = False, source_name: str = "", file: str = "") -> ImportResult:
    """Load a peer group's figures from CSV bytes, all or nothing.

    Every row is validated first (``value_csv.parse_peers``); if any is bad nothing is written
    and every bad row is returned. Otherwise, in one transaction: the partnership's peer group
    called ``group_name`` is fetched or created (its description set when ``description`` is
    given), a member is fetched or created for each area code (renamed if the file names it
    differently), peer values are created or updated by (indicator, member, period) with
    unchanged rows writing nothing, and each indicator in the file that compares with no group
    is linked to this one. With ``dry_run`` the writes are rolled back.
    """
    result = ImportResult(file=file, noun="peer value", dry_run=dry_run)
    rows, errors = value_csv.parse_peers(data, lookups_for(partnership), group_name, file)
    if errors:
        return result.refuse(errors)
    members_created: list[str] = []
    members_renamed: list[str] = []
    linked: list[str] = []
    reason = f"{CHANGE_REASON} ({source_name})" if source_name else CHANGE_REASON
    with transaction.atomic():
        indicators = {i.pk: i for i in Indicator.objects.select_for_update().filter(
            pk__in={row.indicator.pk for row in rows})}
        group = PeerGroup.objects.select_for_update().filter(
            partnership=partnership, name=group_name).first()
        group_created = group is None
        if group_created:
            group = PeerGroup(partnership=partnership, name=group_name,
                              description=description or "")
        if group_created or (description is not None and group.description != description):
            if description is not None:
                group.description = description
            group._change_reason = reason
            group.save()  # an existing, unchanged group is not saved: no history row

        # Someone may have linked an indicator to another group since the file was checked.
        taken = {pk: i.peer_group.name for pk, i in indicators.items()
                 if i.peer_group_id is not None and i.peer_group_id != group.pk}
        if taken:
            result.refuse([
                LineError(file, row.line, "indicator",
                          f"indicator {row.indicator.code} already compares with group "
                          f"'{taken[row.indicator.pk]}'")
                for row in rows if row.indicator.pk in taken])
            transaction.set_rollback(True)
            return result

        members = {m.code: m for m in PeerGroupMember.objects.select_for_update()
                   .filter(group=group)}
        for row in rows:
            member = members.get(row.area_code)
            if member is None:
                member = PeerGroupMember.objects.create(group=group, code=row.area_code,
                                                        name=row.area_name)
                members[row.area_code] = member
                members_created.append(row.area_code)
            elif member.name != row.area_name:
                member.name = row.area_name
                member.save(update_fields=["name"])
                members_renamed.append(row.area_code)

        existing = {
            (v.indicator_id, v.member_id, v.period): v
            for v in PeerValue.objects.select_for_update().filter(
                member__group=group, indicator_id__in=indicators)
        }
        for row in rows:
            member = members[row.area_code]
            current = existing.get((row.indicator.pk, member.pk, row.period.code))
            if current is None:
                PeerValue.objects.create(indicator_id=row.indicator.pk, member=member,
                                         period=row.period.code, count=row.count,
                                         population=row.population)
                result.created.append(row.label)
            elif (current.count, current.population) != (row.count, row.population):
                current.count, current.population = row.count, row.population
                current.save(update_fields=["count", "population"])
                result.updated.append(row.label)
            else:
                result.unchanged.append(row.label)

        for indicator in sorted(indicators.values(), key=lambda i: i.code):
            if indicator.peer_group_id is None:
                indicator.peer_group = group
                indicator._change_reason = f"Linked to peer group '{group.name}' ({reason})"
                indicator.save()
                linked.append(indicator.code)
        if dry_run:
            transaction.set_rollback(True)
    result.counts = {"groups created": int(group_created),
                     "members created": len(members_created),
                     "members renamed": len(members_renamed), "indicators linked": len(linked)}
    result.description = _peer_summary(result)
    return result
