"""Reads of addresses and neighbourhoods. Addresses are public BAG data; who lives there is not,
and comes from ``people.selectors``."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from django.core.paginator import Page
from django.db.models import Count, F, IntegerField, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from ketenregie.core import audit
from ketenregie.core.actor import Actor
from ketenregie.core.paging import paginate_by_key
from ketenregie.core.permissions import Capability
from ketenregie.core.selectors import municipalities, norms_for, records_by_ids
from ketenregie.places.models import Address, District, Neighbourhood

if TYPE_CHECKING:
    from ketenregie.core.models import Municipality

_POSTCODE_SEARCH = re.compile(r"^\s*([1-9]\d{3})\s?([A-Za-z]{2})\s*(\d+)?\s*$")
_STREET_NUMBER_SEARCH = re.compile(r"^\s*(.*?\D)\s+(\d+)\s*[A-Za-z]?\s*$")


@dataclass(frozen=True)
class AddressFilter:
    search: str = ""
    district_id: int | None = None
    neighbourhood_id: int | None = None
    habitable: bool | None = None
    incomplete: bool | None = None
    over_norm: bool | None = None
    order: str = "address"


ADDRESS_ORDERINGS: dict[str, list[str]] = {
    "address": ["street", "house_number", "house_letter", "house_number_addition", "id"],
    "postcode": ["postcode", "house_number", "house_letter", "house_number_addition", "id"],
    "-floor_area": ["-floor_area_m2", "id"],
    "floor_area": ["floor_area_m2", "id"],
}


def _apply_search(addresses: QuerySet[Address], search: str) -> QuerySet[Address]:
    search = search.strip()
    if not search:
        return addresses
    postcode = _POSTCODE_SEARCH.match(search)
    if postcode:
        addresses = addresses.filter(postcode=postcode.group(1) + postcode.group(2).upper())
        if postcode.group(3):
            addresses = addresses.filter(house_number=int(postcode.group(3)))
        return addresses
    if search.isdigit() and len(search) == 16:
        return addresses.filter(Q(bag_object_id=search) | Q(bag_address_id=search))
    street_number = _STREET_NUMBER_SEARCH.match(search)
    if street_number:
        return addresses.filter(
            street__icontains=street_number.group(1).strip(), house_number=int(street_number.group(2))
        )
    return addresses.filter(Q(street__icontains=search) | Q(town__icontains=search))


def address_keys(*, actor: Actor, filters: AddressFilter, on: dt.date | None = None) -> QuerySet[Address]:
    """The filtered, ordered addresses without per-row extras: the cheap query to page through."""
    actor.require(Capability.VIEW_REGISTERS)
    addresses = Address.objects.filter(municipality=actor.municipality, main_address__isnull=True)
    if filters.search.strip():
        # A secondary address (nevenadres) that matches finds the object under its main address.
        found = _apply_search(Address.objects.filter(municipality=actor.municipality), filters.search)
        addresses = addresses.filter(
            pk__in=found.annotate(object_pk=Coalesce("main_address_id", "pk")).values("object_pk")
        )
    if filters.neighbourhood_id:
        addresses = addresses.filter(neighbourhood_id=filters.neighbourhood_id)
    if filters.district_id:
        addresses = addresses.filter(neighbourhood__district_id=filters.district_id)
    if filters.habitable is not None:
        addresses = addresses.filter(is_habitable_use=filters.habitable)
    if filters.incomplete is not None:
        addresses = addresses.filter(is_complete=not filters.incomplete)
    if filters.over_norm is not None:
        norm = norms_for(actor.municipality).floor_area_per_person_m2
        addresses = with_registered_count(addresses, on)
        over = Q(floor_area_m2__isnull=False, registered_persons__gt=0) & Q(
            floor_area_m2__lt=F("registered_persons") * norm
        )
        addresses = addresses.filter(over) if filters.over_norm else addresses.exclude(over)
    return addresses.order_by(*ADDRESS_ORDERINGS.get(filters.order, ADDRESS_ORDERINGS["address"]))


def with_registered_count(
    addresses: QuerySet[Address], on: dt.date | None = None, *, register_only: bool = False
) -> QuerySet[Address]:
    """Annotates ``registered_persons``: the people living there on ``on`` by
    ``people.selectors.lives_on`` (the BRP's address or a stay address, each person once), or with
    ``register_only`` the people the BRP has registered there."""
    from ketenregie.people.selectors import registered_count_subquery

    if "registered_persons" in addresses.query.annotations:
        return addresses
    count = registered_count_subquery(on=on, register_only=register_only)
    return addresses.annotate(registered_persons=Coalesce(count, Value(0), output_field=IntegerField()))


def address_list(*, actor: Actor, filters: AddressFilter, on: dt.date | None = None) -> QuerySet[Address]:
    """Addresses of the actor's municipality with the number of people living there on ``on``."""
    addresses = address_keys(actor=actor, filters=filters, on=on)
    return load_address_rows(addresses, on=on)


def load_address_rows(addresses: QuerySet[Address], *, on: dt.date | None = None) -> QuerySet[Address]:
    """What a list row shows beyond the address itself: the neighbourhood and who is registered."""
    return with_registered_count(addresses, on).select_related("neighbourhood")


def address_page(
    *, actor: Actor, filters: AddressFilter, page_number: Any, per_page: int = 25, on: dt.date | None = None
) -> Page:
    """One page of ``address_list``; the count of registered people is computed for that page only."""
    return paginate_by_key(
        address_keys(actor=actor, filters=filters, on=on),
        page_number=page_number,
        per_page=per_page,
        load=lambda rows: load_address_rows(rows, on=on),
    )


def address_export(*, actor: Actor, filters: AddressFilter, file_format: str) -> Iterator[Address]:
    """All addresses matching the filters, for a CSV or Excel file; the export is audited."""
    addresses = address_list(actor=actor, filters=filters)
    audit.record_export(
        actor, model=Address, count=addresses.count(), file_format=file_format, filters=asdict(filters)
    )
    return addresses.iterator(chunk_size=2000)


def addresses_by_ids(*, actor: Actor, ids: Sequence[object]) -> list[Address] | None:
    """The addresses of the actor's municipality named by ``ids``; None when any id names none of them."""
    return records_by_ids(Address.objects.filter(municipality=actor.municipality), ids)


def address_get(*, actor: Actor, address_id: int) -> Address:
    actor.require(Capability.VIEW_REGISTERS)
    try:
        return Address.objects.select_related("neighbourhood__district").get(
            pk=address_id, municipality=actor.municipality
        )
    except Address.DoesNotExist:
        raise Http404("address not found") from None


def districts(*, actor: Actor) -> QuerySet[District]:
    return District.objects.filter(municipality=actor.municipality).order_by("name")


def neighbourhoods(*, actor: Actor) -> QuerySet[Neighbourhood]:
    return (
        Neighbourhood.objects.filter(municipality=actor.municipality)
        .select_related("district")
        .order_by("name")
    )


@dataclass(frozen=True)
class AddressKeyFigures:
    addresses: int
    habitable: int
    incomplete: int
    neighbourhoods: int


def address_key_figures(*, actor: Actor) -> AddressKeyFigures:
    actor.require(Capability.VIEW_KEY_FIGURES)
    totals = Address.objects.filter(municipality=actor.municipality).aggregate(
        addresses=Count("id"),
        habitable=Count("id", filter=Q(is_habitable_use=True)),
        incomplete=Count("id", filter=Q(is_complete=False)),
    )
    return AddressKeyFigures(
        neighbourhoods=Neighbourhood.objects.filter(municipality=actor.municipality).count(), **totals
    )


def address_find(
    *, actor: Actor, postcode: str, house_number: int, house_letter: str = "", house_number_addition: str = ""
) -> Address | None:
    """The address with exactly this postcode and house number (letter and addition included)."""
    return Address.objects.filter(
        municipality=actor.municipality,
        postcode=postcode,
        house_number=house_number,
        house_letter__iexact=house_letter or "",
        house_number_addition__iexact=house_number_addition or "",
    ).first()


AddressRow = tuple[int, str, int, str, str]


def address_rows_by_postcode(*, actor: Actor, postcodes: Iterable[str]) -> list[AddressRow]:
    """(id, postcode, house number, letter, addition) of every address with these postcodes, for the
    delivery importers that match delivered addresses in bulk. Register data, no personal data."""
    actor.require(Capability.DELIVER_DATA)
    wanted = sorted(set(postcodes))
    rows: list[AddressRow] = []
    for start in range(0, len(wanted), 2000):
        rows.extend(
            Address.objects.filter(
                municipality=actor.municipality, postcode__in=wanted[start : start + 2000]
            ).values_list("pk", "postcode", "house_number", "house_letter", "house_number_addition")
        )
    return rows


def address_find_by_id(*, actor: Actor, address_id: int | None) -> Address | None:
    """The address with this id in the actor's municipality, or None (a review's delivered address)."""
    actor.require(Capability.VIEW_REGISTERS)
    if not address_id:
        return None
    return Address.objects.filter(municipality=actor.municipality, pk=address_id).first()


def address_labels(municipality: Municipality) -> dict[int, str]:
    """Every address of the municipality as id → one-line label, for files that name the addresses they
    list (the risk command's export)."""
    return {
        address.pk: address.label
        for address in Address.objects.filter(municipality=municipality).only(
            "street", "house_number", "house_letter", "house_number_addition", "postcode", "town"
        )
    }


def municipalities_knowing(bag_object_id: str) -> list[Municipality]:
    """The municipalities whose address register has this BAG addressable object: one, as a rule; none
    when the object is unknown; several where registers overlap."""
    return list(
        municipalities().filter(
            pk__in=Address.objects.filter(bag_object_id=bag_object_id).values("municipality_id")
        )
    )
