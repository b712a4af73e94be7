"""{{ value|number }} and {{ value|number:1 }}: numbers with thousands separators;
{{ value|money }}: pounds and pence; {{ value|p_value }}: a p-value."""

from django import template

from saferplaces.core.numbers import format_money, format_number, format_p_value

register = template.Library()


@register.filter
def number(value, decimals=None) -> str:
    """``format_number`` for templates; an empty string or None shows as a dash."""
    if value is None or value == "":
        return format_number(None)
    places = None if decimals is None or decimals == "" else int(decimals)
    return format_number(float(value), decimals=places)


@register.filter
def money(value) -> str:
    """``format_money`` for templates: £1,234.50; an empty string or None shows as a dash."""
    if value is None or value == "":
        return format_money(None)
    return format_money(value)


@register.filter
def p_value(value) -> str:
    """``format_p_value`` for templates; None shows as a dash."""
    return format_p_value(None if value is None or value == "" else float(value))
