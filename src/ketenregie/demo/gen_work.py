"""Step 3 of the generator: employers and temp agencies, housing locations, employments,
violations and the covenant."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ketenregie.core.actor import Actor
from ketenregie.core.models import Role
from ketenregie.demo.context import GenerationContext, bulk_create
from ketenregie.demo.gen_people import MigrantWriter
from ketenregie.demo.models import PlantedCondition, PlantedConditionKind
from ketenregie.demo.names import AGENCY_SUFFIXES, COMPANY_STEMS, HIRER_SUFFIXES, LEGAL_FORMS
from ketenregie.demo.profiles import MIGRANT_SECTORS
from ketenregie.employers import services as employer_services
from ketenregie.employers.models import (
    BranchMembership,
    Covenant,
    Employer,
    EmployerKind,
    Employment,
    EscalationOutcome,
    Violation,
    ViolationKind,
    ViolationStatus,
    WttaStatus,
)
from ketenregie.housing.models import (
    HousingLocation,
    HousingPermit,
    LocationKind,
    PermitStatus,
    QualityMark,
    QualityMarkScheme,
)
from ketenregie.people.models import RegistrationStatus, ResidenceSource

VIOLATION_SOURCES = (
    ("Nederlandse Arbeidsinspectie", 0.7),
    ("Belastingdienst", 0.1),
    ("SNCU", 0.1),
    ("Gemeente", 0.1),
)


class Workforce:
    def __init__(self) -> None:
        self.bona_fide_agencies: list[Employer] = []
        self.mala_fide_agencies: list[Employer] = []
        self.hirers_by_sector: dict[str, list[Employer]] = {}
        self.all: list[Employer] = []


def build_employers(ctx: GenerationContext) -> Workforce:
    rng, ref = ctx.rng, ctx.reference_date
    total = ctx.scaled(ctx.profile.employers, 30)
    used_names: set[str] = set()
    kvk = 24_000_000 + int(ctx.profile.cbs_code) * 10_000
    objects: list[Employer] = []
    flags: list[bool] = []
    for index in range(total):
        kind = ctx.weighted(
            ((EmployerKind.TEMP_AGENCY, 0.45), (EmployerKind.HIRER, 0.50), (EmployerKind.OTHER, 0.05))
        )
        sector = ctx.weighted(MIGRANT_SECTORS)
        suffix = (
            rng.choice(AGENCY_SUFFIXES)
            if kind == EmployerKind.TEMP_AGENCY
            else rng.choice(HIRER_SUFFIXES[sector])
        )
        name = f"{rng.choice(COMPANY_STEMS)} {suffix} {rng.choice(LEGAL_FORMS)}".strip()
        while name in used_names:
            stem = rng.choice(COMPANY_STEMS) + rng.choice(COMPANY_STEMS).lower()
            name = f"{stem} {suffix} {rng.choice(LEGAL_FORMS)}".strip()
        used_names.add(name)
        kvk += rng.randint(3, 97)
        mala_fide = kind == EmployerKind.TEMP_AGENCY and rng.random() < 0.12
        certified = kind == EmployerKind.TEMP_AGENCY and not mala_fide and rng.random() < 0.85
        objects.append(
            Employer(
                municipality=ctx.municipality,
                kvk_number=f"{kvk % 100_000_000:08d}",
                name=name,
                kind=kind,
                sector=sector,
                sna_certified=certified,
                sna_certified_since=ctx.date_between(
                    ref - dt.timedelta(days=3650), ref - dt.timedelta(days=30)
                )
                if certified
                else None,
                branch_membership=ctx.weighted(
                    (
                        (BranchMembership.ABU, 0.55),
                        (BranchMembership.NBBU, 0.3),
                        (BranchMembership.NONE, 0.15),
                    )
                )
                if certified
                else BranchMembership.NONE,
                wtta_status=(
                    ctx.weighted(
                        (
                            (WttaStatus.ADMITTED, 0.45),
                            (WttaStatus.APPLIED, 0.5),
                            (WttaStatus.NOT_APPLIED, 0.05),
                        )
                    )
                    if certified
                    else ctx.weighted(
                        ((WttaStatus.NOT_APPLIED, 0.6), (WttaStatus.APPLIED, 0.3), (WttaStatus.REFUSED, 0.1))
                    )
                )
                if kind == EmployerKind.TEMP_AGENCY
                else WttaStatus.NOT_APPLICABLE,
            )
        )
        flags.append(mala_fide)
        del index
    workforce = Workforce()
    for employer, mala_fide in zip(bulk_create(Employer, objects), flags, strict=True):
        workforce.all.append(employer)
        if employer.kind == EmployerKind.TEMP_AGENCY:
            (workforce.mala_fide_agencies if mala_fide else workforce.bona_fide_agencies).append(employer)
        else:
            workforce.hirers_by_sector.setdefault(employer.sector, []).append(employer)
    if not workforce.mala_fide_agencies and workforce.bona_fide_agencies:
        workforce.mala_fide_agencies.append(workforce.bona_fide_agencies.pop())
    ctx.count("employers", len(workforce.all))
    _violations(ctx, workforce)
    return workforce


def _violations(ctx: GenerationContext, workforce: Workforce) -> None:
    rng, ref = ctx.rng, ctx.reference_date
    mala_fide_ids = {e.pk for e in workforce.mala_fide_agencies}
    violations = []
    for employer in workforce.all:
        bad = employer.pk in mala_fide_ids
        chance = 0.7 if bad else (0.07 if employer.kind == EmployerKind.TEMP_AGENCY else 0.05)
        if rng.random() >= chance:
            continue
        for _ in range(rng.randint(1, 3) if bad else 1):
            proven = rng.random() < (0.6 if bad else 0.3)
            kind = ctx.weighted(
                (
                    (ViolationKind.UNDERPAYMENT, 0.3),
                    (ViolationKind.WORKING_HOURS, 0.2),
                    (ViolationKind.HOUSING, 0.2),
                    (ViolationKind.ILLEGAL_EMPLOYMENT, 0.1),
                    (ViolationKind.SAFETY, 0.1),
                    (ViolationKind.EXPLOITATION, 0.1 if bad else 0.0),
                )
            )
            violations.append(
                Violation(
                    municipality=ctx.municipality,
                    employer=employer,
                    kind=kind,
                    status=ViolationStatus.PROVEN if proven else ViolationStatus.ALLEGED,
                    source=ctx.weighted(VIOLATION_SOURCES),
                    occurred_on=ctx.date_between(ref - dt.timedelta(days=1100), ref - dt.timedelta(days=5)),
                    fine_amount=Decimal(rng.randrange(1_000, 60_000, 250)) if proven else None,
                )
            )
    bulk_create(Violation, violations)
    ctx.count("violations", len(violations))


def build_housing(ctx: GenerationContext, workforce: Workforce) -> dict[int, int]:
    """Housing locations with quality marks and permits, filled with labour migrants.

    Returns the provider (agency) per address, so those residents work for the provider.
    """
    rng, ref = ctx.rng, ctx.reference_date
    total = ctx.scaled(ctx.profile.housing_locations, 4)
    free_regular = [
        a
        for a in ctx.addresses
        if a.habitable and not a.lodging and a.floor_area and a.pk not in ctx.migrant_addresses
    ]
    rng.shuffle(free_regular)
    area_of = {a.pk: a.floor_area for a in ctx.addresses if a.lodging}
    provider_of_address: dict[int, int] = {}
    writer = MigrantWriter(ctx)
    marks: list[QualityMark] = []
    permits: list[HousingPermit] = []
    agricultural = ctx.profile.key == "haarlemmermeer"
    for index in range(total):
        kind = ctx.weighted(
            (
                (LocationKind.LODGING_BUILDING, 0.4),
                (LocationKind.REGULAR_DWELLING, 0.35),
                (LocationKind.HOTEL, 0.1),
                (LocationKind.HOLIDAY_PARK, 0.08),
                (LocationKind.ON_SITE, 0.07),
            )
        )
        if kind in (LocationKind.LODGING_BUILDING, LocationKind.HOTEL) and ctx.lodging_address_ids:
            address_ids = [ctx.lodging_address_ids.pop()]
            capacity = max(10, (area_of.get(address_ids[0]) or 240) // 12)
        else:
            chosen = [free_regular.pop() for _ in range(min(len(free_regular), rng.randint(1, 6)))]
            if not chosen:
                break
            address_ids = [a.pk for a in chosen]
            capacity = sum(max(2, (a.floor_area or 48) // 12) for a in chosen)
        roll = rng.random()
        provider = (
            rng.choice(workforce.mala_fide_agencies)
            if roll < 0.1 and workforce.mala_fide_agencies
            else rng.choice(workforce.bona_fide_agencies)
            if roll < 0.8 and workforce.bona_fide_agencies
            else None
        )
        mala_fide = provider is not None and provider in workforce.mala_fide_agencies
        location = HousingLocation.objects.create(
            municipality=ctx.municipality,
            name=f"{'Logies' if kind != LocationKind.REGULAR_DWELLING else 'Woningen'} "
            f"{rng.choice(('Haven', 'Polder', 'Maas', 'Noord', 'Zuid', 'Oost', 'West', 'Dijk', 'Molen'))}"
            f"{rng.choice(('zicht', 'hof', 'kwartier', 'park', 'plaats', 'huis'))} {index + 1}",
            kind=kind,
            provider=provider,
            provider_name="" if provider else "Flexwonen Nederland B.V.",
            capacity_persons=capacity,
        )
        location.addresses.set(address_ids)
        has_mark = rng.random() < (0.2 if mala_fide else 0.78)
        if has_mark:
            valid_from = ctx.date_between(ref - dt.timedelta(days=900), ref - dt.timedelta(days=30))
            state = rng.random()
            valid_until = (
                ref - dt.timedelta(days=rng.randint(10, 200))
                if state < 0.1
                else ref + dt.timedelta(days=rng.randint(5, 85))
                if state < 0.18
                else ref + dt.timedelta(days=rng.randint(120, 700))
            )
            valid_from = min(valid_from, valid_until - dt.timedelta(days=180))
            scheme = QualityMarkScheme.AKF if agricultural and rng.random() < 0.3 else QualityMarkScheme.SNF
            marks.append(
                QualityMark(
                    municipality=ctx.municipality,
                    location=location,
                    scheme=scheme,
                    certificate_number=f"{scheme}-{rng.randint(10000, 99999)}",
                    valid_from=valid_from,
                    valid_until=valid_until,
                    last_inspected_on=ctx.date_between(valid_from, min(ref, valid_until)),
                )
            )
            if rng.random() < 0.85:
                permits.append(
                    HousingPermit(
                        municipality=ctx.municipality,
                        location=location,
                        number=f"LOG-{ctx.profile.cbs_code}-{index + 1:04d}",
                        status=PermitStatus.GRANTED,
                        decided_on=valid_from,
                        valid_from=valid_from,
                        valid_until=valid_from + dt.timedelta(days=365 * 5),
                        max_persons=capacity,
                    )
                )
        elif rng.random() < 0.3:
            permits.append(
                HousingPermit(
                    municipality=ctx.municipality,
                    location=location,
                    number=f"LOG-{ctx.profile.cbs_code}-{index + 1:04d}",
                    status=rng.choice((PermitStatus.APPLIED, PermitStatus.REFUSED)),
                    decided_on=ref - dt.timedelta(days=rng.randint(5, 300)),
                )
            )
        occupants = round(capacity * rng.uniform(0.5, 1.0))
        for _ in range(occupants):
            address_id = rng.choice(address_ids)
            person_status = (
                RegistrationStatus.NON_RESIDENT
                if rng.random() < ctx.profile.rni_share
                else (RegistrationStatus.RESIDENT)
            )
            writer.add(
                stays=[
                    (
                        address_id,
                        ref - dt.timedelta(days=rng.randint(10, 700)),
                        None,
                        ResidenceSource.RNI
                        if person_status == RegistrationStatus.NON_RESIDENT
                        else ResidenceSource.BRP,
                    )
                ],
                status=person_status,
            )
            if provider is not None:
                provider_of_address[address_id] = provider.pk
    writer.flush()
    bulk_create(QualityMark, marks)
    bulk_create(HousingPermit, permits)
    ctx.count("housing_locations", total)
    ctx.progress(f"  housing locations: {total}, quality marks: {len(marks)}, permits: {len(permits)}")
    return provider_of_address


def build_employments(
    ctx: GenerationContext, workforce: Workforce, provider_of_address: dict[int, int]
) -> None:
    """Every labour migrant works for someone: for an agency (with a hirer) or directly for a hirer."""
    from ketenregie.people.models import Residence

    rng, ref = ctx.rng, ctx.reference_date
    planted = dict(
        PlantedCondition.objects.filter(municipality=ctx.municipality).values_list("address_id", "kind")
    )
    agency_of_address: dict[int, Employer] = {}
    by_pk = {e.pk: e for e in workforce.all}
    exploitation: list[PlantedCondition] = []
    for address_id in ctx.agency_housed:
        bad = planted.get(address_id) in {
            PlantedConditionKind.OVERCROWDING,
            PlantedConditionKind.NON_RESIDENTIAL_USE,
        }
        pool = (
            workforce.mala_fide_agencies
            if (bad and rng.random() < 0.7) or (not bad and rng.random() < 0.15)
            else workforce.bona_fide_agencies
        )
        agency_of_address[address_id] = rng.choice(pool or workforce.bona_fide_agencies or workforce.all)
        if bad and agency_of_address[address_id] in workforce.mala_fide_agencies:
            exploitation.append(
                PlantedCondition(
                    municipality=ctx.municipality,
                    address_id=address_id,
                    kind=PlantedConditionKind.EXPLOITATION,
                    actual_occupants=0,
                    since=ref - dt.timedelta(days=365),
                )
            )
    for address_id, provider_id in provider_of_address.items():
        agency_of_address.setdefault(address_id, by_pk[provider_id])
    current_address = dict(
        Residence.objects.filter(person_id__in=ctx.migrant_ids)
        .order_by("person_id", "starts_on")
        .values_list("person_id", "address_id")
    )
    all_hirers = [e for hirers in workforce.hirers_by_sector.values() for e in hirers] or workforce.all
    employments = []
    for person_id in ctx.migrant_ids:
        sector = ctx.migrant_sector[person_id]
        hirer = rng.choice(workforce.hirers_by_sector.get(sector) or all_hirers)
        agency = agency_of_address.get(current_address.get(person_id, -1))
        if agency is None and rng.random() < 0.55 and workforce.bona_fide_agencies:
            agency = rng.choice(workforce.bona_fide_agencies + workforce.mala_fide_agencies)
        left_on = ctx.migrant_left_on.get(person_id)
        starts_on = ctx.migrant_arrival[person_id] + dt.timedelta(days=rng.randint(0, 14))
        if left_on is not None and starts_on >= left_on:
            starts_on = left_on - dt.timedelta(days=1)
        employments.append(
            Employment(
                municipality=ctx.municipality,
                person_id=person_id,
                employer=agency or hirer,
                hirer=hirer if agency else None,
                starts_on=min(starts_on, ref),
                ends_on=left_on,
                sector=sector,
            )
        )
    bulk_create(Employment, employments)
    PlantedCondition.objects.bulk_create(exploitation)
    ctx.count("employments", len(employments))
    ctx.count("planted_conditions", len(exploitation))


def build_covenant(ctx: GenerationContext, workforce: Workforce) -> None:
    """The covenant's members join through the service, so its admission rule applies to the demo too."""
    profile, rng, ref = ctx.profile, ctx.rng, ctx.reference_date
    if not profile.covenant_name:
        return
    actor = Actor.system(ctx.municipality, name="seed", roles=frozenset({Role.POLICY, Role.ENFORCEMENT}))
    covenant = Covenant.objects.create(
        municipality=ctx.municipality, name=profile.covenant_name, started_on=dt.date(2024, 3, 1)
    )
    proven = set(
        Violation.objects.filter(municipality=ctx.municipality, status=ViolationStatus.PROVEN).values_list(
            "employer_id", flat=True
        )
    )
    candidates = [
        e
        for e in workforce.bona_fide_agencies + [h for hs in workforce.hirers_by_sector.values() for h in hs]
        if e.pk not in proven and (e.kind != EmployerKind.TEMP_AGENCY or e.branch_membership)
    ]
    members = rng.sample(candidates, min(len(candidates), profile.covenant_members))
    memberships = [
        employer_services.covenant_join(
            actor=actor,
            covenant=covenant,
            employer=employer,
            joined_on=ctx.date_between(dt.date(2024, 3, 1), dt.date(2025, 6, 1)),
        )
        for employer in members
    ]
    if len(memberships) >= 2:
        # One member was found underpaying after joining: the ladder is under way (talk).
        employer_services.violation_record(
            actor=actor,
            employer=memberships[0].employer,
            kind=ViolationKind.UNDERPAYMENT,
            status=ViolationStatus.PROVEN,
            source="Nederlandse Arbeidsinspectie",
            occurred_on=ref - dt.timedelta(days=40),
            fine_amount=Decimal("12000"),
            escalation_starts_on=ref - dt.timedelta(days=30),
        )
        # Another had a housing violation, talked it through, and stays a member.
        employer_services.violation_record(
            actor=actor,
            employer=memberships[1].employer,
            kind=ViolationKind.HOUSING,
            status=ViolationStatus.PROVEN,
            source="Gemeente",
            occurred_on=ref - dt.timedelta(days=200),
            escalation_starts_on=ref - dt.timedelta(days=190),
        )
        step = memberships[1].escalation_steps.get()
        employer_services.escalation_conclude(
            actor=actor,
            step=step,
            outcome=EscalationOutcome.RESOLVED,
            concluded_on=ref - dt.timedelta(days=150),
            notes="Huisvesting aangepast; afspraken vastgelegd.",
        )
    ctx.count("covenant_members", len(memberships))
