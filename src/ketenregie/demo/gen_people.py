"""Step 2 of the generator: residents, labour migrants, their residence history and the planted
ground truth (overcrowding, unregistered occupants, address fraud, living in non-residential units)."""

from __future__ import annotations

import datetime as dt
import math

from ketenregie.demo.context import AddressInfo, GenerationContext, bulk_create
from ketenregie.demo.models import PlantedCondition, PlantedConditionKind
from ketenregie.demo.names import GIVEN_NAMES, SURNAMES
from ketenregie.demo.profiles import LANGUAGE_OF, MIGRANT_NATIONALITIES, MIGRANT_SECTORS
from ketenregie.people.models import (
    LabourMigrant,
    Person,
    RegistrationStatus,
    Residence,
    ResidenceSource,
    VerificationStatus,
)

HOUSEHOLD_SIZES = ((0, 0.05), (1, 0.36), (2, 0.29), (3, 0.13), (4, 0.11), (5, 0.05), (6, 0.01))
NORM_M2 = 12


def _person(ctx: GenerationContext, nationality: str, *, status: str, born_from: int, born_to: int) -> Person:
    rng = ctx.rng
    pool = nationality if nationality in SURNAMES else "NL"
    surname = rng.choice(SURNAMES[pool])
    prefix = ""
    if pool == "NL" and surname.split(" ")[0] in {"de", "van", "van der", "van den"}:
        prefix, _, surname = surname.partition(" ")
        if surname.startswith(("der ", "den ", "de ")):
            extra, _, surname = surname.partition(" ")
            prefix = f"{prefix} {extra}"
    birth = dt.date(rng.randint(born_from, born_to), rng.randint(1, 12), rng.randint(1, 28))
    language = LANGUAGE_OF.get(nationality, "nl")
    return Person(
        municipality=ctx.municipality,
        bsn=ctx.next_bsn() if status != RegistrationStatus.NOT_REGISTERED else "",
        given_names=rng.choice(GIVEN_NAMES[pool]),
        surname_prefix=prefix,
        surname=surname,
        birth_date=birth,
        nationality=nationality,
        registration_status=status,
        languages=[language] if language == "nl" else [language, "en"] if rng.random() < 0.4 else [language],
        phone=f"+31 6 {rng.randint(10000000, 99999999)}" if rng.random() < 0.5 else "",
        is_secret=rng.random() < 0.004,
    )


def build_natives(ctx: GenerationContext) -> None:
    """Households at regular dwellings, with a previous address for a quarter of them."""
    rng, ref = ctx.rng, ctx.reference_date
    regular = [
        a for a in ctx.addresses if a.habitable and not a.lodging and a.pk not in ctx.migrant_addresses
    ]
    people: list[Person] = []
    homes: list[tuple[int, dt.date, int | None, dt.date | None]] = []
    for address in regular:
        size = ctx.weighted(HOUSEHOLD_SIZES)
        if address.floor_area is not None:
            size = min(size, max(1, address.floor_area // NORM_M2))
        moved_in = ctx.date_between(ref - dt.timedelta(days=365 * 30), ref - dt.timedelta(days=20))
        previous = rng.choice(regular).pk if rng.random() < 0.25 else None
        previous_start = moved_in - dt.timedelta(days=rng.randint(300, 4000)) if previous else None
        for _ in range(size):
            nationality = (
                "NL" if rng.random() < 0.9 else rng.choice(("TR", "MA", "SR", "CV", "DE", "BE", "GB"))
            )
            people.append(
                _person(
                    ctx, nationality, status=RegistrationStatus.RESIDENT, born_from=1940, born_to=ref.year - 1
                )
            )
            homes.append((address.pk, moved_in, previous, previous_start))
        if len(people) >= 20_000:
            _flush_natives(ctx, people, homes)
    _flush_natives(ctx, people, homes)


def _flush_natives(
    ctx: GenerationContext, people: list[Person], homes: list[tuple[int, dt.date, int | None, dt.date | None]]
) -> None:
    created = bulk_create(Person, people)
    residences = []
    for person, (address_id, moved_in, previous, previous_start) in zip(created, homes, strict=True):
        starts_on = max(moved_in, person.birth_date)
        residences.append(
            Residence(
                municipality=ctx.municipality,
                person=person,
                address_id=address_id,
                starts_on=starts_on,
                source=ResidenceSource.BRP,
                verification_status=VerificationStatus.VERIFIED,
            )
        )
        if previous and previous_start and previous_start > person.birth_date and previous_start < starts_on:
            residences.append(
                Residence(
                    municipality=ctx.municipality,
                    person=person,
                    address_id=previous,
                    starts_on=previous_start,
                    ends_on=starts_on,
                    source=ResidenceSource.BRP,
                    verification_status=VerificationStatus.VERIFIED,
                )
            )
    bulk_create(Residence, residences)
    ctx.count("people", len(created))
    ctx.count("residences", len(residences))
    ctx.progress(f"  residents: {ctx.counts['people']:,}")
    people.clear()
    homes.clear()


class MigrantWriter:
    """Collects labour migrants with their residences, and writes them in batches."""

    def __init__(self, ctx: GenerationContext) -> None:
        self.ctx = ctx
        self.people: list[Person] = []
        self.profiles: list[dict[str, object]] = []
        self.stays: list[list[tuple[int, dt.date, dt.date | None, str]]] = []
        self.tags: list[int | None] = []

    def add(
        self,
        *,
        stays: list[tuple[int, dt.date, dt.date | None, str]],
        status: str,
        agency_address: int | None = None,
    ) -> None:
        ctx = self.ctx
        nationality = ctx.weighted(MIGRANT_NATIONALITIES)
        person = _person(
            ctx,
            nationality,
            status=status,
            born_from=ctx.reference_date.year - 62,
            born_to=ctx.reference_date.year - 19,
        )
        first_stay = min((s[1] for s in stays), default=ctx.reference_date)
        arrival = first_stay - dt.timedelta(days=ctx.rng.randint(0, 40))
        self.people.append(person)
        self.profiles.append(
            {
                "country_of_origin": nationality,
                "arrival_date": arrival,
                "sector": ctx.weighted(MIGRANT_SECTORS),
            }
        )
        self.stays.append(stays)
        self.tags.append(agency_address)
        if len(self.people) >= 10_000:
            self.flush()

    def flush(self) -> None:
        ctx = self.ctx
        if not self.people:
            return
        created = bulk_create(Person, self.people)
        bulk_create(
            LabourMigrant,
            [
                LabourMigrant(person=p, municipality=ctx.municipality, **profile)
                for p, profile in zip(created, self.profiles, strict=True)
            ],
        )
        residences = []
        for person, profile, stays, tag in zip(created, self.profiles, self.stays, self.tags, strict=True):
            ctx.migrant_ids.append(person.pk)
            ctx.migrant_sector[person.pk] = str(profile["sector"])
            ctx.migrant_arrival[person.pk] = profile["arrival_date"]  # type: ignore[assignment]
            if tag is not None:
                ctx.agency_housed.setdefault(tag, []).append(person.pk)
            open_stays = [s for s in stays if s[2] is None]
            ctx.migrant_left_on[person.pk] = None if open_stays else max(s[2] for s in stays if s[2])
            for address_id, starts_on, ends_on, source in stays:
                ctx.migrant_addresses.add(address_id)
                residences.append(
                    Residence(
                        municipality=ctx.municipality,
                        person=person,
                        address_id=address_id,
                        starts_on=starts_on,
                        ends_on=ends_on,
                        source=source,
                        verification_status=VerificationStatus.VERIFIED
                        if source == ResidenceSource.BRP
                        else VerificationStatus.UNVERIFIED,
                    )
                )
        bulk_create(Residence, residences)
        ctx.count("labour_migrants", len(created))
        ctx.count(
            "current_labour_migrants",
            sum(1 for s in self.stays if any(end is None for _a, _s, end, _src in s)),
        )
        ctx.count("people", len(created))
        ctx.count("residences", len(residences))
        self.people.clear()
        self.profiles.clear()
        self.stays.clear()
        self.tags.clear()


def _pick(ctx: GenerationContext, candidates: list[AddressInfo], k: int, *, small: bool) -> list[AddressInfo]:
    """Weighted sample without replacement: migrant density, and smaller homes when ``small``."""
    rng = ctx.rng
    keyed = []
    for address in candidates:
        weight = address.migrant_weight
        if small and address.floor_area:
            weight *= 80 / max(address.floor_area, 25)
        keyed.append((rng.random() ** (1 / weight), address))
    keyed.sort(key=lambda pair: pair[0], reverse=True)
    return [address for _key, address in keyed[:k]]


def build_migrants(ctx: GenerationContext) -> None:
    """Labour migrants in four situations, with the ground truth of each planted address recorded."""
    rng, ref, profile = ctx.rng, ctx.reference_date, ctx.profile
    target = ctx.scaled(profile.labour_migrants, 60)
    regular = [a for a in ctx.addresses if a.habitable and not a.lodging and a.floor_area]
    non_residential = [a for a in ctx.addresses if not a.habitable and a.floor_area and a.floor_area < 800]
    writer = MigrantWriter(ctx)
    planted: list[PlantedCondition] = []
    taken: set[int] = set()

    def status() -> str:
        return (
            RegistrationStatus.NON_RESIDENT
            if rng.random() < profile.rni_share
            else RegistrationStatus.RESIDENT
        )

    def source(person_status: str) -> str:
        return (
            ResidenceSource.RNI if person_status == RegistrationStatus.NON_RESIDENT else ResidenceSource.BRP
        )

    def recent(days: int) -> dt.date:
        return ref - dt.timedelta(days=rng.randint(10, days))

    # a) Overcrowded shared houses: more people than 12 m² each; some of them not registered at all.
    overcrowded = _pick(ctx, regular, max(3, round(len(regular) * profile.overcrowded_share)), small=True)
    for address in overcrowded:
        taken.add(address.pk)
        assert address.floor_area is not None
        actual = max(4, math.ceil(address.floor_area / NORM_M2) + rng.randint(1, 5))
        registered = actual if rng.random() < 0.55 else rng.randint(1, max(1, actual // 2))
        since = recent(900)
        for _ in range(registered):
            person_status = status()
            writer.add(
                stays=[(address.pk, recent(300), None, source(person_status))],
                status=person_status,
                agency_address=address.pk,
            )
        _past_occupants(ctx, writer, address, rng.randint(3, 10))
        planted.append(
            PlantedCondition(
                municipality=ctx.municipality,
                address_id=address.pk,
                kind=(PlantedConditionKind.OVERCROWDING),
                actual_occupants=actual,
                since=since,
            )
        )
        if registered < actual:
            planted.append(
                PlantedCondition(
                    municipality=ctx.municipality,
                    address_id=address.pk,
                    kind=PlantedConditionKind.UNREGISTERED_OCCUPANTS,
                    actual_occupants=actual,
                    since=since,
                )
            )
    # b) Address fraud: several people registered where (almost) nobody lives.
    fraud = _pick(
        ctx, [a for a in regular if a.pk not in taken], max(2, round(len(regular) * 0.0025)), small=False
    )
    for address in fraud:
        taken.add(address.pk)
        for _ in range(rng.randint(3, 8)):
            person_status = status()
            writer.add(stays=[(address.pk, recent(700), None, source(person_status))], status=person_status)
        planted.append(
            PlantedCondition(
                municipality=ctx.municipality,
                address_id=address.pk,
                kind=PlantedConditionKind.REGISTERED_ELSEWHERE,
                actual_occupants=rng.randint(0, 2),
                since=recent(700),
            )
        )
    # c) People living in offices, sheds and shops.
    for address in _pick(ctx, non_residential, max(1, round(len(non_residential) * 0.01)), small=False):
        taken.add(address.pk)
        actual = rng.randint(4, 15)
        for _ in range(rng.randint(0, min(actual, 5))):
            person_status = status()
            writer.add(
                stays=[(address.pk, recent(500), None, source(person_status))],
                status=person_status,
                agency_address=address.pk,
            )
        planted.append(
            PlantedCondition(
                municipality=ctx.municipality,
                address_id=address.pk,
                kind=PlantedConditionKind.NON_RESIDENTIAL_USE,
                actual_occupants=actual,
                since=recent(500),
            )
        )
    # d) Shared houses within the norm, arranged by an agency, with turnover but no violation.
    shared = _pick(
        ctx,
        [a for a in regular if a.pk not in taken and (a.floor_area or 0) >= 60],
        max(3, round(len(overcrowded) * 1.5)),
        small=False,
    )
    for address in shared:
        taken.add(address.pk)
        assert address.floor_area is not None
        for _ in range(rng.randint(2, max(2, address.floor_area // NORM_M2))):
            person_status = status()
            writer.add(
                stays=[(address.pk, recent(600), None, source(person_status))],
                status=person_status,
                agency_address=address.pk,
            )
        _past_occupants(ctx, writer, address, rng.randint(1, 4))
    writer.flush()
    ctx.progress(
        f"  labour migrants in planted and shared housing: {ctx.counts.get('current_labour_migrants', 0):,} "
        f"now, {ctx.counts.get('labour_migrants', 0):,} including those who left"
    )
    # e) The rest live as households of their own, mostly within the norm. A share is kept for the
    #    housing locations, which the housing step fills.
    reserved_for_locations = round(target * 0.22)
    remaining = target - ctx.counts.get("current_labour_migrants", 0) - reserved_for_locations
    households = _pick(ctx, [a for a in regular if a.pk not in taken], max(1, remaining // 2), small=False)
    for address in households:
        if remaining <= 0:
            break
        assert address.floor_area is not None
        size = min(remaining, rng.choice((1, 1, 2, 2, 2, 3, 4)), max(1, address.floor_area // NORM_M2))
        moved_in = ctx.date_between(ref - dt.timedelta(days=365 * 8), ref - dt.timedelta(days=15))
        for _ in range(size):
            person_status = status()
            writer.add(stays=[(address.pk, moved_in, None, source(person_status))], status=person_status)
        remaining -= size
    writer.flush()
    PlantedCondition.objects.bulk_create(planted, batch_size=2000)
    ctx.count("planted_conditions", len(planted))
    ctx.progress(
        f"  labour migrants: {ctx.counts.get('labour_migrants', 0):,}; planted conditions: {len(planted)}"
    )


def _past_occupants(ctx: GenerationContext, writer: MigrantWriter, address: AddressInfo, count: int) -> None:
    """Earlier residents of a shared house: short stays, ended, then gone (turnover)."""
    rng, ref = ctx.rng, ctx.reference_date
    for _ in range(count):
        start = ref - dt.timedelta(days=rng.randint(120, 1100))
        end = min(start + dt.timedelta(days=rng.randint(30, 240)), ref - dt.timedelta(days=1))
        person_status = (
            RegistrationStatus.EMIGRATED if rng.random() < 0.6 else RegistrationStatus.NON_RESIDENT
        )
        writer.add(
            stays=[
                (
                    address.pk,
                    start,
                    end,
                    ResidenceSource.RNI
                    if person_status != RegistrationStatus.RESIDENT
                    else ResidenceSource.BRP,
                )
            ],
            status=person_status,
            agency_address=address.pk,
        )


def build_transit_address(ctx: GenerationContext) -> None:
    """A pension with a hundred residence records over eight years: the busiest address in the register."""
    rng, ref = ctx.rng, ctx.reference_date
    if not ctx.lodging_address_ids:
        return
    address_id = ctx.lodging_address_ids[0]
    writer = MigrantWriter(ctx)
    for index in range(100):
        start = ref - dt.timedelta(days=rng.randint(30, 365 * 8))
        end = (
            None
            if index < 12
            else min(start + dt.timedelta(days=rng.randint(14, 200)), ref - dt.timedelta(days=1))
        )
        person_status = RegistrationStatus.NON_RESIDENT if rng.random() < 0.7 else RegistrationStatus.RESIDENT
        writer.add(
            stays=[
                (
                    address_id,
                    start,
                    end,
                    ResidenceSource.RNI
                    if person_status == RegistrationStatus.NON_RESIDENT
                    else ResidenceSource.BRP,
                )
            ],
            status=person_status,
        )
    writer.flush()
    ctx.lodging_address_ids.remove(address_id)
    ctx.counts["transit_address_id"] = address_id
