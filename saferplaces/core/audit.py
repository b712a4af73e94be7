"""Reading the audit trail kept by django-simple-history into plain rows for templates."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

_KIND = {"+": "Created", "~": "Changed", "-": "Deleted"}


@dataclass
class AuditEntry:
    when: datetime
    who: str
    kind: str
    reason: str
    changes: list[tuple[str, str, str]] = field(default_factory=list)


def _field_label(model, name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name).capitalize()
    except Exception:  # a field that no longer exists
        return name


def _show(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, date):
        return value.strftime("%d %b %Y")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "—"
    return str(value)


def _m2m_show(model, name: str, rows) -> str:
    """Names of the related objects recorded in an m2m history delta."""
    related = model._meta.get_field(name).related_model
    target = related._meta.model_name
    ids = [row.get(target) for row in rows or []]
    objects = related._default_manager.in_bulk([i for i in ids if i is not None])
    return ", ".join(str(objects.get(i, f"#{i}")) for i in ids) or "—"


def history_of(obj, limit: int = 50) -> list[AuditEntry]:
    """Newest-first audit entries for a model instance with `history = HistoricalRecords()`."""
    model = type(obj)
    records = list(obj.history.select_related("history_user").order_by("-history_date",
                                                                         "-history_id")[:limit + 1])
    entries = []
    for index, record in enumerate(records[:limit]):
        who = record.history_user.get_username() if record.history_user else "system"
        entry = AuditEntry(
            when=record.history_date,
            who=who,
            kind=_KIND.get(record.history_type, record.history_type),
            reason=record.history_change_reason or "",
        )
        older = records[index + 1] if index + 1 < len(records) else None
        if older is not None and record.history_type == "~":
            delta = record.diff_against(older)
            for change in delta.changes:
                label = _field_label(model, change.field)
                if isinstance(change.new, list) or isinstance(change.old, list):
                    old = _m2m_show(model, change.field, change.old)
                    new = _m2m_show(model, change.field, change.new)
                else:
                    old, new = _show(_fk_name(model, change.field, change.old)), _show(
                        _fk_name(model, change.field, change.new))
                entry.changes.append((label, old, new))
            if not entry.changes and not entry.reason:
                continue
        entries.append(entry)
    return entries


def _fk_name(model, name: str, value):
    try:
        field = model._meta.get_field(name)
    except Exception:
        return value
    if field.is_relation and field.many_to_one and value is not None:
        found = field.related_model._default_manager.filter(pk=value).first()
        return str(found) if found else f"#{value} (deleted)"
    if field.choices and value is not None:
        return dict(field.flatchoices).get(value, value)
    return value
