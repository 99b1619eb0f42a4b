"""Option handling shared by the management commands of every app."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.management.base import CommandError

from ketenregie.core.selectors import municipalities, municipality_find

if TYPE_CHECKING:
    from ketenregie.core.models import Municipality


def municipality_option(code: str | None, *, single_default: bool = False) -> Municipality:
    """The municipality a command's ``--municipality CODE`` names.

    Without a code, ``single_default`` takes the only municipality there is: on a one-municipality
    installation the option is a formality, elsewhere guessing would work on the wrong tenant's data.
    """
    if code:
        found = municipality_find(code)
        if found is None:
            raise CommandError(f"Unknown municipality code {code}")
        return found
    if not single_default:
        raise CommandError("Name the municipality with --municipality CODE")
    candidates = list(municipalities()[:2])
    if len(candidates) != 1:
        raise CommandError(
            "Name the municipality with --municipality CODE" if candidates else "There is no municipality yet"
        )
    return candidates[0]


def date_option(value: str | None, option: str) -> dt.date | None:
    """A command's date option (``--as-of 2026-11-01``): None when left out, a clear error when it is
    not an ISO date."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{option}: {value!r} is not a date (YYYY-MM-DD)") from None
