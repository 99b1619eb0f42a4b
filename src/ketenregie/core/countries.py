"""Countries and nationalities are ISO 3166-1 alpha-2 codes, read by one rule everywhere.

A name such as "Polen" is never guessed into a code (it once became "PO", which is no country):
it is refused, and the message gives the code the user probably meant.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django_countries import countries


def code_for_name(name: str) -> str:
    """The alpha-2 code of a country named in Dutch or English, or "" when the name is unknown."""
    value = name.strip()
    if not value:
        return ""
    for language in ("nl", "en"):
        code = countries.by_name(value, insensitive=True, language=language)
        if code:
            return str(code)
    return ""


def country_code(value: str) -> str:
    """'pl' -> 'PL'. Raises ValidationError for anything that is not a current ISO 3166-1 alpha-2 code."""
    text = (value or "").strip()
    if len(text) == 2 and text.isascii() and text.isalpha() and countries.alpha2(text.upper()):
        return text.upper()
    suggestion = code_for_name(text)
    if suggestion:
        raise ValidationError(
            _("“%(value)s” is a country name, not a code: give the ISO 3166-1 alpha-2 code %(code)s.")
            % {"value": text, "code": suggestion},
            code="country_name",
        )
    raise ValidationError(
        _("“%(value)s” is not an ISO 3166-1 alpha-2 country code (two letters, e.g. PL for Poland).")
        % {"value": text[:40]},
        code="country_code",
    )


def validate_country_code(value: str) -> None:
    country_code(value)


class CountryCodeField(forms.CharField):
    """A typed country code, as in CSV rows and API bodies; staff forms offer a selection instead."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 60)
        super().__init__(**kwargs)

    def clean(self, value: Any) -> str:
        text: str = super().clean(value)
        return country_code(text) if text else ""


def country_choices(*, blank: bool = True) -> list[tuple[str, str]]:
    """Every country, named in the active language and sorted by that name, for a selection."""
    choices = [(str(code), str(name)) for code, name in countries]
    return [("", "—"), *choices] if blank else choices


def country_name(code: str) -> str:
    """The country's name in the active language; a stored value that is no ISO code is shown as it is,
    marked, so that old free-text entries (such as "PO") stand out instead of passing for a country."""
    value = (code or "").strip()
    if not value:
        return ""
    name = countries.name(value.upper()) if len(value) == 2 else ""
    if name:
        return f"{name} ({value.upper()})"
    return _("%(value)s (not an ISO country code)") % {"value": value}
