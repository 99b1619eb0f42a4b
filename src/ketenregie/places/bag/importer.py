"""Importing BAG addresses and units: all or nothing, keyed on the addressable object id.

A unit the register already has is updated (and becomes complete: an address the BRP import created
as incomplete gets its BAG data); a new one is created. Every problem is reported with its row (CSV)
or object (XML) number before anything is written.

Secondary addresses (nevenadressen) are stored as addresses of their own that point to the main
address of the same object (``Address.main_address``), keyed on their nummeraanduiding. The house
letter is stored as delivered: the BAG has lower-case letters ("1l"), and lookups that people type
compare case-insensitively.
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
    secondary: int = 0  # secondary addresses (nevenadressen) read; created/updated count objects
    secondary_created: int = 0
    secondary_updated: int = 0
    municipalities: list[str] = field(default_factory=list)


def _validate(unit: BagUnit, errors: list[RowError]) -> dict[str, Any] | None:
    before = len(errors)

    def fail(column: str, message: str) -> None:
        errors.append(RowError(unit.number, column, message))

    for value, validator, column in (
        (unit.object_id, validate_bag_object_id, "object_id"),
        (unit.address_id, validate_bag_address_id, "nummeraanduiding"),
    ):
        if value or column == "object_id" or unit.is_secondary:
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
    if not unit.house_letter.isalpha() and unit.house_letter:
        fail("huisletter", _("%(value)s is not a house letter.") % {"value": unit.house_letter})
        return None
    return {
        "bag_object_id": unit.object_id,
        "bag_address_id": unit.address_id,
        "street": unit.street[:80],
        "house_number": int(unit.house_number),
        # As delivered: the BAG knows "1l" as well as "1L" (see docs/bag.md).
        "house_letter": unit.house_letter[:1],
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
    secondary: dict[str, list[dict[str, Any]]] = {}
    seen: dict[str, int] = {}
    report = BagReport()
    for unit in units:
        if unit.is_secondary:
            report.secondary += 1
        else:
            report.read += 1
        if report.read % 100_000 == 0 and not unit.is_secondary:
            progress(_("read %(count)s units") % {"count": f"{report.read:,}"})
        values = _validate(unit, errors)
        if values is None:
            if len(errors) >= MAX_REPORTED_ERRORS:
                break
            continue
        key, column = (
            (values["bag_address_id"], "nummeraanduiding")
            if unit.is_secondary
            else (values["bag_object_id"], "object_id")
        )
        first = seen.setdefault(key, unit.number)
        if first != unit.number:
            errors.append(
                RowError(
                    unit.number, column, _("%(value)s appears more than once in the file.") % {"value": key}
                )
            )
            continue
        code = municipality_code or extract_code or values["bag_object_id"][:4]
        (secondary if unit.is_secondary else rows).setdefault(code, []).append(values)
    objects = {v["bag_object_id"] for batch in rows.values() for v in batch}
    for batch in secondary.values():
        for values in batch:
            if values["bag_object_id"] not in objects:
                errors.append(
                    RowError(
                        0,
                        "nevenadres",
                        _("Secondary address %(id)s belongs to object %(object)s, which the file lacks.")
                        % {"id": values["bag_address_id"], "object": values["bag_object_id"]},
                    )
                )
    if not errors and not report.read:
        errors.append(RowError(0, "", _("The file holds no addresses.")))
    if errors:
        raise ImportRejected(errors[:MAX_REPORTED_ERRORS])
    with transaction.atomic():
        for code, batch in sorted(rows.items()):
            municipality, _created = ensure_municipality(code)
            report.municipalities.append(f"{municipality.code} {municipality.name}")
            _write(municipality, batch, report)
            _write_secondary(municipality, secondary.get(code, []), report)
            progress(
                _("wrote %(count)s units of %(name)s")
                % {"count": f"{len(batch):,}", "name": municipality.name}
            )
    return report


def _write(municipality: Municipality, rows: list[dict[str, Any]], report: BagReport) -> None:
    existing: dict[str, Address] = {}
    mains = Address.objects.filter(municipality=municipality, main_address__isnull=True)
    for ids in chunked([r["bag_object_id"] for r in rows], 5000):
        for address in mains.filter(bag_object_id__in=ids):
            existing[address.bag_object_id] = address
    # A nummeraanduiding belongs to one object: an incomplete address that holds it from the BRP
    # gives it up; a complete one holding it for another object is a real conflict.
    numbers = {r["bag_address_id"]: r["bag_object_id"] for r in rows if r["bag_address_id"]}
    holders = Address.objects.filter(municipality=municipality, bag_address_id__in=list(numbers))
    for holder in holders:
        if holder.bag_object_id != numbers[holder.bag_address_id]:
            if holder.main_address_id is not None or (
                holder.is_complete and holder.bag_object_id not in existing
            ):
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


# What a secondary address keeps of its own; the object's data stays on the main address.
SECONDARY_FIELDS = (
    "bag_object_id",
    "street",
    "house_number",
    "house_letter",
    "house_number_addition",
    "postcode",
    "town",
    "latitude",
    "longitude",
    "is_caravan",
)


def _write_secondary(municipality: Municipality, rows: list[dict[str, Any]], report: BagReport) -> None:
    """Store secondary addresses (nevenadressen) by nummeraanduiding, pointing to their main address.

    A nevenadres the BAG no longer delivers is left as it is: a stay address may still name it.
    """
    if not rows:
        return
    mains: dict[str, Address] = {}
    for ids in chunked(sorted({r["bag_object_id"] for r in rows}), 5000):
        for address in Address.objects.filter(
            municipality=municipality, main_address__isnull=True, bag_object_id__in=ids
        ):
            mains[address.bag_object_id] = address
    held: dict[str, Address] = {}
    for ids in chunked([r["bag_address_id"] for r in rows], 5000):
        for address in Address.objects.filter(municipality=municipality, bag_address_id__in=ids):
            held[address.bag_address_id] = address
    create: list[Address] = []
    update: list[Address] = []
    for values in rows:
        main = mains[values["bag_object_id"]]
        own = {name: values[name] for name in SECONDARY_FIELDS}
        found = held.get(values["bag_address_id"])
        if found is not None and found.main_address_id is None and not found.is_complete:
            # An address the BRP import created gives the number up, as for main addresses.
            Address.objects.filter(pk=found.pk).update(bag_address_id="")
            found = None
        if found is not None and found.main_address_id is None:
            # The nummeraanduiding is some object's main address in the register.
            raise ImportRejected(
                [
                    RowError(
                        0,
                        "nevenadres",
                        _("Nummeraanduiding %(id)s already belongs to addressable object %(other)s.")
                        % {"id": found.bag_address_id, "other": found.bag_object_id},
                    )
                ]
            )
        if found is None:
            create.append(
                Address(
                    municipality=municipality,
                    main_address=main,
                    bag_address_id=values["bag_address_id"],
                    use_purposes=[],
                    is_complete=True,
                    **own,
                )
            )
            continue
        if found.main_address_id == main.pk and all(getattr(found, k) == v for k, v in own.items()):
            continue
        found.main_address = main
        for name, value in own.items():
            setattr(found, name, value)
        found.version += 1
        update.append(found)
    bulk_insert(Address, create)
    Address.objects.bulk_update(
        update, [*SECONDARY_FIELDS, "main_address", "version", "updated_at"], batch_size=2000
    )
    report.secondary_created += len(create)
    report.secondary_updated += len(update)
    audit.record_bulk_change(
        Actor.system(municipality, name="import-bag"),
        model=Address,
        action=AuditAction.IMPORT,
        count=len(create) + len(update),
        detail={"secondary_created": len(create), "secondary_updated": len(update)},
    )
