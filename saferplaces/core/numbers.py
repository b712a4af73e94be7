"""Numbers as people read them in sentences, reports and command output."""

from __future__ import annotations

from decimal import Decimal


def format_number(value: float | None, missing: str = "–", decimals: int | None = None) -> str:
    """1,234 for a whole number, 0.125 (three significant figures) below 1, otherwise at most
    two decimals without trailing zeros (12.5, 1,234.57); ``missing`` for None.

    With ``decimals`` the value is rounded to exactly that many places, with thousands
    separators: format_number(161.5, decimals=0) is "162", format_number(7, decimals=1) "7.0".
    """
    if value is None:
        return missing
    if decimals is not None:
        return f"{value:,.{decimals}f}"
    if float(value).is_integer():
        return f"{int(value):,}"
    if abs(value) < 1:
        return f"{value:.3g}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def format_money(value: Decimal | None, missing: str = "–") -> str:
    """Pounds and pence with thousands separators, exactly: £150,000.00, -£12.50."""
    if value is None:
        return missing
    sign = "-" if value < 0 else ""
    return f"{sign}£{abs(Decimal(value)):,.2f}"


def format_p_value(value: float | None, missing: str = "–") -> str:
    """A p-value for people to read: four decimals (0.0123, 1.0000); one too small to show
    there is "<0.0001", never a bare 0."""
    if value is None:
        return missing
    return "<0.0001" if value < 0.00005 else f"{value:.4f}"


def axis_format(decimals: int = 0) -> str:
    """The d3 format string for a chart axis or tooltip showing numbers as ``format_number``
    does with ``decimals``: thousands separators and a fixed number of places."""
    return f",.{decimals}f"
