"""Step 1 of the generator: districts, neighbourhoods and BAG addresses."""

from __future__ import annotations

import math
import random

from ketenregie.demo.context import AddressInfo, GenerationContext, bulk_create
from ketenregie.demo.names import STREET_STEMS, STREET_SUFFIXES
from ketenregie.places.models import Address, BagStatus, District, Neighbourhood, UsePurpose, is_habitable

# (use purposes, weight): most addresses are dwellings; shops, offices and industry follow the BAG mix.
USE_MIX: tuple[tuple[tuple[str, ...], float], ...] = (
    ((UsePurpose.RESIDENTIAL,), 0.905),
    ((UsePurpose.LODGING,), 0.004),
    ((UsePurpose.RETAIL,), 0.03),
    ((UsePurpose.OFFICE,), 0.02),
    ((UsePurpose.INDUSTRIAL,), 0.018),
    ((UsePurpose.RESIDENTIAL, UsePurpose.OFFICE), 0.006),
    ((UsePurpose.ASSEMBLY,), 0.005),
    ((UsePurpose.EDUCATION,), 0.003),
    ((UsePurpose.HEALTHCARE,), 0.003),
    ((UsePurpose.SPORT,), 0.002),
    ((UsePurpose.OTHER,), 0.004),
)
_STREET_PREFIXES = (
    "",
    "",
    "Korte ",
    "Lange ",
    "Oude ",
    "Nieuwe ",
    "Noorder",
    "Zuider",
    "Ooster",
    "Wester",
    "Groot-",
    "Klein-",
)
_LETTERS = [
    a + b for a in "ABCDEFGHJKLMNPRSTVWXZ" for b in "ABCDEFGHJKLMNPRSTVWXZ" if a + b not in {"SA", "SD", "SS"}
]


def _allocate(total: int, weights: list[float]) -> list[int]:
    """Split ``total`` over ``weights`` with the largest-remainder method (deterministic)."""
    scale = total / sum(weights)
    raw = [w * scale for w in weights]
    counts = [math.floor(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: raw[i] - counts[i], reverse=True)
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


def build_places(ctx: GenerationContext) -> None:
    profile, rng, municipality = ctx.profile, ctx.rng, ctx.municipality
    total = ctx.scaled(profile.addresses, 300)
    specs: list[tuple[int, str, float, float, bool, tuple[int, int]]] = []
    district_objects = []
    for d_index, district in enumerate(profile.districts, start=1):
        district_objects.append(
            District(municipality=municipality, code=f"WK{profile.cbs_code}{d_index:02d}", name=district.name)
        )
        for name in district.neighbourhoods:
            priority = name in profile.priority_neighbourhoods
            weight = district.weight / len(district.neighbourhoods) * rng.uniform(0.7, 1.3)
            specs.append(
                (
                    d_index,
                    name,
                    weight,
                    district.migrant_weight * (2.5 if priority else 1.0),
                    priority,
                    district.floor_area,
                )
            )
    districts = bulk_create(District, district_objects)
    neighbourhood_objects = []
    per_district: dict[int, int] = {}
    for d_index, name, _w, _m, priority, _area in specs:
        per_district[d_index] = per_district.get(d_index, 0) + 1
        neighbourhood_objects.append(
            Neighbourhood(
                municipality=municipality,
                district=districts[d_index - 1],
                code=f"BU{profile.cbs_code}{d_index:02d}{per_district[d_index]:02d}",
                name=name,
                is_priority=priority,
            )
        )
    neighbourhoods = bulk_create(Neighbourhood, neighbourhood_objects)
    counts = _allocate(total, [s[2] for s in specs])
    ctx.progress(f"  {len(districts)} districts, {len(neighbourhoods)} neighbourhoods, {total:,} addresses")

    used_streets: set[str] = set()
    postcode_number = profile.postcode_start
    object_seq = 100_000
    lat0, lon0 = profile.centre
    pending: list[Address] = []
    infos: list[tuple[int, bool, bool, int | None, float, bool]] = []
    for index, (spec, count) in enumerate(zip(specs, counts, strict=True)):
        _d, _name, _w, migrant_weight, priority, (area_low, area_high) = spec
        angle = 2 * math.pi * index / len(specs)
        radius = 0.015 + 0.05 * rng.random()
        centre_lat, centre_lon = lat0 + radius * math.sin(angle) * 0.7, lon0 + radius * math.cos(angle)
        neighbourhood = neighbourhoods[index]
        letters = iter(_LETTERS)
        postcode = f"{postcode_number}{next(letters)}"
        in_postcode = 0
        remaining = count
        while remaining > 0:
            street = _street_name(rng, used_streets)
            length = min(remaining, rng.randint(20, 140))
            remaining -= length
            for number in range(1, length + 1):
                if in_postcode >= rng.randint(12, 30):
                    try:
                        postcode = f"{postcode_number}{next(letters)}"
                    except StopIteration:
                        postcode_number = (
                            postcode_number + 1
                            if postcode_number < profile.postcode_end
                            else (profile.postcode_start)
                        )
                        letters = iter(_LETTERS)
                        postcode = f"{postcode_number}{next(letters)}"
                    in_postcode = 0
                in_postcode += 1
                object_seq += 1
                uses = list(ctx.weighted(USE_MIX))
                caravan = uses == [UsePurpose.RESIDENTIAL] and rng.random() < 0.002
                area: int | None = int(rng.triangular(area_low, area_high * 1.4, (area_low + area_high) / 2))
                if UsePurpose.LODGING in uses:
                    area = rng.randint(250, 2400)
                elif not is_habitable(uses):
                    area = rng.randint(60, 3000)
                elif caravan:
                    area = rng.randint(30, 60)
                if rng.random() < 0.005:
                    area = None
                complete = rng.random() > 0.0015
                letter = rng.choice("ABCD") if rng.random() < 0.05 else ""
                pending.append(
                    Address(
                        municipality=municipality,
                        bag_object_id=f"{profile.cbs_code}{'03' if caravan else '01'}{object_seq:010d}"
                        if complete
                        else "",
                        bag_address_id=f"{profile.cbs_code}20{object_seq:010d}" if complete else "",
                        street=street,
                        house_number=number,
                        house_letter=letter,
                        postcode=postcode,
                        town=profile.town,
                        neighbourhood=neighbourhood,
                        floor_area_m2=area,
                        use_purposes=uses,
                        is_habitable_use=is_habitable(uses),
                        is_caravan=caravan,
                        bag_status=BagStatus.IN_USE if rng.random() > 0.006 else BagStatus.RENOVATION,
                        latitude=round(rng.gauss(centre_lat, 0.004), 6),
                        longitude=round(rng.gauss(centre_lon, 0.006), 6),
                        is_complete=complete,
                    )
                )
                infos.append(
                    (index, is_habitable(uses), UsePurpose.LODGING in uses, area, migrant_weight, priority)
                )
        postcode_number = (
            postcode_number + 1 if postcode_number < profile.postcode_end else profile.postcode_start
        )
        if len(pending) >= 20_000:
            _flush(ctx, pending, infos)
    _flush(ctx, pending, infos)
    ctx.count("addresses", len(ctx.addresses))


def _flush(
    ctx: GenerationContext,
    pending: list[Address],
    infos: list[tuple[int, bool, bool, int | None, float, bool]],
) -> None:
    created = bulk_create(Address, pending)
    for address, (n_index, habitable, lodging, area, migrant_weight, priority) in zip(
        created, infos, strict=True
    ):
        ctx.addresses.append(
            AddressInfo(
                pk=address.pk,
                neighbourhood=n_index,
                floor_area=area,
                habitable=habitable,
                lodging=lodging,
                priority=priority,
                migrant_weight=migrant_weight,
            )
        )
        if lodging:
            ctx.lodging_address_ids.append(address.pk)
    ctx.progress(f"  addresses: {len(ctx.addresses):,}")
    pending.clear()
    infos.clear()


def _street_name(rng: random.Random, used: set[str]) -> str:
    for prefix in _STREET_PREFIXES:
        for _attempt in range(8):
            name = prefix + rng.choice(STREET_STEMS) + rng.choice(STREET_SUFFIXES)
            if name not in used:
                used.add(name)
                return name
    name = f"{rng.choice(STREET_STEMS)}{rng.choice(STREET_SUFFIXES)} {len(used)}"
    used.add(name)
    return name
