"""Whether the regulation 12 public meeting duty was met in each financial year: pure
functions over plain facts (no ORM).

A year's duty is met when at least one public meeting that year was publicised beforehand, had
its summary published, and was attended by senior representatives of every responsible
authority. Otherwise the year says what is missing, from its most complete meeting.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from saferplaces.core.periods import Period, period_containing


@dataclass(frozen=True)
class MeetingFacts:
    held_on: datetime.date
    title: str
    notice_published: bool
    summary_published: bool
    attended: frozenset[str]  # names of the responsible authorities represented


@dataclass(frozen=True)
class YearDuty:
    year: Period
    met: bool
    missing: list[str]
    meetings: list[MeetingFacts]


def missing_from(meeting: MeetingFacts, authorities: list[str]) -> list[str]:
    missing = []
    if not meeting.notice_published:
        missing.append(f"{meeting.title}: no notice published")
    if not meeting.summary_published:
        missing.append(f"{meeting.title}: no summary published")
    absent = [name for name in authorities if name not in meeting.attended]
    if absent:
        missing.append(f"{meeting.title}: no senior representative of {', '.join(absent)}")
    return missing


def duty_by_year(meetings: Iterable[MeetingFacts], authorities: list[str],
                 first: datetime.date, last: datetime.date) -> list[YearDuty]:
    """The duty in each financial year from the one holding `first` to the one holding
    `last`, latest first."""
    meetings = list(meetings)
    years = []
    year = period_containing("financial_year", first)
    while year.start <= last:
        years.append(year)
        year = period_containing("financial_year", year.end + datetime.timedelta(days=1))
    duties = []
    for year in reversed(years):
        held = sorted((m for m in meetings if year.start <= m.held_on <= year.end),
                      key=lambda m: m.held_on)
        if not held:
            duties.append(YearDuty(year, False, ["No public meeting held"], []))
            continue
        gaps = min((missing_from(m, authorities) for m in held), key=len)
        duties.append(YearDuty(year, not gaps, gaps, held))
    return duties
