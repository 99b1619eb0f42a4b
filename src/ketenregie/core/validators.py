"""Validators for Dutch identifiers. Each error message says what is wrong, not just that it is."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_DIGITS = re.compile(r"^\d+$")
_POSTCODE = re.compile(r"^([1-9]\d{3})\s?([A-Za-z]{2})$")
# Letter pairs the postal service never hands out.
_FORBIDDEN_POSTCODE_LETTERS = {"SA", "SD", "SS"}
# BAG object type codes in positions 5-6 of a 16-digit identification.
BAG_OBJECT_TYPES = {"01": "verblijfsobject", "02": "ligplaats", "03": "standplaats"}
BAG_NUMMERAANDUIDING_TYPE = "20"


def bsn_is_valid(value: str) -> bool:
    """The elfproef for the burgerservicenummer: weights 9..2 and -1, sum divisible by 11."""
    if len(value) != 9 or not _DIGITS.match(value) or value == "000000000":
        return False
    digits = [int(c) for c in value]
    total = sum(d * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True)) - digits[8]
    return total % 11 == 0


def validate_bsn(value: str) -> None:
    if not _DIGITS.match(value or ""):
        raise ValidationError(_("A BSN consists of digits only."), code="bsn_not_digits")
    if len(value) != 9:
        raise ValidationError(
            _("A BSN has 9 digits; this one has %(length)d."),
            code="bsn_length",
            params={"length": len(value)},
        )
    if not bsn_is_valid(value):
        raise ValidationError(_("This BSN does not pass the 11-test (elfproef)."), code="bsn_checksum")


def validate_kvk_number(value: str) -> None:
    if not _DIGITS.match(value or ""):
        raise ValidationError(_("A KvK number consists of digits only."), code="kvk_not_digits")
    if len(value) != 8:
        raise ValidationError(
            _("A KvK number has 8 digits; this one has %(length)d."),
            code="kvk_length",
            params={"length": len(value)},
        )
    if value == "00000000":
        raise ValidationError(_("00000000 is not a KvK number."), code="kvk_zero")


def normalise_postcode(value: str) -> str:
    """'3077 aw' -> '3077AW'. Raises ValidationError when it is not a Dutch postcode."""
    match = _POSTCODE.match((value or "").strip())
    if not match:
        raise ValidationError(
            _("A postcode is four digits (not starting with 0) followed by two letters, such as 3077 AW."),
            code="postcode_format",
        )
    letters = match.group(2).upper()
    if letters in _FORBIDDEN_POSTCODE_LETTERS:
        raise ValidationError(
            _("Postcodes with the letters %(letters)s are not issued."),
            code="postcode_letters",
            params={"letters": letters},
        )
    return match.group(1) + letters


def validate_postcode(value: str) -> None:
    normalise_postcode(value)


def _validate_bag_identification(value: str, *, allowed_types: set[str], what: str) -> None:
    if not _DIGITS.match(value or ""):
        raise ValidationError(
            _("A %(what)s consists of 16 digits."), code="bag_not_digits", params={"what": what}
        )
    if len(value) != 16:
        raise ValidationError(
            _("A %(what)s has 16 digits; this one has %(length)d."),
            code="bag_length",
            params={"what": what, "length": len(value)},
        )
    if value[:4] == "0000":
        raise ValidationError(
            _("The first four digits of a %(what)s are a municipality code, and 0000 is none."),
            code="bag_municipality",
            params={"what": what},
        )
    if value[4:6] not in allowed_types:
        raise ValidationError(
            _(
                "Digits 5 and 6 of a %(what)s give the object type "
                "and must be one of %(types)s, not %(found)s."
            ),
            code="bag_object_type",
            params={"what": what, "types": ", ".join(sorted(allowed_types)), "found": value[4:6]},
        )


def validate_bag_object_id(value: str) -> None:
    _validate_bag_identification(
        value, allowed_types=set(BAG_OBJECT_TYPES), what=str(_("BAG addressable object id"))
    )


def validate_bag_address_id(value: str) -> None:
    _validate_bag_identification(
        value, allowed_types={BAG_NUMMERAANDUIDING_TYPE}, what=str(_("BAG nummeraanduiding id"))
    )


def validate_municipality_code(value: str) -> None:
    if not _DIGITS.match(value or "") or len(value) != 4 or value == "0000":
        raise ValidationError(
            _("A CBS municipality code has four digits, such as 0599 for Rotterdam."),
            code="municipality_code",
        )


# The largest id a database key (bigint) can hold; a larger number names nothing and must not reach a
# query, where PostgreSQL would refuse it as out of range.
MAX_ID = 2**63 - 1


def parse_number(value: object, *, minimum: int = 0) -> int | None:
    """A whole number a user sent (a version, a score, an id), or None when it is not one.

    Only ASCII digits count: str.isdigit() also accepts '²', on which int() fails, and int() itself
    accepts '1_000' and Arabic-Indic digits. Beyond the database's bigint range nothing can match.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    else:
        text = str(value).strip()
        if not (text.isascii() and text.isdecimal()) or len(text) > 19:
            return None
        number = int(text)
    return number if minimum <= number <= MAX_ID else None


def parse_id(value: object) -> int | None:
    """An id a user sent, or None when it cannot name a record (not a number, or out of range)."""
    return parse_number(value, minimum=1)
