"""Reading a GBA-V extract: one person record (persoonslijst) at a time, validated, as plain values.

The file is semicolon-separated UTF-8 (a byte-order mark is allowed). The header names LO GBA
elements ``CC.GG.EE``; the first column holds an id on the row that starts a person (its current
categories) and is empty on the rows after it, which hold that person's historical occurrences in
the same columns, newest first. Only the elements this system keeps are read; the others may be
present and are ignored.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from operator import itemgetter
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ketenregie.core.imports import RowError
from ketenregie.core.validators import normalise_postcode, validate_bag_address_id, validate_bag_object_id
from ketenregie.people.brp_dates import UNKNOWN, BrpDate, BrpDateError
from ketenregie.people.models import AddressDeclaration, AddressFunction, SuspensionReason

_ELEMENT = re.compile(r"^\d{2}\.\d{2}\.\d{2}$")
PERSON_ELEMENTS = (
    "01.01.10",
    "01.01.20",
    "01.02.10",
    "01.02.30",
    "01.02.40",
    "01.03.10",
    "04.05.10",
    "07.67.10",
    "07.67.20",
    "07.70.10",
)
HOLDING_ELEMENTS = (
    "08.09.10",
    "08.10.10",
    "08.10.30",
    "08.11.10",
    "08.11.15",
    "08.11.20",
    "08.11.30",
    "08.11.40",
    "08.11.50",
    "08.11.60",
    "08.11.70",
    "08.11.80",
    "08.11.90",
    "08.12.10",
    "08.13.10",
    "08.13.20",
    "08.13.30",
    "08.13.40",
    "08.13.50",
    "08.72.10",
    "08.83.10",
    "08.83.20",
    "08.83.30",
    "08.84.10",
)
# RNI-deelnemer (88.10) and omschrijving verdrag (88.20): which RNI participant delivered a category of
# a non-resident's record, under which treaty. Read apart from HOLDING_ELEMENTS: they say nothing
# about where the person was (a row with only these is no address holding).
RNI_CATEGORIES = ("01", "04", "06", "07")
RNI_ELEMENTS = tuple(f"{c}.88.{e}" for c in (*RNI_CATEGORIES, "08") for e in ("10", "20"))
# Elements without which a category 08 occurrence says nothing about where the person was.
PLACE_ELEMENTS = ("08.11.10", "08.11.80", "08.12.10", "08.13.10", "08.10.30", "08.13.20")
NATIONALITY_NL = "0001"
# Choices as plain sets: checked millions of times in a large extract.
SUSPENSION_REASONS = frozenset(SuspensionReason.values)
FUNCTIONS = frozenset(AddressFunction.values)
DECLARATIONS = frozenset(AddressDeclaration.values)
OBJECT_TYPES = frozenset({"01", "02", "03"})


@dataclass(slots=True)
class RawRecord:
    row: int
    record_id: str
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)


@dataclass(slots=True)
class Holding:
    """One address holding (verblijfplaats) as the BRP recorded it."""

    row: int
    municipality_code: str
    function: str
    start: BrpDate
    declaration: str
    bag_object_id: str
    bag_address_id: str
    brp_address: dict[str, Any]
    country_code: str
    foreign_lines: tuple[str, str, str]
    investigation_code: str
    investigation_start: str
    investigation_end: str
    rni_participant: str = ""
    rni_treaty: str = ""

    @property
    def is_abroad(self) -> bool:
        return bool(self.country_code)

    @property
    def local_key(self) -> tuple[str, ...] | None:
        """Street, number, letter, addition and postcode of a Dutch address without a BAG id."""
        parts = self.brp_address
        if self.is_abroad or self.bag_object_id or not parts.get("street") or not parts.get("house_number"):
            return None
        return (
            parts["street"],
            str(parts["house_number"]),
            parts.get("house_letter", ""),
            parts.get("house_number_addition", ""),
            parts.get("postcode", ""),
        )

    def identity(self) -> tuple[str, ...]:
        """What makes two deliveries of this holding the same holding."""
        return (
            self.start.raw,
            self.function,
            self.bag_object_id,
            self.country_code,
            self.municipality_code,
            self.declaration,
            repr(sorted(self.brp_address.items())),
        )


@dataclass(slots=True)
class PersonRecord:
    row: int
    key: str
    municipality_code: str
    values: dict[str, Any]
    holdings: list[Holding]  # oldest first
    incorrect: list[Holding]
    skipped_rows: int = 0


def read_raw_records(stream: IO[str]) -> Iterator[tuple[RawRecord | None, list[RowError]]]:
    """Group the rows of the file by person; yields (record, errors) and (None, errors) for rows
    that belong to no person. Reading stops at the first structural error of the header."""
    reader = csv.reader(stream, delimiter=";")
    try:
        header = next(reader)
    except StopIteration:
        yield None, [RowError(0, "", _("The file is empty."))]
        return
    columns: dict[str, int] = {}
    for index, name in enumerate(header):
        name = name.strip().lstrip("\ufeff")
        if index and name and _ELEMENT.match(name) and name not in columns:
            columns[name] = index
    wanted = [e for e in (*PERSON_ELEMENTS, *HOLDING_ELEMENTS, *RNI_ELEMENTS) if e in columns]
    if "01.01.10" not in columns and "01.01.20" not in columns:
        yield (
            None,
            [
                RowError(
                    1,
                    "",
                    _(
                        "This is not a GBA-V extract: the header names neither 01.01.10 (A-number) nor "
                        "01.01.20 (BSN)."
                    ),
                )
            ],
        )
        return
    if "08.09.10" not in columns:
        yield None, [RowError(1, "", _("The header has no 08.09.10 (municipality of registration)."))]
        return
    current: RawRecord | None = None
    width = len(header)
    # The wanted values of a row in one C call each: this runs for every row of millions.
    pick = itemgetter(*(columns[name] for name in wanted))
    strip = str.strip
    for number, values in enumerate(reader, start=2):
        if not "".join(values).strip():
            continue
        if len(values) < width:
            values = values + [""] * (width - len(values))
        picked = pick(values)
        row = dict(zip(wanted, map(strip, picked if len(wanted) > 1 else (picked,)), strict=True))
        record_id = values[0].strip()
        if record_id:
            if current is not None:
                yield current, []
            current = RawRecord(row=number, record_id=record_id, rows=[(number, row)])
        elif current is None:
            yield None, [RowError(number, "", _("A history row comes before the first person."))]
        else:
            current.rows.append((number, row))
    if current is not None:
        yield current, []


def open_text(data: bytes | IO[bytes]) -> IO[str]:
    stream = io.BytesIO(data) if isinstance(data, bytes) else data
    return io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")


@dataclass(slots=True)
class Problems:
    """Errors refuse the file; warnings say how a value the BRP delivered against its rules was read."""

    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)


@lru_cache(maxsize=65536)
def _date_kind(value: str) -> tuple[BrpDate | None, bool, bool]:
    """(date, warning, error) of a raw value, without messages: the same dates recur thousands of
    times in an extract. Messages are made only for the rare value that needs one."""
    try:
        date, warning = BrpDate.read(value)
    except BrpDateError:
        return None, False, True
    return date, bool(warning), False


def _date(value: str, row: int, column: str, problems: Problems) -> BrpDate | None:
    if not value:
        return None
    date, warning, error = _date_kind(value)
    if error:
        try:
            BrpDate.read(value)
        except BrpDateError as problem:
            problems.errors.append(RowError(row, column, str(problem)))
    elif warning:
        message = BrpDate.read(value)[1]
        problems.warnings.append(RowError(row, column, message or ""))
    return date


def _identification(value: str, row: int, column: str, problems: Problems, *, number: bool) -> str:
    """A 16-digit BAG identification. Leading zeros lost on the way (a spreadsheet reading the id as
    a number) are restored when that gives a valid id; an id that stays invalid is left out."""
    if not value:
        return ""
    if not value.isdecimal() or len(value) > 16:
        problems.errors.append(
            RowError(row, column, _("%(value)s is not a BAG identification of 16 digits.") % {"value": value})
        )
        return ""
    padded = value.zfill(16)
    if padded[:4] != "0000" and (padded[4:6] == "20" if number else padded[4:6] in OBJECT_TYPES):
        valid = True
    else:
        try:
            (validate_bag_address_id if number else validate_bag_object_id)(padded)
            valid = True
        except ValidationError:
            valid = False
    if not valid:
        problems.warnings.append(
            RowError(
                row, column, _("%(value)s is not a valid BAG identification; left out.") % {"value": value}
            )
        )
        return ""
    if padded != value:
        problems.warnings.append(
            RowError(
                row,
                column,
                _("%(value)s lost its leading zeros; read as %(id)s.") % {"value": value, "id": padded},
            )
        )
    return padded


def _code(value: str, length: int, row: int, column: str, problems: Problems) -> str:
    # Values are stripped, so isdecimal() says what ^\d+$ says, without a regular expression.
    if value and (not value.isdecimal() or len(value) != length):
        problems.errors.append(
            RowError(
                row,
                column,
                _("%(value)s is not a code of %(length)d digits.") % {"value": value, "length": length},
            )
        )
        return ""
    return value


def parse_record(raw: RawRecord) -> tuple[PersonRecord | None, Problems]:
    """Validate one person record; every problem is reported with its row number and element."""
    problems = Problems()
    errors = problems.errors
    first_row, current = raw.rows[0]
    a_number = _code(current.get("01.01.10", ""), 10, first_row, "01.01.10", problems)
    bsn = _code(current.get("01.01.20", ""), 9, first_row, "01.01.20", problems)
    if not a_number and not bsn and not errors:
        errors.append(RowError(first_row, "01.01.10", _("The person has neither an A-number nor a BSN.")))
    birth = _date(current.get("01.03.10", ""), first_row, "01.03.10", problems)
    suspended = _date(current.get("07.67.10", ""), first_row, "07.67.10", problems)
    reason = current.get("07.67.20", "")
    if reason and reason not in SUSPENSION_REASONS:
        errors.append(
            RowError(
                first_row, "07.67.20", _("%(value)s is not a reason for suspension.") % {"value": reason}
            )
        )
    secrecy_raw = current.get("07.70.10", "")
    secrecy: int | None = None
    if secrecy_raw:
        if secrecy_raw.isdigit() and int(secrecy_raw) <= 7:
            secrecy = int(secrecy_raw)
        else:
            errors.append(
                RowError(
                    first_row,
                    "07.70.10",
                    _("The secrecy indicator must be 0 to 7, not %(value)s.") % {"value": secrecy_raw},
                )
            )
    holdings: list[Holding] = []
    incorrect: list[Holding] = []
    skipped = 0
    for number, row in raw.rows:
        get = row.get
        if not any(map(get, PLACE_ELEMENTS)):
            skipped += any(map(get, HOLDING_ELEMENTS))
            continue
        holding = _holding(number, row, problems)
        if holding is None:
            continue
        (incorrect if row.get("08.84.10") else holdings).append(holding)
    if not holdings and not errors:
        errors.append(RowError(first_row, "08.09.10", _("The person has no address holding (category 08).")))
    # The current holding names the municipality of registration; abroad, the last one that does.
    municipality_code = next((h.municipality_code for h in holdings if h.municipality_code), "")
    if holdings and not municipality_code and not errors:
        errors.append(
            RowError(holdings[0].row, "08.09.10", _("The current municipality of registration is missing."))
        )
    if errors:
        return None, problems
    nationality_code = current.get("04.05.10", "")
    values: dict[str, Any] = {
        "a_number": a_number,
        "bsn": bsn,
        "given_names": current.get("01.02.10", "")[:200],
        "surname_prefix": current.get("01.02.30", "")[:10],
        "surname": current.get("01.02.40", "")[:200],
        "birth_date": birth.as_date if birth else None,
        "birth_date_raw": birth.raw if birth else "",
        "brp_nationality_code": nationality_code,
        "nationality": "NL" if nationality_code == NATIONALITY_NL else "",
        "secrecy_indicator": secrecy,
        "is_secret": bool(secrecy),
        "suspended_on": suspended.earliest if suspended else None,
        "suspended_on_raw": suspended.raw if suspended else "",
        "suspension_reason": reason,
        "registration_municipality_code": municipality_code,
        "rni": _rni(current, first_row, problems),
    }
    return (
        PersonRecord(
            row=raw.row,
            key=a_number or f"bsn:{bsn}",
            municipality_code=municipality_code,
            values=values,
            holdings=list(reversed(holdings)),
            incorrect=incorrect,
            skipped_rows=skipped,
        ),
        problems,
    )


def _rni_participant(value: str, row: int, column: str, problems: Problems) -> str:
    """A code of Tabel 60. The official test set delivers a date in 04.88.10 once: a value that is no
    code is left out with a warning rather than refusing the extract over a description element."""
    if value and (not value.isdecimal() or len(value) != 4):
        problems.warnings.append(
            RowError(row, column, _("%(value)s is not an RNI participant code; left out.") % {"value": value})
        )
        return ""
    return value


def _rni(current: dict[str, str], row: int, problems: Problems) -> list[dict[str, str]]:
    """The RNI data of the current categories, as the BRP Personen API lists them."""
    found = []
    for category in (*RNI_CATEGORIES, "08"):
        participant = _rni_participant(
            current.get(f"{category}.88.10", ""), row, f"{category}.88.10", problems
        )
        treaty = current.get(f"{category}.88.20", "")[:80]
        if participant or treaty:
            found.append({"category": category, "participant": participant, "treaty": treaty})
    return found


_ADDRESS_PARTS = (
    ("house_letter", "08.11.30", 1),
    ("house_number_addition", "08.11.40", 4),
    ("house_number_designation", "08.11.50", None),
)


def _holding(number: int, row: dict[str, str], problems: Problems) -> Holding | None:
    errors = problems.errors
    before = len(errors)
    municipality_code = _code(row.get("08.09.10", ""), 4, number, "08.09.10", problems)
    country = _code(row.get("08.13.10", ""), 4, number, "08.13.10", problems)
    object_id = _identification(row.get("08.11.80", ""), number, "08.11.80", problems, number=False)
    address_id = _identification(row.get("08.11.90", ""), number, "08.11.90", problems, number=True)
    start_column = "08.13.20" if country else "08.10.30"
    start = _date(row.get(start_column, ""), number, start_column, problems)
    investigation_start = _date(row.get("08.83.20", ""), number, "08.83.20", problems)
    investigation_end = _date(row.get("08.83.30", ""), number, "08.83.30", problems)
    investigation = _code(row.get("08.83.10", ""), 6, number, "08.83.10", problems)
    rni_participant = _rni_participant(row.get("08.88.10", ""), number, "08.88.10", problems)
    function = row.get("08.10.10", "") or AddressFunction.LIVING
    if function not in FUNCTIONS:
        errors.append(
            RowError(
                number,
                "08.10.10",
                _("The address function must be W or B, not %(value)s.") % {"value": function},
            )
        )
    declaration = row.get("08.72.10", "")
    if declaration and declaration not in DECLARATIONS:
        errors.append(
            RowError(
                number, "08.72.10", _("%(value)s is not a declaration of address.") % {"value": declaration}
            )
        )
    house_number = row.get("08.11.20", "")
    if house_number and (not house_number.isdigit() or not 0 < int(house_number) <= 99999):
        errors.append(
            RowError(number, "08.11.20", _("%(value)s is not a house number.") % {"value": house_number})
        )
    if len(errors) > before:
        return None
    postcode = row.get("08.11.60", "")
    try:
        postcode = normalise_postcode(postcode) if postcode else ""
    except Exception:
        postcode = postcode[:6]
    # Only the parts the BRP filled in, in this order (the order is part of the stored JSON).
    brp_address: dict[str, Any] = {}
    if street := row.get("08.11.10", "") or row.get("08.11.15", ""):
        brp_address["street"] = street
    if house_number:
        brp_address["house_number"] = int(house_number)
    for key, element, length in _ADDRESS_PARTS:
        if value := row.get(element, "")[:length]:
            brp_address[key] = value
    if postcode:
        brp_address["postcode"] = postcode
    for key, element in (("town", "08.11.70"), ("location", "08.12.10")):
        if value := row.get(element, ""):
            brp_address[key] = value
    return Holding(
        row=number,
        municipality_code=municipality_code,
        function=function,
        start=start or BrpDate(UNKNOWN),
        declaration=declaration,
        bag_object_id=object_id,
        bag_address_id=address_id,
        brp_address={} if country else brp_address,
        country_code=country,
        foreign_lines=(
            row.get("08.13.30", "")[:40],
            row.get("08.13.40", "")[:40],
            row.get("08.13.50", "")[:40],
        ),
        investigation_code=investigation,
        investigation_start=investigation_start.raw if investigation_start else "",
        investigation_end=investigation_end.raw if investigation_end else "",
        rni_participant=rni_participant,
        rni_treaty=row.get("08.88.20", "")[:80],
    )
