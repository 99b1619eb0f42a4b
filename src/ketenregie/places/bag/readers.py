"""Reading BAG addresses and units: from a CSV export and from the official BAG 2.0 extract (XML).

The XML is streamed with ``iterparse`` and every element is cleared once read, so only compact
tuples of what an address needs stay in memory: a whole municipality (a few hundred thousand
objects) fits easily. The extract is a set of files per object type (WPL, OPR, NUM, VBO, LIG, STA),
usually zipped, sometimes zips inside a zip; all of them may be given as one zip, a directory or
single XML files. Only the current version (voorkomen without end of validity) of each object is
kept.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, TypedDict
from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse
from django.utils.translation import gettext as _

from ketenregie.core.imports import RowError
from ketenregie.places.bag.rd import OutsideRd, rd_to_wgs84

OBJECT_TYPES = {"Verblijfsobject": "VBO", "Ligplaats": "LIG", "Standplaats": "STA"}
WANTED = {*OBJECT_TYPES, "Nummeraanduiding", "OpenbareRuimte", "Woonplaats"}


@dataclass
class BagUnit:
    """One addressable object with its main address, or (``is_secondary``) one of its secondary
    addresses (nevenadressen), as read (not yet validated)."""

    number: int  # row number (CSV) or object sequence (XML), for error reports
    object_id: str
    object_type: str
    is_secondary: bool = False
    address_id: str = ""
    street: str = ""
    house_number: str = ""
    house_letter: str = ""
    house_number_addition: str = ""
    postcode: str = ""
    town: str = ""
    floor_area: str = ""
    use_purposes: list[str] = field(default_factory=list)
    status: str = ""
    x: float | None = None
    y: float | None = None
    latitude: float | None = None
    longitude: float | None = None

    def coordinates(self) -> tuple[float | None, float | None]:
        if self.latitude is not None and self.longitude is not None:
            return self.latitude, self.longitude
        if self.x is not None and self.y is not None:
            try:
                return rd_to_wgs84(self.x, self.y)
            except OutsideRd:
                return None, None
        return None, None


# CSV: the columns of the common BAG address export (NLExtract 'bagadres-full'), lower case, with
# the English names of this system's own export as alternatives.
CSV_COLUMNS = {
    "object_id": ("object_id", "adresseerbaarobject", "verblijfsobject", "bag_object_id"),
    "object_type": ("object_type", "objecttype"),
    "address_id": ("nummeraanduiding", "nummeraanduiding_id", "bag_address_id"),
    "street": ("openbareruimte", "straat", "street"),
    "house_number": ("huisnummer", "house_number"),
    "house_letter": ("huisletter", "house_letter"),
    "house_number_addition": ("huisnummertoevoeging", "house_number_addition"),
    "postcode": ("postcode",),
    "town": ("woonplaats", "town"),
    "floor_area": ("oppervlakteverblijfsobject", "oppervlakte", "floor_area_m2"),
    "use_purposes": ("verblijfsobjectgebruiksdoel", "gebruiksdoel", "use_purposes"),
    "status": ("verblijfsobjectstatus", "status", "bag_status"),
    "x": ("x",),
    "y": ("y",),
    "latitude": ("lat", "latitude"),
    "longitude": ("lon", "longitude"),
    "secondary": ("nevenadres",),
}


def _float(value: str, number: int, column: str, errors: list[RowError]) -> float | None:
    if not value:
        return None
    try:
        return float(value.replace(",", "."))
    except ValueError:
        errors.append(RowError(number, column, _("%(value)s is not a number.") % {"value": value}))
        return None


def read_csv(stream: IO[str], errors: list[RowError]) -> Iterator[BagUnit]:
    first = stream.readline()
    delimiter = max((";", ",", "\t"), key=first.count)
    header = [
        name.strip().lstrip("\ufeff").lower() for name in next(csv.reader([first], delimiter=delimiter))
    ]
    where = {
        key: next((header.index(name) for name in names if name in header), None)
        for key, names in CSV_COLUMNS.items()
    }
    if where["object_id"] is None or where["street"] is None or where["house_number"] is None:
        errors.append(
            RowError(1, "", _("The header needs columns for the object id, the street and the house number."))
        )
        return
    for number, row in enumerate(csv.reader(stream, delimiter=delimiter), start=2):
        if not any(value.strip() for value in row):
            continue

        def get(key: str, row: list[str] = row) -> str:
            index = where[key]
            return row[index].strip() if index is not None and index < len(row) else ""

        # A secondary address (nevenadres) of an object that is listed under its main address too.
        secondary = get("secondary").lower() in ("t", "true", "1", "ja", "j")
        purposes = get("use_purposes").replace("|", ",")
        object_type = get("object_type").upper()
        yield BagUnit(
            number=number,
            object_id=get("object_id"),
            object_type={"VERBLIJFSOBJECT": "VBO", "LIGPLAATS": "LIG", "STANDPLAATS": "STA"}.get(
                object_type, object_type
            ),
            is_secondary=secondary,
            address_id=get("address_id"),
            street=get("street"),
            house_number=get("house_number"),
            house_letter=get("house_letter"),
            house_number_addition=get("house_number_addition"),
            postcode=get("postcode"),
            town=get("town"),
            floor_area=get("floor_area"),
            use_purposes=[p.strip().lower() for p in purposes.split(",") if p.strip()],
            status=get("status"),
            x=_float(get("x"), number, "x", errors),
            y=_float(get("y"), number, "y", errors),
            latitude=_float(get("latitude"), number, "lat", errors),
            longitude=_float(get("longitude"), number, "lon", errors),
        )


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _text(element: Element, name: str) -> str:
    for child in element.iter():
        if _local(child.tag) == name:
            return (child.text or "").strip()
    return ""


def _all(element: Element, name: str) -> list[str]:
    return [(child.text or "").strip() for child in element.iter() if _local(child.tag) == name]


def _refs(element: Element, relation: str) -> list[str]:
    """The ids an object refers to under ``relation`` (heeftAlsNevenadres may hold several)."""
    found = []
    for child in element:
        if _local(child.tag) == relation:
            for ref in child.iter():
                if ref is not child and (ref.text or "").strip():
                    found.append((ref.text or "").strip())
    return found


def _ref(element: Element, relation: str) -> str:
    refs = _refs(element, relation)
    return refs[0] if refs else ""


def _point(element: Element) -> tuple[float | None, float | None]:
    """The RD point of a unit, or the mean of its polygon's corners."""
    for child in element.iter():
        name = _local(child.tag)
        if name in ("pos", "posList") and child.text:
            values = [float(v) for v in child.text.split()]
            dimension = int(child.get("srsDimension") or (3 if name == "pos" and len(values) == 3 else 2))
            if dimension == 2 and name == "posList" and len(values) % 2:
                dimension = 3
            xs, ys = values[0::dimension], values[1::dimension]
            if xs and ys:
                return sum(xs) / len(xs), sum(ys) / len(ys)
    return None, None


def _is_current(element: Element) -> bool:
    return not _text(element, "eindGeldigheid")


class _AddressParts(TypedDict):
    address_id: str
    street: str
    house_number: str
    house_letter: str
    house_number_addition: str
    postcode: str
    town: str


@dataclass
class _Extract:
    towns: dict[str, str] = field(default_factory=dict)
    streets: dict[str, tuple[str, str]] = field(default_factory=dict)
    numbers: dict[str, tuple[str, str, str, str, str, str]] = field(default_factory=dict)
    units: dict[str, tuple[Any, ...]] = field(default_factory=dict)
    municipality: str = ""

    def take(self, element: Element) -> None:
        kind = _local(element.tag)
        if kind == "GemeenteIdentificatie" and element.text:
            self.municipality = self.municipality or element.text.strip()
            return
        if kind not in WANTED or not _is_current(element):
            return
        identification = _text(element, "identificatie")
        if kind == "Woonplaats":
            self.towns[identification] = _text(element, "naam")
        elif kind == "OpenbareRuimte":
            self.streets[identification] = (_text(element, "naam"), _ref(element, "ligtIn"))
        elif kind == "Nummeraanduiding":
            self.numbers[identification] = (
                _text(element, "huisnummer"),
                _text(element, "huisletter"),
                _text(element, "huisnummertoevoeging"),
                _text(element, "postcode"),
                _ref(element, "ligtAan"),
                _ref(element, "ligtIn"),
            )
        else:
            x, y = _point(element)
            self.units[identification] = (
                OBJECT_TYPES[kind],
                _ref(element, "heeftAlsHoofdadres"),
                tuple(_all(element, "gebruiksdoel")),
                _text(element, "oppervlakte"),
                _text(element, "status"),
                x,
                y,
                tuple(_refs(element, "heeftAlsNevenadres")),
            )

    def _address(self, number_id: str) -> _AddressParts:
        house_number, letter, addition, postcode, street_id, town_id = self.numbers.get(
            number_id, ("", "", "", "", "", "")
        )
        street, street_town = self.streets.get(street_id, ("", ""))
        return {
            "address_id": number_id,
            "street": street,
            "house_number": house_number,
            "house_letter": letter,
            "house_number_addition": addition,
            "postcode": postcode,
            "town": self.towns.get(town_id or street_town, ""),
        }

    def units_with_addresses(self) -> Iterator[BagUnit]:
        """Each object with its main address, followed by its secondary addresses (nevenadressen)."""
        number = 0
        for object_id, (kind, main, purposes, area, status, x, y, secondary) in sorted(self.units.items()):
            number += 1
            yield BagUnit(
                number=number,
                object_id=object_id,
                object_type=kind,
                **self._address(main),
                floor_area=area,
                use_purposes=list(purposes),
                status=status,
                x=x,
                y=y,
            )
            for number_id in secondary:
                number += 1
                yield BagUnit(
                    number=number,
                    object_id=object_id,
                    object_type=kind,
                    is_secondary=True,
                    **self._address(number_id),
                    x=x,
                    y=y,
                )


# What operating systems leave in archives and folders: macOS's resource forks (AppleDouble files
# "._name", in zips under "__MACOSX/") and Finder settings, Windows' thumbnail caches. A "._x.xml" is
# binary, not XML: read as XML it made a whole delivery unreadable.
_LITTER_FOLDERS = frozenset({"__macosx"})
_LITTER_FILES = frozenset({".ds_store", "thumbs.db", "desktop.ini"})


def is_litter(name: str) -> bool:
    parts = [part for part in name.replace("\\", "/").split("/") if part]
    if not parts:
        return True
    return (
        any(part.lower() in _LITTER_FOLDERS for part in parts)
        or parts[-1].startswith("._")
        or parts[-1].lower() in _LITTER_FILES
    )


def _xml_streams(path: Path, label: str = "") -> Iterator[tuple[str, IO[bytes]]]:
    """(where, stream) for every XML file in a directory, a zip (also zips inside it) or the file
    itself; ``where`` names the file inside what was given, e.g. "9999VBO08012021.zip/9999VBO…xml"."""
    if path.is_dir():
        for member in sorted(path.rglob("*")):
            relative = member.relative_to(path).as_posix()
            if member.is_file() and member.suffix.lower() in (".xml", ".zip") and not is_litter(relative):
                yield from _xml_streams(member, relative)
    elif zipfile.is_zipfile(path):
        yield from _zip_streams(zipfile.ZipFile(path), f"{label}/" if label else "")
    else:
        with path.open("rb") as handle:
            yield label or path.name, handle


def _zip_streams(archive: zipfile.ZipFile, prefix: str) -> Iterator[tuple[str, IO[bytes]]]:
    for name in sorted(archive.namelist()):
        lower = name.lower()
        if is_litter(name):
            continue
        if lower.endswith(".xml"):
            with archive.open(name) as handle:
                yield prefix + name, handle
        elif lower.endswith(".zip"):
            with archive.open(name) as handle:
                inner = zipfile.ZipFile(io.BytesIO(handle.read()))
            yield from _zip_streams(inner, f"{prefix}{name}/")


def _unreadable(where: str, error: Exception) -> str:
    position = getattr(error, "position", None)
    reason = re.sub(r":? ?line \d+, column \d+$", "", str(error)) or type(error).__name__
    if position:
        return _("%(file)s, line %(line)s: the XML cannot be read: %(error)s") % {
            "file": where,
            "line": position[0],
            "error": reason,
        }
    return _("%(file)s: the XML cannot be read: %(error)s") % {"file": where, "error": reason}


def read_extract(path: Path, errors: list[RowError]) -> tuple[str, Iterator[BagUnit]]:
    """(municipality code named in the extract or '', the units with their main address)."""
    extract = _Extract()
    for where, stream in _xml_streams(path):
        try:
            context = iterparse(stream, events=("start", "end"))
            _event, root = next(context)
            for event, element in context:
                if event != "end":
                    continue
                name = _local(element.tag)
                if name in WANTED or name == "GemeenteIdentificatie":
                    extract.take(element)
                    if name in WANTED:
                        element.clear()
                        root.clear()
        except (SyntaxError, DefusedXmlException) as error:
            # SyntaxError: ElementTree's ParseError, which knows the line; the member names the file.
            errors.append(RowError(0, "", _unreadable(where, error)))
            return "", iter(())
    return extract.municipality, extract.units_with_addresses()
