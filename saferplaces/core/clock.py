"""The one clock: the date every "as of today" judgement is made at.

Overdue, waiting for an update, values due, the current plan, data quality, reminders and the
default period of pages and reports all read `today()`. It is the real date, unless the
partnership is shown as at a fixed date (a demonstration frozen in its year), in which case
that date. Core knows no partnership model: it reads the object's `shown_as_at` attribute.
"""

from __future__ import annotations

import datetime

from django.utils import timezone


def today(partnership: object | None = None) -> datetime.date:
    """The date judgements are made at: the partnership's "shown as at" date, else today."""
    shown_as_at = getattr(partnership, "shown_as_at", None)
    return shown_as_at or timezone.localdate()
