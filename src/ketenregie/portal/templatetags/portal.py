from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Any

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import SafeString, mark_safe

from ketenregie.core.suppression import Suppression
from ketenregie.portal.languages import ENDONYMS, PORTAL_LANGUAGES
from ketenregie.portal.markdown import render_markdown

register = template.Library()


@dataclass(frozen=True)
class LanguageLink:
    code: str
    name: str
    url: str
    current: bool


@register.simple_tag(takes_context=True)
def language_links(context: dict[str, Any]) -> list[LanguageLink]:
    """The same page in every portal language (plain links: no script needed)."""
    request = context.get("request")
    current = getattr(request, "LANGUAGE_CODE", "nl")
    match = getattr(request, "resolver_match", None)
    links = []
    for code in PORTAL_LANGUAGES:
        url = reverse("portal:home", kwargs={"lang": code})
        if match is not None and match.namespace == "portal" and "lang" in match.kwargs:
            with contextlib.suppress(NoReverseMatch):
                url = reverse(f"portal:{match.url_name}", kwargs={**match.kwargs, "lang": code})
        links.append(LanguageLink(code=code, name=ENDONYMS[code], url=url, current=code == current))
    return links


@register.filter
def markdown(text: str) -> SafeString:
    """Staff-written Markdown as HTML; raw HTML in it is escaped (see portal.markdown)."""
    return mark_safe(render_markdown(text))  # noqa: S308  (markdown-it with html disabled)


@register.filter
def suppress(count: int | None, threshold: int) -> str:
    """A count as the public may see it, under the one suppression rule (threshold from the norms)."""
    return Suppression(threshold=threshold).shown(count, unit="persons").text
