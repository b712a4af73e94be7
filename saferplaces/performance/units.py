"""How an indicator's values and targets are written: the precision and form of each unit.
The one place pages, the board report, the CSV and XLSX downloads and charts take it from."""

from __future__ import annotations

from saferplaces.core.numbers import axis_format, format_number
from saferplaces.performance.models import Unit

# Decimal places a value of each unit is shown to. Counts and harm days are whole; a rate per
# 1,000 residents or a percentage to one decimal.
DECIMALS: dict[str, int] = {
    Unit.COUNT: 0,
    Unit.RATE: 1,
    Unit.PERCENT: 1,
    Unit.HARM: 0,
    Unit.SCORE: 1,
    Unit.POUNDS: 0,
}


def decimals(unit: str) -> int:
    """Decimal places a value in ``unit`` is shown to."""
    return DECIMALS[unit]


def format_value(value: float | None, unit: str, missing: str = "–") -> str:
    """A value or target as people read it: "1,234", "12.5", "12.5%", "£300"."""
    if value is None:
        return missing
    text = format_number(value, decimals=decimals(unit))
    if unit == Unit.PERCENT:
        return f"{text}%"
    if unit == Unit.POUNDS:
        return f"£{text}"
    return text


def rounded(value: float | None, unit: str) -> float | None:
    """The value rounded to the unit's precision (for downloads, which carry numbers)."""
    return None if value is None else round(value, decimals(unit))


def chart_format(unit: str) -> str:
    """The d3 format of a chart axis and tooltip for values in ``unit``."""
    return axis_format(decimals(unit))
