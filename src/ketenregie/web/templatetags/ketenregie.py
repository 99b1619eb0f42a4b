from __future__ import annotations

from typing import Any

from django import template
from django.utils.http import urlencode

register = template.Library()


@register.simple_tag(takes_context=True)
def query_replace(context: dict[str, Any], **changes: Any) -> str:
    """The current query string with some parameters replaced (or removed when given None)."""
    request = context.get("request")
    params = request.GET.copy() if request is not None else {}
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = value
    return "?" + urlencode(
        sorted(params.items())
        if not hasattr(params, "lists")
        else [(k, v) for k, values in sorted(params.lists()) for v in values]
    )


@register.filter
def yesno_nl(value: bool | None) -> str:
    from django.utils.translation import gettext as _

    if value is None:
        return _("unknown")
    return _("yes") if value else _("no")


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key) if mapping else None


@register.simple_tag
def staff_languages() -> list[tuple[str, object]]:
    """The languages the staff application offers (the portal offers more)."""
    from django.conf import settings

    return [(code, name) for code, name in settings.LANGUAGES if code in settings.STAFF_LANGUAGES]


@register.filter
def country(value: str | None) -> str:
    """An ISO 3166-1 alpha-2 code as the country's name in the active language, with the code."""
    from ketenregie.core.countries import country_name

    return country_name(value or "")
