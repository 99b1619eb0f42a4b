from __future__ import annotations

from typing import Any

from django import template

from ketenregie.dashboard.texts import public_explanation as explanation_for
from ketenregie.dashboard.texts import public_name as name_for

register = template.Library()


@register.filter
def public_name(item: Any) -> Any:
    """The plain-language name of an indicator (or a regional row, which carries code and name)."""
    return name_for(item.code, item.name)


@register.filter
def public_explanation(indicator: Any) -> Any:
    return explanation_for(indicator.code, indicator.definition)
