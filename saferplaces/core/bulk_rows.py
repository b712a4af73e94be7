"""Writing many rows of plain values into a model's table without a model object per row,
inside the caller's transaction: for imports of tens of thousands of rows, where building and
saving Django objects one by one (or through ``bulk_create``) takes most of the time.

Callers validate first; these functions only write. Values are Python values as a model field
holds them (ids for foreign keys); dates and times are adapted for the database here. Works on
SQLite and PostgreSQL alike (``executemany`` through Django's cursor).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence

from django.db import connection, models

#: Values per statement: under SQLite's 32,766 (and PostgreSQL's 65,535) parameters.
PARAMETERS = 30_000


def _adapter(field: models.Field) -> Callable[[object], object] | None:
    """How a date or time reaches the database (imports repeat the same few, so each is
    adapted once); other values go as they are."""
    if isinstance(field, models.DateTimeField):
        return functools.lru_cache(maxsize=4096)(connection.ops.adapt_datetimefield_value)
    if isinstance(field, models.DateField):
        return functools.lru_cache(maxsize=4096)(connection.ops.adapt_datefield_value)
    return None


def _adapted(model: type[models.Model], columns: Sequence[str],
             rows: Iterable[Sequence[object]]) -> list[Sequence[object]]:
    fields = {field.attname: field for field in model._meta.concrete_fields}
    adapters = [_adapter(fields[column]) for column in columns]
    if not any(adapters):
        return rows if isinstance(rows, list) else list(rows)
    return [tuple(value if adapt is None or value is None else adapt(value)
                  for adapt, value in zip(adapters, row, strict=True)) for row in rows]


def insert_rows(model: type[models.Model], columns: Sequence[str],
                rows: Iterable[Sequence[object]]) -> None:
    """INSERT each row (values in the order of ``columns``, the fields' attnames), many rows
    per statement: about twice as fast as one statement per row on SQLite."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    row_marks = "(" + ", ".join(["%s"] * len(columns)) + ")"
    values = _adapted(model, columns, rows)
    per_statement = max(1, PARAMETERS // len(columns))
    with connection.cursor() as cursor:
        for start in range(0, len(values), per_statement):
            batch = values[start:start + per_statement]
            cursor.execute(f"INSERT INTO {quote(model._meta.db_table)} ({names}) VALUES "
                           + ", ".join([row_marks] * len(batch)),
                           [value for row in batch for value in row])


def update_rows(model: type[models.Model], columns: Sequence[str],
                rows: Iterable[Sequence[object]]) -> None:
    """UPDATE ``columns`` of each row; each row is the values in that order, then the pk."""
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(column)} = %s" for column in columns)
    pk = quote(model._meta.pk.column)
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {quote(model._meta.db_table)} SET {assignments} "
                           f"WHERE {pk} = %s",
                           _adapted(model, [*columns, model._meta.pk.attname], rows))
