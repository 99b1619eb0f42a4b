from __future__ import annotations

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def percent(value: float | None) -> str:
    """0.834 -> '83%'; nothing for an unknown value."""
    if value is None or value == "":
        return "–"
    return f"{number_format(round(float(value) * 100))}%"
