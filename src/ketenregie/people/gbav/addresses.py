"""Which register address each address holding refers to; missing ones are created incomplete."""

from __future__ import annotations

from collections.abc import Iterable

from ketenregie.core.bulk import bulk_insert
from ketenregie.core.models import Municipality
from ketenregie.people.gbav.records import Holding, PersonRecord
from ketenregie.people.gbav.report import GbavReport
from ketenregie.places.models import Address


def in_tenant(holding: Holding, tenant_code: str) -> bool:
    """Whether the holding lies in the municipality whose register the person is imported into."""
    if holding.is_abroad:
        return False
    code = holding.municipality_code or holding.bag_object_id[:4]
    return code == tenant_code


class AddressIndex:
    """The register addresses of one municipality by BAG id and, for addresses without one, by
    street and number; what a chunk of records names and the register lacks is created incomplete."""

    def __init__(self, municipality: Municipality, report: GbavReport) -> None:
        self.municipality = municipality
        self.report = report
        addresses = Address.objects.filter(municipality=municipality)
        # One pass over the register: cheaper than many IN lookups for a large extract.
        objects = (
            addresses.exclude(bag_object_id="")
            .filter(main_address__isnull=True)
            .values_list("bag_object_id", "pk")
        )
        self.by_object: dict[str, int] = dict(objects.iterator(chunk_size=20000))
        # Secondary addresses (nevenadressen) by nummeraanduiding: a holding at one is stored there.
        secondary = addresses.filter(main_address__isnull=False).values_list("bag_address_id", "pk")
        self.by_secondary_number: dict[str, int] = dict(secondary.iterator(chunk_size=20000))
        self.numbers: set[str] = set(
            addresses.exclude(bag_address_id="")
            .values_list("bag_address_id", flat=True)
            .iterator(chunk_size=20000)
        )
        self.by_local: dict[tuple[str, ...], int] = {
            _local_key(a): a.pk for a in addresses.filter(bag_object_id="", is_complete=False)
        }

    def prepare(self, records: Iterable[PersonRecord]) -> None:
        code = self.municipality.code
        new: dict[str, Address] = {}
        new_local: dict[tuple[str, ...], Address] = {}
        for record in records:
            for holding in record.holdings:
                if not in_tenant(holding, code):
                    continue
                if holding.bag_object_id:
                    object_id = holding.bag_object_id
                    if object_id in self.by_object or object_id in new:
                        continue
                    number = holding.bag_address_id if holding.bag_address_id not in self.numbers else ""
                    self.numbers.add(number)
                    new[object_id] = _incomplete(
                        self.municipality, holding, object_id=object_id, number_id=number
                    )
                elif holding.local_key is not None:
                    address = _incomplete(self.municipality, holding, object_id="", number_id="")
                    key = _local_key(address)
                    if key not in self.by_local and key not in new_local:
                        new_local[key] = address
        created = [*new.values(), *new_local.values()]
        if not created:
            return
        bulk_insert(Address, created)
        self.by_object.update((object_id, a.pk) for object_id, a in new.items())
        self.by_local.update((key, a.pk) for key, a in new_local.items())
        self.report.incomplete_addresses.extend(f"{code} {a.bag_object_id or '-'} {a.label}" for a in created)

    def address_id(self, holding: Holding, tenant_code: str) -> int | None:
        if not in_tenant(holding, tenant_code):
            return None
        if holding.bag_object_id:
            secondary = self.by_secondary_number.get(holding.bag_address_id)
            return secondary or self.by_object.get(holding.bag_object_id)
        if holding.local_key is None:
            return None
        return self.by_local.get(_local_key(_incomplete(None, holding, object_id="", number_id="")))


def _local_key(address: Address) -> tuple[str, ...]:
    return (
        address.street,
        str(address.house_number),
        address.house_letter,
        address.house_number_addition,
        address.postcode,
    )


def _incomplete(
    municipality: Municipality | None, holding: Holding, *, object_id: str, number_id: str
) -> Address:
    """The incomplete address a holding names (unsaved); without a municipality only for its key."""
    parts = holding.brp_address
    address = Address(
        municipality=municipality,
        bag_object_id=object_id,
        bag_address_id=number_id,
        street=(parts.get("street") or parts.get("location") or "?")[:80],
        house_number=parts.get("house_number") or 0,
        house_letter=parts.get("house_letter", ""),  # as the BRP delivers it, as the BAG import does
        house_number_addition=parts.get("house_number_addition", ""),
        postcode=parts.get("postcode", "") if len(parts.get("postcode", "")) == 6 else "",
        town=(parts.get("town") or (municipality.name if municipality else ""))[:80],
        use_purposes=[],
        is_complete=False,
    )
    address.is_habitable_use = False
    return address
