"""Plain words for dates and people, shared by the documents that print them (board reports,
committee reports)."""

from __future__ import annotations

import datetime


def date_text(day: datetime.date) -> str:
    """'15 February 2021' (no leading zero)."""
    return f"{day.day} {day:%B %Y}"


def user_name(user) -> str:
    """A user's full name, else their username; empty for no user."""
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()
