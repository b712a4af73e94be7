"""Template filters for action flags."""

from django import template

register = template.Library()


@register.filter
def stale(action, days) -> bool:
    """True when an open action has had no update for more than `days` days."""
    return action.is_stale(int(days))
