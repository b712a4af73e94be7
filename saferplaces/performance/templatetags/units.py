"""{{ value|in_unit:indicator.unit }}: a value or target written to its unit's precision."""

from django import template

from saferplaces.performance.units import format_value

register = template.Library()


@register.filter
def in_unit(value, unit: str) -> str:
    return format_value(value, unit, missing="—")
