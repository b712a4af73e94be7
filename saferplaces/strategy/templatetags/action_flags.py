"""Template tags for action flags (the rule is strategy/flags.py)."""

from django import template

from saferplaces.strategy import flags

register = template.Library()


@register.inclusion_tag("strategy/_flags.html", takes_context=True)
def action_flags(context, action) -> dict:
    """The action's flags (overdue, waiting for an update, not completed) as at the page's
    `today`, the partnership's clock (core/clock.py, given to every page)."""
    days = context["partnership"].update_interval_days
    return {"flags": flags.action_flags(action, context["today"], days)}
