"""Writing tabular results as an aligned table, CSV or JSON (shared by crime subcommands)."""

from __future__ import annotations

import json

from saferplaces.core.csv_output import csv_text


def render(columns: list[str], rows: list[list], fmt: str, meta: dict | None = None,
           notes: list[str] | None = None) -> str:
    """`rows` of plain values under `columns`; meta and notes go in JSON, or after a table."""
    if fmt == "json":
        records = [dict(zip(columns, row, strict=True)) for row in rows]
        return json.dumps({**(meta or {}), "rows": records, "notes": notes or []},
                          indent=2, default=str)
    if fmt == "csv":
        return csv_text(columns, rows).rstrip("\n")
    text_rows = [[_cell(v) for v in row] for row in rows]
    widths = [max(len(c), *(len(r[i]) for r in text_rows)) if text_rows else len(c)
              for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)),
             "  ".join("-" * w for w in widths)]
    for row in text_rows:
        lines.append("  ".join(
            v.rjust(w) if _numeric(v) else v.ljust(w)
            for v, w in zip(row, widths, strict=True)))
    for key, value in (meta or {}).items():
        if value not in (None, "", []):
            lines.append(f"{key}: {value}")
    lines.extend(notes or [])
    return "\n".join(lines)


def _cell(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _numeric(text: str) -> bool:
    return text.replace(",", "").replace(".", "").replace("-", "").isdigit()
