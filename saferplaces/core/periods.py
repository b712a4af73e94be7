"""Months and reporting periods: the one place they are read, written and counted.

- Months are first-of-month dates, written "YYYY-MM" (``parse_month``, ``month_code``,
  ``add_months``, ``months_between``, ``month_list``).
- Reporting periods are months, financial quarters, financial years and calendar years
  (``Period``, ``parse_period``, ``make_period``, ``period_containing``, ``previous_period``,
  ``same_period_last_year``, ``periods_covering``).
- Quarters are FINANCIAL: "2020-Q3" is October to December 2020, the third quarter of the
  2020/21 financial year, as UK public bodies report. Q4 is January to March of the next
  calendar year.
- An indicator's frequency ("monthly", "quarterly", "annual") reports by the period kind in
  ``FREQUENCY_KINDS``.

Pure functions: no database, no Django.
"""

from __future__ import annotations

import calendar
import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass

MONTH_HELP = "use YYYY-MM, e.g. 2020-09"

_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")
_QUARTER = re.compile(r"([0-9]{4})-Q([1-4])")
_YEAR = re.compile(r"([0-9]{4})")
_FINANCIAL_YEAR = re.compile(r"([0-9]{4})/([0-9]{2})")
_FINANCIAL_QUARTER = re.compile(r"([0-9]{4})/([0-9]{2}) ?Q([1-4])")

PERIOD_HELP = ("use 2020-09 (a month), 2020-Q3 or 2020/21 Q3 (the third quarter of the "
               "2020/21 financial year: Oct–Dec 2020), 2020/21 (a financial year: Apr 2020–"
               "Mar 2021) or 2020 (a calendar year)")

# How many months each kind of period covers.
PERIOD_MONTHS = {"month": 1, "financial_quarter": 3, "financial_year": 12, "year": 12}

# The kind of period each indicator frequency reports by.
FREQUENCY_KINDS = {"monthly": "month", "quarterly": "financial_quarter",
                   "annual": "financial_year"}

KIND_NAMES = {"month": "a month", "financial_quarter": "a financial quarter",
              "financial_year": "a financial year", "year": "a calendar year"}
KIND_EXAMPLES = {"month": "a month such as 2020-09",
                 "financial_quarter": "a financial quarter such as 2020-Q3",
                 "financial_year": "a financial year such as 2020/21",
                 "year": "a calendar year such as 2020"}


class PeriodError(ValueError):
    """Text that is not a month or period; the message says what to write instead."""


# ---------------------------------------------------------------------------------------------
# Months


def parse_month(text: str) -> datetime.date:
    """The first day of the month written as "YYYY-MM" (four-digit year, two-digit month).

    "2020-1", "2020-13" and "20-01" are refused with a PeriodError.
    """
    match = _MONTH.fullmatch(text.strip())
    if match is None:
        raise PeriodError(f"{text!r} is not a month: {MONTH_HELP}")
    year, month = int(match[1]), int(match[2])
    if not 1 <= month <= 12:
        raise PeriodError(f"{text!r} has no month {month}: months run from 01 to 12")
    return datetime.date(year, month, 1)


def month_code(day: datetime.date) -> str:
    """"YYYY-MM" for the month containing ``day``."""
    return f"{day.year:04d}-{day.month:02d}"


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The first of the month ``months`` (which may be negative) after ``day``'s month."""
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def months_between(start: datetime.date, end: datetime.date) -> int:
    """How many months from ``start``'s month to ``end``'s, both included (0 if end < start)."""
    return max(0, (end.year - start.year) * 12 + end.month - start.month + 1)


def month_list(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """Every month from ``start``'s to ``end``'s, both included, as first-of-month dates."""
    first = start.replace(day=1)
    return [add_months(first, n) for n in range(months_between(start, end))]


# ---------------------------------------------------------------------------------------------
# Reporting periods


@dataclass(frozen=True)
class Period:
    """A reporting period from ``start`` to ``end``, both inclusive.

    ``kind`` is "month", "financial_quarter", "financial_year" or "year" (calendar). ``code``
    is the canonical text ("2020-Q3"), which ``parse_period`` reads back; ``label`` is for pages
    ("Oct–Dec 2020 (2020/21 Q3)").
    """

    kind: str
    start: datetime.date
    end: datetime.date
    code: str
    label: str


def parse_period(text: str) -> Period:
    """Read a period written as one of:

    - "2020-09": the month of September 2020;
    - "2020-Q3" or "2020/21 Q3": the third FINANCIAL quarter of the 2020/21 financial year,
      October–December 2020 (Q1 is April–June; Q4 is January–March of the next calendar
      year), so "YYYY-Qn" names the financial year that starts in April YYYY;
    - "2020/21": the financial year April 2020 to March 2021;
    - "2020": the calendar year 2020.

    Case and surrounding spaces are ignored. Raises PeriodError for anything else.
    """
    cleaned = text.strip().upper()
    if _MONTH.fullmatch(cleaned):
        return make_period("month", parse_month(cleaned))
    if match := _QUARTER.fullmatch(cleaned):
        return _financial_quarter(int(match[1]), int(match[2]))
    if match := _YEAR.fullmatch(cleaned):
        return make_period("year", datetime.date(int(match[1]), 1, 1))
    if match := _FINANCIAL_YEAR.fullmatch(cleaned):
        year = _financial_year_start(text, match[1], match[2])
        return make_period("financial_year", datetime.date(year, 4, 1))
    if match := _FINANCIAL_QUARTER.fullmatch(cleaned):
        year = _financial_year_start(text, match[1], match[2])
        return _financial_quarter(year, int(match[3]))
    raise PeriodError(f"Unrecognised period {text!r}: {PERIOD_HELP}")


def _financial_quarter(financial_year: int, quarter: int) -> Period:
    april = datetime.date(financial_year, 4, 1)
    return make_period("financial_quarter", add_months(april, 3 * (quarter - 1)))


def _financial_year_start(text: str, first: str, second: str) -> int:
    year = int(first)
    if int(second) != (year + 1) % 100:
        raise PeriodError(f"{text!r} is not a financial year: the second year must follow the "
                          f"first, as in {year}/{(year + 1) % 100:02d}")
    return year


def period_label(text: str) -> str:
    """The page label for a period written as ``parse_period`` reads it."""
    return parse_period(text).label


def make_period(kind: str, start: datetime.date) -> Period:
    """The period of ``kind`` that starts on ``start`` (the first day of a month)."""
    end = add_months(start, PERIOD_MONTHS[kind]) - datetime.timedelta(days=1)
    if kind == "month":
        return Period(kind, start, end, month_code(start),
                      f"{calendar.month_name[start.month]} {start.year}")
    if kind == "year":
        return Period(kind, start, end, str(start.year), str(start.year))
    financial_year = _financial_year_of(start)
    year_code = f"{financial_year}/{(financial_year + 1) % 100:02d}"
    months = _month_span(start, end)
    if kind == "financial_year":
        return Period(kind, start, end, year_code, f"{months} ({year_code})")
    quarter = (start.month - 4) % 12 // 3 + 1
    return Period(kind, start, end, f"{financial_year}-Q{quarter}",
                  f"{months} ({year_code} Q{quarter})")


def _financial_year_of(day: datetime.date) -> int:
    """The calendar year in which the financial year holding ``day`` starts (April)."""
    return day.year if day.month >= 4 else day.year - 1


def _month_span(start: datetime.date, end: datetime.date) -> str:
    first, last = calendar.month_abbr[start.month], calendar.month_abbr[end.month]
    if start.year == end.year:
        return f"{first}–{last} {end.year}"
    return f"{first} {start.year}–{last} {end.year}"


def period_containing(kind: str, day: datetime.date) -> Period:
    """The period of ``kind`` that ``day`` falls in."""
    if kind == "month":
        return make_period(kind, day.replace(day=1))
    if kind == "year":
        return make_period(kind, datetime.date(day.year, 1, 1))
    if kind == "financial_quarter":
        return make_period(kind, datetime.date(day.year, (day.month - 1) // 3 * 3 + 1, 1))
    return make_period(kind, datetime.date(_financial_year_of(day), 4, 1))


def previous_period(period: Period) -> Period:
    """The period of the same kind and length immediately before ``period``."""
    return make_period(period.kind, add_months(period.start, -PERIOD_MONTHS[period.kind]))


def same_period_last_year(period: Period) -> Period:
    """The period of the same kind one year earlier (for years, the previous one)."""
    return make_period(period.kind, add_months(period.start, -12))


def latest_complete(kind: str, day: datetime.date) -> Period:
    """The latest period of ``kind`` that has ended on or before ``day``."""
    period = period_containing(kind, day)
    return period if period.end <= day else previous_period(period)


def periods_covering(first: datetime.date, last: datetime.date, kind: str) -> list[Period]:
    """The complete periods of ``kind`` whose months all lie within first..last (months)."""
    found = []
    period = period_containing(kind, first)
    if period.start < first.replace(day=1):
        period = make_period(kind, add_months(period.start, PERIOD_MONTHS[kind]))
    while add_months(period.start, PERIOD_MONTHS[kind] - 1) <= last:
        found.append(period)
        period = make_period(kind, add_months(period.start, PERIOD_MONTHS[kind]))
    return found


def simulated_months_sentence(simulated: Iterable[datetime.date], start: datetime.date,
                              end: datetime.date) -> str:
    """How many of the months from ``start`` to ``end`` (first days of months, inclusive) are
    among ``simulated``: "all 12 months shown are simulated", "3 of the 12 months shown are
    simulated", "the 1 month shown is simulated"; "" when none is."""
    shown = months_between(start, end)
    count = len({month for month in simulated if start <= month <= end})
    if count == 0:
        return ""
    if shown == 1:
        return "the 1 month shown is simulated"
    if count == shown:
        return f"all {shown} months shown are simulated"
    verb = "is" if count == 1 else "are"
    return f"{count} of the {shown} months shown {verb} simulated"
