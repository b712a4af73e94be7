"""{{ value|number }} and {{ value|number:1 }}: numbers with thousands separators."""

from django import template

from saferplaces.core.numbers import format_number

register = template.Library()


@register.filter
def number(value, decimals=None) -> str:
    """``format_number`` for templates; an empty string or None shows as a dash."""
    if value is None or value == "":
        return format_number(None)
    places = None if decimals is None or decimals == "" else int(decimals)
    return format_number(float(value), decimals=places)
