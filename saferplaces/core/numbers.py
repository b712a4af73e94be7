"""Numbers as people read them in sentences, reports and command output."""

from __future__ import annotations


def format_number(value: float | None, missing: str = "–") -> str:
    """1,234 for a whole number, 0.125 (three significant figures) below 1, otherwise at most
    two decimals without trailing zeros (12.5, 1,234.57); ``missing`` for None."""
    if value is None:
        return missing
    if float(value).is_integer():
        return f"{int(value):,}"
    if abs(value) < 1:
        return f"{value:.3g}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")
