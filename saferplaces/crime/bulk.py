"""Writing a pyarrow table into a model's database table, fast, inside the caller's
transaction: COPY on PostgreSQL, many rows per INSERT on SQLite.

Callers validate first; these functions only write. Both paths take the rows as they are
(columns named as the model's columns), so both backends store exactly the same values.
"""

from __future__ import annotations

import io
import itertools
from typing import TYPE_CHECKING

from django.db import connection

if TYPE_CHECKING:
    import pyarrow as pa

INSERT_PARAMETERS = 30000  # under SQLite's 32,766 bound parameters


def insert_table(model, table: pa.Table) -> None:
    """Insert every row of `table` into `model`'s table."""
    if table.num_rows == 0:
        return
    connection.ensure_connection()
    if connection.vendor == "postgresql":
        _copy(model, table)
    else:
        _insert_many(model, {c: table[c].to_pylist() for c in table.column_names})


def insert_columns(model, columns: dict[str, list]) -> None:
    """Insert rows given as Python lists, one per column (named as the model's columns), as
    `insert_table` does: for a small file read without pyarrow."""
    if not columns or not next(iter(columns.values())):
        return
    connection.ensure_connection()
    if connection.vendor == "postgresql":
        _copy_rows(model, columns)
    else:
        _insert_many(model, columns)


def _copy_rows(model, columns: dict[str, list]) -> None:
    """PostgreSQL COPY FROM STDIN, psycopg writing each row (None is NULL)."""
    name = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.connection.cursor() as cursor:
        with cursor.copy(f"COPY {name} ({names}) FROM STDIN") as copy:
            for row in zip(*columns.values(), strict=True):
                copy.write_row(row)


def _copy(model, table: pa.Table) -> None:
    """PostgreSQL COPY FROM STDIN in CSV form, written by pyarrow's CSV writer: nulls as empty
    fields (NULL to COPY), empty strings as "" (empty text to COPY)."""
    import pyarrow.csv as pv

    name = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in table.column_names)
    buffer = io.BytesIO()
    pv.write_csv(table, buffer, pv.WriteOptions(include_header=False, quoting_style="needed"))
    with connection.connection.cursor() as cursor:
        with cursor.copy(f"COPY {name} ({names}) FROM STDIN WITH (FORMAT csv)") as copy:
            copy.write(buffer.getbuffer())


def _insert_many(model, by_column: dict[str, list]) -> None:
    """Many rows per INSERT on the driver's own cursor: on SQLite about twice as fast as
    executemany, and the driver's `?` placeholders spare Django's SQLite wrapper rewriting
    every %s with a regular expression."""
    name = connection.ops.quote_name(model._meta.db_table)
    columns = list(by_column)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    row_marks = "(" + ", ".join(["?"] * len(columns)) + ")"
    per_statement = max(1, INSERT_PARAMETERS // len(columns))
    values = list(by_column.values())
    total = len(values[0])

    def statement(rows: int) -> str:
        return f"INSERT INTO {name} ({names}) VALUES " + ", ".join([row_marks] * rows)

    full = statement(per_statement)
    cursor = connection.connection.cursor()
    try:
        for start in range(0, total, per_statement):
            chunk = zip(*(v[start:start + per_statement] for v in values), strict=True)
            params = list(itertools.chain.from_iterable(chunk))
            rows = len(params) // len(columns)
            cursor.execute(full if rows == per_statement else statement(rows), params)
    finally:
        cursor.close()
