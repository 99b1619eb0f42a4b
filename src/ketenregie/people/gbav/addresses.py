"""Which register address each address holding refers to; missing ones are created incomplete."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ketenregie.core.bulk import bulk_insert
from ketenregie.core.imports import chunked
from ketenregie.core.models import Municipality
from ketenregie.people.gbav.records import Holding
from ketenregie.people.gbav.report import GbavReport
from ketenregie.places.models import Address

if TYPE_CHECKING:
    from ketenregie.people.gbav.importer import Survey


def in_tenant(holding: Holding, tenant_code: str) -> bool:
    """Whether the holding lies in the municipality whose register the person is imported into."""
    if holding.is_abroad:
        return False
    code = holding.municipality_code or holding.bag_object_id[:4]
    return code == tenant_code


@dataclass
class AddressIndex:
    by_object: dict[str, int]
    by_local: dict[tuple[str, ...], int]

    @classmethod
    def build(cls, municipality: Municipality, survey: Survey, report: GbavReport) -> AddressIndex:
        code = municipality.code
        wanted = survey.objects.get(code, {})
        # One pass over the register's BAG ids: cheaper than many IN lookups for a large extract.
        by_object: dict[str, int] = dict(
            Address.objects.filter(municipality=municipality)
            .exclude(bag_object_id="")
            .values_list("bag_object_id", "pk")
            .iterator(chunk_size=20000)
        )
        missing = [h.bag_address_id for o, h in wanted.items() if o not in by_object and h.bag_address_id]
        taken_numbers: set[str] = set()
        for ids in chunked(sorted(missing), 5000):
            taken_numbers.update(
                Address.objects.filter(municipality=municipality, bag_address_id__in=ids).values_list(
                    "bag_address_id", flat=True
                )
            )
        new: list[Address] = []
        for object_id, holding in sorted(wanted.items()):
            if object_id in by_object:
                continue
            number = holding.bag_address_id if holding.bag_address_id not in taken_numbers else ""
            taken_numbers.add(number)
            new.append(_incomplete(municipality, holding, object_id=object_id, number_id=number))
        local = survey.local.get(code, {})
        by_local: dict[tuple[str, ...], int] = {}
        if local:
            for address in Address.objects.filter(
                municipality=municipality, bag_object_id="", is_complete=False
            ):
                by_local.setdefault(_local_key(address), address.pk)
        local_new: list[tuple[tuple[str, ...], Address]] = []
        for _raw_key, holding in sorted(local.items()):
            address = _incomplete(municipality, holding, object_id="", number_id="")
            key = _local_key(address)
            if key not in by_local and key not in dict(local_new):
                local_new.append((key, address))
        bulk_insert(Address, [*new, *(a for _k, a in local_new)])
        for address in new:
            by_object[address.bag_object_id] = address.pk
        for key, address in local_new:
            by_local[key] = address.pk
        report.incomplete_addresses.extend(
            f"{code} {a.bag_object_id or '-'} {a.label}" for a in [*new, *(a for _k, a in local_new)]
        )
        return cls(by_object=by_object, by_local=by_local)

    def address_id(self, holding: Holding, tenant_code: str) -> int | None:
        if not in_tenant(holding, tenant_code):
            return None
        if holding.bag_object_id:
            return self.by_object.get(holding.bag_object_id)
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
        house_letter=parts.get("house_letter", "").upper(),
        house_number_addition=parts.get("house_number_addition", ""),
        postcode=parts.get("postcode", "") if len(parts.get("postcode", "")) == 6 else "",
        town=(parts.get("town") or (municipality.name if municipality else ""))[:80],
        use_purposes=[],
        is_complete=False,
    )
    address.is_habitable_use = False
    return address
