"""Importing BAG addresses and units: all or nothing, keyed on the addressable object id.

A unit the register already has is updated (and becomes complete: an address the BRP import created
as incomplete gets its BAG data); a new one is created. Every problem is reported with its row (CSV)
or object (XML) number before anything is written.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ketenregie.core import audit
from ketenregie.core.actor import Actor
from ketenregie.core.bulk import bulk_insert
from ketenregie.core.imports import MAX_REPORTED_ERRORS, ImportRejected, RowError, chunked
from ketenregie.core.models import AuditAction, Municipality
from ketenregie.core.municipality_codes import ensure_municipality
from ketenregie.core.validators import normalise_postcode, validate_bag_address_id, validate_bag_object_id
from ketenregie.places.bag.readers import BagUnit, read_csv, read_extract
from ketenregie.places.models import Address, UsePurpose, is_habitable

FIELDS = (
    "bag_address_id",
    "street",
    "house_number",
    "house_letter",
    "house_number_addition",
    "postcode",
    "town",
    "floor_area_m2",
    "use_purposes",
    "bag_status",
    "latitude",
    "longitude",
    "is_caravan",
    "is_complete",
    "is_habitable_use",
)
_NUMBER = re.compile(r"^\d{1,5}$")
Progress = Callable[[str], None]


@dataclass
class BagReport:
    read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    completed: int = 0
    municipalities: list[str] = field(default_factory=list)


def _validate(unit: BagUnit, errors: list[RowError]) -> dict[str, Any] | None:
    before = len(errors)

    def fail(column: str, message: str) -> None:
        errors.append(RowError(unit.number, column, message))

    for value, validator, column in (
        (unit.object_id, validate_bag_object_id, "object_id"),
        (unit.address_id, validate_bag_address_id, "nummeraanduiding"),
    ):
        if value or column == "object_id":
            try:
                validator(value)
            except ValidationError as error:
                fail(column, f"{value or '–'}: {error.messages[0]}")
    if not unit.street:
        fail("openbareruimte", _("The street is missing."))
    if not _NUMBER.match(unit.house_number) or int(unit.house_number) == 0:
        fail("huisnummer", _("%(value)s is not a house number.") % {"value": unit.house_number or "–"})
    postcode = ""
    if unit.postcode:
        try:
            postcode = normalise_postcode(unit.postcode)
        except ValidationError as error:
            fail("postcode", f"{unit.postcode}: {error.messages[0]}")
    area: int | None = None
    if unit.floor_area:
        if unit.floor_area.isdigit() and 1 <= int(unit.floor_area) <= 1_000_000:
            area = int(unit.floor_area)
        else:
            fail("oppervlakte", _("%(value)s is not a floor area in m².") % {"value": unit.floor_area})
    unknown = [p for p in unit.use_purposes if p not in UsePurpose.values]
    if unknown:
        fail("gebruiksdoel", _("Unknown use purpose: %(values)s.") % {"values": ", ".join(unknown)})
    if len(errors) > before:
        return None
    latitude, longitude = unit.coordinates()
    purposes = sorted(set(unit.use_purposes))
    return {
        "bag_object_id": unit.object_id,
        "bag_address_id": unit.address_id,
        "street": unit.street[:80],
        "house_number": int(unit.house_number),
        "house_letter": unit.house_letter[:1].upper(),
        "house_number_addition": unit.house_number_addition[:4],
        "postcode": postcode,
        "town": unit.town[:80],
        "floor_area_m2": area,
        "use_purposes": purposes,
        "bag_status": unit.status[:60],
        "latitude": latitude,
        "longitude": longitude,
        "is_caravan": unit.object_type == "STA",
        "is_complete": True,
        "is_habitable_use": is_habitable(purposes),
    }


def read_units(path: Path, errors: list[RowError]) -> tuple[str, Iterable[BagUnit]]:
    if path.suffix.lower() in (".csv", ".txt"):
        stream = path.open(encoding="utf-8-sig", newline="")
        return "", read_csv(stream, errors)
    return read_extract(path, errors)


def import_bag(
    path: Path, *, municipality_code: str | None = None, progress: Progress = lambda message: None
) -> BagReport:
    """Import a BAG CSV export or BAG 2.0 extract; raises ImportRejected on any problem."""
    errors: list[RowError] = []
    extract_code, units = read_units(path, errors)
    rows: dict[str, list[dict[str, Any]]] = {}
    seen: dict[str, int] = {}
    report = BagReport()
    for unit in units:
        report.read += 1
        if report.read % 100_000 == 0:
            progress(_("read %(count)s units") % {"count": f"{report.read:,}"})
        values = _validate(unit, errors)
        if values is None:
            if len(errors) >= MAX_REPORTED_ERRORS:
                break
            continue
        first = seen.setdefault(values["bag_object_id"], unit.number)
        if first != unit.number:
            errors.append(
                RowError(
                    unit.number,
                    "object_id",
                    _("%(value)s appears more than once in the file.") % {"value": unit.object_id},
                )
            )
            continue
        code = municipality_code or extract_code or values["bag_object_id"][:4]
        rows.setdefault(code, []).append(values)
    if not errors and not report.read:
        errors.append(RowError(0, "", _("The file holds no addresses.")))
    if errors:
        raise ImportRejected(errors[:MAX_REPORTED_ERRORS])
    with transaction.atomic():
        for code, batch in sorted(rows.items()):
            municipality, _created = ensure_municipality(code)
            report.municipalities.append(f"{municipality.code} {municipality.name}")
            _write(municipality, batch, report)
            progress(
                _("wrote %(count)s units of %(name)s")
                % {"count": f"{len(batch):,}", "name": municipality.name}
            )
    return report


def _write(municipality: Municipality, rows: list[dict[str, Any]], report: BagReport) -> None:
    existing: dict[str, Address] = {}
    for ids in chunked([r["bag_object_id"] for r in rows], 5000):
        for address in Address.objects.filter(municipality=municipality, bag_object_id__in=ids):
            existing[address.bag_object_id] = address
    # A nummeraanduiding belongs to one object: an incomplete address that holds it from the BRP
    # gives it up; a complete one holding it for another object is a real conflict.
    numbers = {r["bag_address_id"]: r["bag_object_id"] for r in rows if r["bag_address_id"]}
    holders = Address.objects.filter(municipality=municipality, bag_address_id__in=list(numbers))
    for holder in holders:
        if holder.bag_object_id != numbers[holder.bag_address_id]:
            if holder.is_complete and holder.bag_object_id not in existing:
                raise ImportRejected(
                    [
                        RowError(
                            0,
                            "nummeraanduiding",
                            _("Nummeraanduiding %(id)s already belongs to addressable object %(other)s.")
                            % {"id": holder.bag_address_id, "other": holder.bag_object_id},
                        )
                    ]
                )
            Address.objects.filter(pk=holder.pk).update(bag_address_id="")
            if holder.bag_object_id in existing:
                existing[holder.bag_object_id].bag_address_id = ""
    create: list[Address] = []
    update: list[Address] = []
    for values in rows:
        found = existing.get(values["bag_object_id"])
        if found is None:
            create.append(Address(municipality=municipality, **values))
            continue
        address = found
        changed = [name for name in FIELDS if getattr(address, name) != values[name]]
        if not changed:
            report.unchanged += 1
            continue
        report.completed += not address.is_complete
        for name in FIELDS:
            setattr(address, name, values[name])
        address.version += 1
        update.append(address)
    bulk_insert(Address, create)
    Address.objects.bulk_update(update, [*FIELDS, "version", "updated_at"], batch_size=2000)
    report.created += len(create)
    report.updated += len(update)
    audit.record_bulk_change(
        Actor.system(municipality, name="import-bag"),
        model=Address,
        action=AuditAction.IMPORT,
        count=len(create) + len(update),
        detail={"created": len(create), "updated": len(update)},
    )
