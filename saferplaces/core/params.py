"""Query parameters, read in one place: parsed, bounds-checked and refused with a clear message.

Every function reads one parameter from a query (``request.GET``), returns its default when
the parameter is absent or empty, and raises ``ParameterError`` naming the parameter and what
it accepts when the value cannot be used. The rule for callers (docs/api.md):

- a JSON endpoint answers ``ParameterError`` with 400 and ``{"error": message}``;
- a page falls back to the default and shows the message (``or_default``).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Mapping, Sequence
from typing import TypeVar

from saferplaces.core.periods import (
    MONTH_HELP,
    Period,
    month_code,
    months_between,
    parse_month,
    parse_period,
)

T = TypeVar("T")

_WHOLE_NUMBER = re.compile(r"-?[0-9]+")

# The years a month parameter may name: wide enough for any published data, narrow enough
# that no period spans more months than the analytics can reasonably walk.
FIRST_YEAR, LAST_YEAR = 1990, 2100


class ParameterError(ValueError):
    """A query parameter whose value cannot be used; the message says which and why."""


def _text(query: Mapping[str, str], name: str) -> str:
    return (query.get(name) or "").strip()


def whole_number(query: Mapping[str, str], name: str, *, default: int, minimum: int,
                 maximum: int) -> int:
    """?name= as a whole number from minimum to maximum (inclusive)."""
    text = _text(query, name)
    if not text:
        return default
    bounds = f"{name} must be a whole number from {minimum} to {maximum}"
    if len(text) > len(str(maximum)) + 1 or not _WHOLE_NUMBER.fullmatch(text):
        raise ParameterError(f"{bounds}, not {_shown(text)}")
    value = int(text)
    if not minimum <= value <= maximum:
        raise ParameterError(f"{bounds}, not {value}")
    return value


def choice(query: Mapping[str, str], name: str, choices: Sequence[str], *,
           default: str) -> str:
    """?name= as one of choices (exactly as written)."""
    text = _text(query, name)
    if not text:
        return default
    if text not in choices:
        raise ParameterError(f"{name} must be one of {', '.join(choices)}, not {_shown(text)}")
    return text


def optional_choice(query: Mapping[str, str], name: str,
                    choices: Sequence[str]) -> str | None:
    """?name= as one of choices, or None when it is absent or empty (a filter not applied)."""
    text = _text(query, name)
    if not text:
        return None
    if text not in choices:
        raise ParameterError(f"{name} must be empty or one of the {len(choices)} known values, "
                             f"not {_shown(text)}")
    return text


def month(query: Mapping[str, str], name: str, *, default: datetime.date) -> datetime.date:
    """?name=YYYY-MM as the first day of that month, between FIRST_YEAR and LAST_YEAR."""
    text = _text(query, name)
    if not text:
        return default
    try:
        found = parse_month(text) if len(text) <= 7 else None
    except ValueError:
        found = None
    if found is None or not FIRST_YEAR <= found.year <= LAST_YEAR:
        raise ParameterError(f"{name} must be a month from {FIRST_YEAR}-01 to {LAST_YEAR}-12: "
                             f"{MONTH_HELP}; not {_shown(text)}")
    return found


def month_range(query: Mapping[str, str], *, default_start: datetime.date,
                default_end: datetime.date) -> tuple[datetime.date, datetime.date]:
    """(?from=, ?to=) as months, each defaulting on its own; the end may not precede the
    start."""
    start = month(query, "from", default=default_start)
    end = month(query, "to", default=default_end)
    if months_between(start, end) < 1:
        raise ParameterError(f"The period ends ({month_code(end)}) before it starts "
                             f"({month_code(start)}).")
    return start, end


def period(query: Mapping[str, str], name: str = "period") -> Period | None:
    """?name= as a reporting period (month, quarter or financial year), or None when absent."""
    text = _text(query, name)
    if not text:
        return None
    try:
        found = parse_period(text) if len(text) <= 12 else None
    except ValueError as exc:
        raise ParameterError(f"{name}: {exc}") from None
    if found is None or not FIRST_YEAR <= found.start.year <= LAST_YEAR:
        raise ParameterError(f"{name} must be a period from {FIRST_YEAR} to {LAST_YEAR}, "
                             f"not {_shown(text)}")
    return found


def or_default(request, fallback: T, read: Callable[..., T], *args, **kwargs) -> T:
    """read(request.GET, *args, **kwargs) for a page: on a bad parameter, the message is shown
    (Django messages) and fallback is used instead."""
    from django.contrib import messages

    try:
        return read(request.GET, *args, **kwargs)
    except ParameterError as exc:
        messages.error(request, str(exc))
        return fallback


def _shown(text: str) -> str:
    """The value as quoted in a message, cut short so a huge value does not flood it."""
    return repr(text if len(text) <= 40 else text[:40] + "…")
