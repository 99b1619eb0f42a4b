"""Dates as the BRP records them: ``YYYYMMDD`` with ``00`` for an unknown month or day and
``00000000`` for a wholly unknown date (LO GBA, "onvolledige datum").

A ``BrpDate`` keeps the raw value losslessly and derives the earliest and latest day it can stand
for (its *onzekerheidsperiode*). The API shape of a date (``Datum``, ``JaarMaandDatum``,
``JaarDatum``, ``DatumOnbekend``) is produced here too, so every output agrees on the rendering.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.utils.translation import gettext as _

_RAW = re.compile(r"^\d{8}$")
MONTHS_NL = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)
UNKNOWN = "00000000"


class BrpDateError(ValueError):
    """The value is not a BRP date; the message says why, in the user's language."""


@dataclass(frozen=True)
class BrpDate:
    raw: str
    _parts: tuple[int, int, int] = field(init=False, repr=False, compare=False)

    # The derived days are cached per object (in its __dict__, which a frozen dataclass allows
    # cached_property to fill): an import shares one object per distinct raw date among millions
    # of holdings.

    def __post_init__(self) -> None:
        # Read once: large imports ask for the parts of millions of dates.
        year = int(self.raw[:4])
        month = int(self.raw[4:6]) if year else 0
        day = int(self.raw[6:]) if month else 0
        object.__setattr__(self, "_parts", (year, month, day))

    @classmethod
    def parse(cls, value: str) -> BrpDate:
        """Validate ``value`` (``YYYYMMDD``, zeros for unknown parts) and return it as a BrpDate."""
        value = (value or "").strip()
        if not _RAW.match(value):
            raise BrpDateError(_("%(value)s is not a date of the form YYYYMMDD.") % {"value": value or "''"})
        year, month, day = int(value[:4]), int(value[4:6]), int(value[6:])
        if year == 0 and (month or day):
            raise BrpDateError(_("%(value)s has a month or day but no year.") % {"value": value})
        if month > 12:
            raise BrpDateError(_("%(value)s has month %(month)02d.") % {"value": value, "month": month})
        if month == 0 and day:
            raise BrpDateError(_("%(value)s has a day but no month.") % {"value": value})
        if day:
            try:
                dt.date(year, month, day)
            except ValueError:
                raise BrpDateError(_("%(value)s is not a day in the calendar.") % {"value": value}) from None
        return cls(value)

    @classmethod
    def read(cls, value: str) -> tuple[BrpDate, str | None]:
        """Like ``parse``, but accepts what the BRP is known to deliver against its own rules, reading
        it for what can be known, with a warning: a month or day without a year (read as wholly
        unknown) and a day without a month (read as the year only). The raw value is kept."""
        value = (value or "").strip()
        if _RAW.match(value):
            year, month, day = int(value[:4]), int(value[4:6]), int(value[6:])
            if year == 0 and (month or day):
                return cls(value), _("%(value)s has a month or day but no year; read as unknown.") % {
                    "value": value
                }
            if year and month == 0 and day:
                return cls(value), _("%(value)s has a day but no month; read as the year %(year)d.") % {
                    "value": value,
                    "year": year,
                }
        return cls.parse(value), None

    @classmethod
    def from_date(cls, value: dt.date) -> BrpDate:
        return cls(value.strftime("%Y%m%d"))

    @property
    def year(self) -> int:
        return self._parts[0]

    @property
    def month(self) -> int:
        """0 when unknown (also when the year is unknown, whatever the raw value holds)."""
        return self._parts[1]

    @property
    def day(self) -> int:
        """0 when unknown (also when the month is unknown, whatever the raw value holds)."""
        return self._parts[2]

    @cached_property
    def is_complete(self) -> bool:
        return bool(self.year and self.month and self.day)

    @cached_property
    def is_unknown(self) -> bool:
        """Wholly unknown: 00000000."""
        return self.year == 0

    @cached_property
    def earliest(self) -> dt.date | None:
        """The first day this date can be; None when wholly unknown."""
        if self.is_unknown:
            return None
        return dt.date(self.year, self.month or 1, self.day or 1)

    @cached_property
    def latest(self) -> dt.date | None:
        """The last day this date can be; None when wholly unknown."""
        if self.is_unknown:
            return None
        if self.day:
            return dt.date(self.year, self.month, self.day)
        if self.month:
            return dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])
        return dt.date(self.year, 12, 31)

    @property
    def as_date(self) -> dt.date | None:
        return self.earliest if self.is_complete else None

    def long_format(self) -> str:
        """The Dutch long form the BRP APIs use: '1 juli 2018', 'juli 2018', '2018' or 'onbekend'."""
        if self.is_unknown:
            return "onbekend"
        if not self.month:
            return str(self.year)
        month = MONTHS_NL[self.month - 1]
        return f"{self.day} {month} {self.year}" if self.day else f"{month} {self.year}"

    def to_api(self) -> dict[str, Any]:
        """The ``AbstractDatum`` of the Haal Centraal BRP APIs."""
        if self.is_unknown:
            return {"type": "DatumOnbekend", "onbekend": True, "langFormaat": "onbekend"}
        if not self.month:
            return {"type": "JaarDatum", "jaar": self.year, "langFormaat": self.long_format()}
        if not self.day:
            return {
                "type": "JaarMaandDatum",
                "jaar": self.year,
                "maand": self.month,
                "langFormaat": self.long_format(),
            }
        earliest = self.earliest
        assert earliest is not None
        return {"type": "Datum", "datum": earliest.isoformat(), "langFormaat": self.long_format()}

    def display(self) -> str:
        """For pages: '01-07-2018', '07-2018', '2018' or '?'."""
        if self.is_unknown:
            return "?"
        if not self.month:
            return f"{self.year}"
        if not self.day:
            return f"{self.month:02d}-{self.year}"
        return f"{self.day:02d}-{self.month:02d}-{self.year}"

    def __str__(self) -> str:
        return self.raw


def brp_date_or_none(value: str) -> BrpDate | None:
    """A stored raw value: empty means 'not recorded'."""
    return BrpDate(value) if value else None
