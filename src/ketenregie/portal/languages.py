"""The portal's ten languages, how the URL names them, and how a first visit picks one."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation.trans_real import parse_accept_lang_header

# Each language named in itself, so a visitor finds their own whatever page they are on.
ENDONYMS: dict[str, str] = {
    "nl": "Nederlands",
    "en": "English",
    "pl": "Polski",
    "ro": "Română",
    "bg": "Български",
    "lt": "Lietuvių",
    "hu": "Magyar",
    "uk": "Українська",
    "pt": "Português",
    "es": "Español",
}
PORTAL_LANGUAGES: tuple[str, ...] = tuple(code for code, _name in settings.LANGUAGES)
DEFAULT_LANGUAGE = "nl"
# Where a page has no translation in the visitor's language, these are tried in turn.
FALLBACK_LANGUAGES: tuple[str, ...] = ("en", "nl")


class LanguageConverter:
    """The ``<lang:lang>`` part of a portal URL: one of the portal's language codes."""

    regex = "|".join(PORTAL_LANGUAGES)

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        if value not in PORTAL_LANGUAGES:
            raise ValueError(value)
        return value


def preferred_language(request: HttpRequest) -> str:
    """The language chosen earlier (cookie), else the browser's first portal language, else Dutch."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    if chosen in PORTAL_LANGUAGES:
        return chosen
    for code, _quality in parse_accept_lang_header(request.META.get("HTTP_ACCEPT_LANGUAGE", "")):
        base = code.split("-")[0].lower()
        if base in PORTAL_LANGUAGES:
            return base
    return DEFAULT_LANGUAGE
