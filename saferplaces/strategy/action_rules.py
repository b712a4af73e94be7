"""The rules across an action's fields, in one place for the model (``Action.clean``), the web
form (``ActionForm``) and the CSV import (``forms.action_errors``, which checks thousands of
rows without a query each). Pure functions on plain values."""

from __future__ import annotations

import datetime
from collections.abc import Collection

PROGRESS_RANGE = "Progress is a percentage from 0 to 100."
DATES_ORDER = "The due date cannot be before the start date."
LEAD_IS_PARTNER = "The lead organisation is not also a partner."


def progress_error(progress: int | None) -> str | None:
    return PROGRESS_RANGE if progress is not None and progress > 100 else None


def dates_error(start: datetime.date | None, due: datetime.date | None) -> str | None:
    return DATES_ORDER if start and due and due < start else None


def lead_partner_error(lead: object, partners: Collection[object]) -> str | None:
    """The lead organisation (an id or an Organisation) may not also be among the partners."""
    return LEAD_IS_PARTNER if lead and partners and lead in partners else None
