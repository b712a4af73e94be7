"""What an action's flags say, judged at a date (from `core.clock.today`).

One rule for every page that shows an action: the dashboard, plan tables, the action page and
organisation pages. An open action of a plan whose year has ended is "not completed" in that
year, never "overdue"; an open action never updated is waiting for its first update.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class ActionFlag:
    label: str
    kind: str  # "overdue", "stale" or "ended": the CSS class beside "flag"


def action_flags(action, today: datetime.date, stale_days: int) -> list[ActionFlag]:
    """The flags of `action` (an Action with its plan) as at `today`."""
    if not action.is_open:
        return []
    if action.plan.end_date < today:
        return [ActionFlag(f"Not completed in {action.plan.year_label}", "ended")]
    flags = []
    if action.due_date < today:
        flags.append(ActionFlag("Overdue", "overdue"))
    if action.last_update_date is None:
        flags.append(ActionFlag("No update yet", "stale"))
    elif (today - action.last_update_date).days > stale_days:
        flags.append(ActionFlag(f"Needs an update (none for over {stale_days} days)", "stale"))
    return flags
