"""The one clock: the date every "as of today" judgement is made at.

Overdue, waiting for an update, values due, the current plan, data quality, reminders and the
default period of pages and reports all read `today()`. It is the real date, unless the
partnership is shown as at a fixed date (a demonstration frozen in its year), in which case
that date. Core knows no partnership model: it reads the object's `shown_as_at` attribute.

`now()` is the moment an act done "today" is dated at (a board report's issue): the real
moment, or, for a partnership shown as at a fixed date, that date at the real time of day, so
a demonstration frozen in February 2021 never says it issued something in a later year.
"""

from __future__ import annotations

import datetime

from django.utils import timezone


def today(partnership: object | None = None) -> datetime.date:
    """The date judgements are made at: the partnership's "shown as at" date, else today."""
    shown_as_at = getattr(partnership, "shown_as_at", None)
    return shown_as_at or timezone.localdate()


def now(partnership: object | None = None) -> datetime.datetime:
    """The moment an act done today is dated at: now, on the partnership's "shown as at"
    date when it has one."""
    moment = timezone.now()
    shown_as_at = getattr(partnership, "shown_as_at", None)
    if shown_as_at is None:
        return moment
    local = timezone.localtime(moment)
    return local.replace(year=shown_as_at.year, month=shown_as_at.month, day=shown_as_at.day)
