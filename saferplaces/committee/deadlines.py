"""When a report's papers are due: a number of working days before the meeting.

Working days are Monday to Friday except England and Wales bank holidays (the `holidays`
library's tables for GB/ENG, which match GB/WLS). `papers_due` is a pure function of its
arguments, so it is tested with literal dates; `bank_holidays` supplies the holidays.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection, Iterable


def bank_holidays(years: Iterable[int]) -> frozenset[datetime.date]:
    """England and Wales bank holidays (substitute days included) in the given years."""
    import holidays

    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=list(years)))


def is_working_day(day: datetime.date, holidays: Collection[datetime.date]) -> bool:
    return day.weekday() < 5 and day not in holidays


def papers_due(meeting: datetime.date, working_days: int,
               holidays: Collection[datetime.date] | None = None) -> datetime.date:
    """The date papers are due: the working day ``working_days`` working days before
    ``meeting`` (1 is the last working day before it). ``holidays`` defaults to England and
    Wales bank holidays."""
    if working_days < 1:
        raise ValueError("Papers are due at least one working day before the meeting.")
    if holidays is None:
        # 60 working days (the most a body may ask for) reach back into the year before.
        holidays = bank_holidays(range(meeting.year - 1, meeting.year + 1))
    day, counted = meeting, 0
    while counted < working_days:
        day -= datetime.timedelta(days=1)
        if is_working_day(day, holidays):
            counted += 1
    return day
