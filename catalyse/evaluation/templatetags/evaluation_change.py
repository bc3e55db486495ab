from decimal import Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def percent(value) -> str:
    """A share between 0 and 1 as a French percentage: 0.035 → « 3,5 % »."""
    if value in (None, ""):
        return "—"
    number = (Decimal(value) * 100).normalize()
    places = max(0, -number.as_tuple().exponent)
    return f"{number_format(number, decimal_pos=min(places, 2))}\u00a0%"


@register.filter
def money(value) -> str:
    """Euros with two decimals and French separators: 6739.2 → « 6 739,20 € »."""
    if value in (None, ""):
        return "—"
    return f"{number_format(round(Decimal(value), 2), decimal_pos=2, force_grouping=True)}\u00a0€"


@register.filter
def ratio(value) -> str:
    if value in (None, ""):
        return "—"
    return number_format(round(Decimal(value), 2), decimal_pos=2)
