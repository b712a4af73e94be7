"""The scorecard as a download: one row per indicator and priority, as CSV and XLSX, with the
columns a Pentana user expects. Values and targets are rounded to the indicator's unit."""

from __future__ import annotations

import io
from decimal import Decimal

from saferplaces.core.csv_output import csv_text, xlsx_text_stays_text
from saferplaces.performance import units
from saferplaces.performance.scorecard import IndicatorRow, Scorecard

COLUMNS = ("Priority", "Code", "Indicator", "Kind", "Unit", "Period", "Value", "Target", "RAG",
           "Direction", "Change on previous period", "Change on last year", "Significance",
           "Peer position")


def rows(card: Scorecard) -> list[list]:
    """One list of cells per indicator under each priority it evidences (an indicator under two
    priorities appears twice); values and targets as numbers rounded to the unit."""
    return [_cells(group.title, row) for group in card.groups for row in group.rows]


def _cells(priority: str, row: IndicatorRow) -> list:
    indicator = row.indicator
    return [
        priority, indicator.code, indicator.name, indicator.get_kind_display(),
        indicator.get_unit_display(), row.period.label,
        units.rounded(row.value_number, indicator.unit),
        units.rounded(row.target, indicator.unit),
        row.rag.label, indicator.get_polarity_display(),
        row.travel.short_term.label, row.travel.long_term.label,
        row.significance.label if row.significance else "",
        row.peer.label if row.peer else row.peer_note,
    ]


def _text(value: object, unit: str) -> object:
    """A number to the unit's decimals (161.5 as a count is 162), kept a number so the CSV
    writer does not take -3.5 for a formula; text unchanged."""
    if isinstance(value, float):
        return Decimal(f"{value:.{units.decimals(unit)}f}")
    return value


def to_csv(card: Scorecard) -> str:
    """The scorecard as CSV text, values and targets written to their unit's decimals."""
    return csv_text(COLUMNS, ([_text(cell, row.indicator.unit) for cell in _cells(group.title, row)]
                              for group in card.groups for row in group.rows))


def to_xlsx(card: Scorecard) -> bytes:
    """The scorecard as an Excel workbook: one sheet, a bold frozen header, numbers as numbers
    shown to the unit's precision with thousands separators."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = f"Scorecard {card.period.code}"
    sheet.append(COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    value_columns = (COLUMNS.index("Value"), COLUMNS.index("Target"))
    for group in card.groups:
        for row in group.rows:
            sheet.append(_cells(group.title, row))
            xlsx_text_stays_text(sheet[sheet.max_row])
            places = units.decimals(row.indicator.unit)
            number_format = "#,##0" + ("." + "0" * places if places else "")
            for index in value_columns:
                sheet.cell(row=sheet.max_row, column=index + 1).number_format = number_format
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
