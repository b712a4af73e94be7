"""Harm weight tables in the database: load, import, choose the default, read weights.

The pure work (deriving CCHI weights, validating weight files, harm totals) is in
``saferplaces.crime.harm``; this module only writes and reads ``HarmWeightTable`` and
``HarmWeight``. Every write is one transaction.

Other code usually needs just two calls::

    from saferplaces.crime.harm_store import default_weights, ensure_default_cchi_table
    ensure_default_cchi_table()          # e.g. in the demo loader; idempotent
    weights = default_weights()          # {"Robbery": 365.0, ...}; {} if no default table
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction

from saferplaces.core.imports import ImportResult
from saferplaces.crime import harm
from saferplaces.crime.models import HarmWeight, HarmWeightTable


class UnknownTable(LookupError):
    """No harm weight table has that name."""

    def __init__(self, name: str):
        known = ", ".join(HarmWeightTable.objects.values_list("name", flat=True)) or "none"
        super().__init__(f"no harm weight table called {name!r} (tables: {known})")
        self.name = name


def default_table() -> HarmWeightTable | None:
    """The table marked as default for harm measures, if any."""
    return HarmWeightTable.objects.filter(is_default=True).order_by("pk").first()


def table_weights(table: HarmWeightTable | str) -> dict[str, float]:
    """A table's weights as {crime type: weight}; ``table`` may be a table or its name."""
    if isinstance(table, str):
        found = HarmWeightTable.objects.filter(name=table).first()
        if found is None:
            raise UnknownTable(table)
        table = found
    return dict(table.weights.values_list("crime_type", "weight"))


def default_weights() -> dict[str, float]:
    """The default table's weights as {crime type: weight}; empty if no table is default.

    Feed the result to ``harm.harm_total`` with counts per crime type.
    """
    table = default_table()
    return table_weights(table) if table is not None else {}


@transaction.atomic
def set_default(name: str) -> HarmWeightTable:
    """Make the named table the default, and every other table not the default."""
    table = HarmWeightTable.objects.select_for_update().filter(name=name).first()
    if table is None:
        raise UnknownTable(name)
    HarmWeightTable.objects.exclude(pk=table.pk).filter(is_default=True).update(is_default=False)
    if not table.is_default:
        table.is_default = True
        table.save(update_fields=["is_default"])
    return table


@dataclass(frozen=True)
class SaveResult:
    table: HarmWeightTable
    created: bool  # a new table
    changed: bool  # anything written at all


@transaction.atomic
def save_table(name: str, rows: Iterable[harm.WeightRow], *, description: str | None = None,
               citation: str | None = None, unit: str | None = None,
               make_default: bool = False) -> SaveResult:
    """Create the named table, or replace its weights whole; write nothing if nothing differs.

    ``description``, ``citation`` and ``unit`` left as None keep an existing table's values
    (a new table gets the model defaults).
    """
    rows = list(rows)
    seen: set[str] = set()
    for row in rows:
        if harm.canonical_crime_type(row.crime_type) != row.crime_type:
            raise ValueError(f"{row.crime_type!r} is not a police.uk crime type")
        if row.crime_type in seen:
            raise ValueError(f"{row.crime_type!r} given twice")
        seen.add(row.crime_type)

    table = HarmWeightTable.objects.select_for_update().filter(name=name).first()
    created = table is None
    if created:
        table = HarmWeightTable(name=name)
    fields = {"description": description, "citation": citation, "unit": unit}
    changed_fields = [f for f, v in fields.items() if v is not None and getattr(table, f) != v]
    for f in changed_fields:
        setattr(table, f, fields[f])

    wanted = {(r.crime_type, float(r.weight), r.note) for r in rows}
    stored = set() if created else set(table.weights.values_list("crime_type", "weight", "note"))
    weights_changed = created or wanted != stored
    if created or changed_fields or weights_changed:
        table.save()  # also stamps "loaded"
    if weights_changed:
        table.weights.all().delete()
        HarmWeight.objects.bulk_create(
            HarmWeight(table=table, crime_type=r.crime_type, weight=float(r.weight), note=r.note)
            for r in rows)
    default_changed = make_default and not table.is_default
    if make_default:
        set_default(name)
        table.refresh_from_db()
    return SaveResult(table=table, created=created,
                      changed=bool(created or changed_fields or weights_changed
                                   or default_changed))


def load_cchi_table(name: str = harm.CCHI_2020_TABLE_NAME, make_default: bool = False,
                    derivation: harm.Derivation | None = None
                    ) -> tuple[SaveResult, harm.Derivation]:
    """Derive the CCHI 2020 weights from the bundled workbook and store them as ``name``."""
    derivation = derivation or harm.bundled_cchi2020()
    result = save_table(name, derivation.rows, description=harm.CCHI_2020_DESCRIPTION,
                        citation=harm.CCHI_2020_CITATION, unit=harm.CCHI_2020_UNIT,
                        make_default=make_default)
    return result, derivation


@transaction.atomic
def ensure_default_cchi_table() -> HarmWeightTable:
    """Make sure the CCHI 2020 table exists and is current; default it if nothing else is.

    Idempotent: a second call writes nothing. A default chosen by someone else (for example
    an imported ONS table) is left alone.
    """
    nothing_default = not HarmWeightTable.objects.filter(is_default=True).exists()
    result, _ = load_cchi_table(make_default=nothing_default)
    return result.table


def import_table(data: bytes, name: str, *, unit: str | None = None,
                 citation: str | None = None, description: str | None = None,
                 make_default: bool = False, dry_run: bool = False, file: str = ""
                 ) -> ImportResult:
    """Validate a ``crime_type,weight[,note]`` file and store it as ``name`` (all or nothing).

    The result's ``errors`` say what was refused, by line; its ``warnings`` name crime types
    the file gives no weight; ``created`` lists the crime types of a new table, ``updated``
    those of a replaced one and ``unchanged`` those of a table already holding these weights.
    """
    result = ImportResult(file=file, noun="weight", dry_run=dry_run)
    parsed = harm.parse_weights_csv(data, file)
    if parsed.errors:
        return result.refuse(parsed.errors)
    result.warnings = parsed.warnings
    count = len(parsed.rows)
    if dry_run:
        result.description = f"{count} weight(s) valid (dry run: nothing written)."
        return result
    saved = save_table(name, parsed.rows, description=description, citation=citation,
                       unit=unit, make_default=make_default)
    types = [row.crime_type for row in parsed.rows]
    if saved.created:
        state, result.created = "created", types
    elif saved.changed:
        state, result.updated = "updated", types
    else:
        state, result.unchanged = "unchanged", types
    suffix = "; it is the default table" if saved.table.is_default else ""
    result.description = f"table {name!r} {state} with {count} weight(s){suffix}."
    return result
