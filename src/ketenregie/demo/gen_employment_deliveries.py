"""Demo deliveries (issue 12): agencies deliver their employments (some ending), covenant members
deliver monthly except one, who shows as overdue, and a housing provider delivers an occupant list
that differs from the BRP at one location. All through the same importer and services as real
deliveries, so the employer, covenant and housing pages show them."""

from __future__ import annotations

import datetime as dt
import random

from ketenregie.core.actor import Actor
from ketenregie.core.imports import run_rows
from ketenregie.deliveries.employments import EmploymentImporter
from ketenregie.deliveries.models import DeliveryChannel, DeliveryKind, DeliveryObligation, DeliverySource
from ketenregie.deliveries.services import DeliveryContext, delivery_context_for, occupants_delivery_record
from ketenregie.demo.context import GenerationContext
from ketenregie.employers.models import (
    CovenantMembership,
    Employer,
    EmployerKind,
    Employment,
    MembershipStatus,
)
from ketenregie.housing.models import HousingLocation
from ketenregie.people.models import AddressFunction, Residence, ResidenceSource
from ketenregie.people.selectors import living_on

MAX_ROWS = 60


def _employment_rows(
    ctx: GenerationContext, rng: random.Random, employer: Employer, *, end_share: float
) -> list[tuple[int, dict[str, str]]]:
    """The employer's open employments as a delivery would list them; ``end_share`` of them ended."""
    employments = (
        Employment.objects.filter(municipality=ctx.municipality, employer=employer, ends_on__isnull=True)
        .exclude(person__bsn="")
        .select_related("person", "hirer")
        .order_by("pk")[:MAX_ROWS]
    )
    rows = []
    for number, employment in enumerate(employments, start=1):
        ends_on = ""
        if rng.random() < end_share:
            ends_on = max(employment.starts_on, ctx.reference_date - dt.timedelta(days=7)).isoformat()
        rows.append(
            (
                number,
                {
                    "bsn": employment.person.bsn,
                    "employer_kvk": employer.kvk_number,
                    "hirer_kvk": employment.hirer.kvk_number if employment.hirer else "",
                    "starts_on": employment.starts_on.isoformat(),
                    "ends_on": ends_on,
                },
            )
        )
    return rows


def _deliver_employments(
    ctx: GenerationContext, rng: random.Random, actor: Actor, employer: Employer, *, end_share: float
) -> None:
    context = delivery_context_for(
        actor=actor,
        kind=DeliveryKind.EMPLOYMENTS,
        channel=DeliveryChannel.API,
        employer_kvk=employer.kvk_number,
    )
    result = run_rows(
        actor=actor,
        importer=EmploymentImporter(context),
        rows=_employment_rows(ctx, rng, employer, end_share=end_share),
    )
    ctx.count("employment deliveries", 1)
    ctx.count("employments ended by a delivery", result.updated)


def _occupant_delivery(ctx: GenerationContext, actor: Actor) -> None:
    """At one location the provider's list misses one BRP resident and names one who is not there."""
    locations = (
        HousingLocation.objects.filter(municipality=ctx.municipality, provider__isnull=False)
        .select_related("provider")
        .order_by("pk")
    )
    for location in locations:
        addresses = list(location.addresses.order_by("pk"))
        residences = list(
            Residence.objects.filter(
                living_on(ctx.reference_date),
                municipality=ctx.municipality,
                address__in=addresses,
                source=ResidenceSource.BRP,
            )
            .select_related("person", "address")
            .order_by("pk")
        )
        if len(residences) < 3:
            continue
        occupants = [
            (r.person, r.address) for r in residences[1:] if r.address is not None
        ]  # the first is not delivered
        elsewhere = (
            Residence.objects.filter(
                municipality=ctx.municipality,
                address_function=AddressFunction.LIVING,
                person__labour_migrant__isnull=False,
            )
            .exclude(address__in=addresses)
            .select_related("person")
            .order_by("pk")
            .first()
        )
        if elsewhere is not None:
            occupants.append((elsewhere.person, addresses[0]))  # delivered, not registered here
        assert location.provider is not None
        occupants_delivery_record(
            actor=actor,
            context=DeliveryContext(
                kind=DeliveryKind.LABOUR_MIGRANTS,
                source=DeliverySource.HOUSING_PROVIDER,
                channel=DeliveryChannel.API,
                employer=location.provider,
                obligation=DeliveryObligation.QUALITY_MARK,
            ),
            occupants=occupants,
        )
        ctx.count("occupant deliveries", 1)
        return


def build_employment_deliveries(ctx: GenerationContext) -> None:
    actor = Actor.system(ctx.municipality, name="demo deliveries")
    # An own generator: the steps before this one keep the draws they had without it.
    rng = random.Random(f"{ctx.profile.key}:deliveries")
    members = list(
        CovenantMembership.objects.filter(municipality=ctx.municipality)
        .exclude(status=MembershipStatus.TERMINATED)
        .select_related("employer")
        .order_by("employer__name")
    )
    # Every member delivers this month except the last by name: it shows as overdue.
    for membership in members[:-1]:
        _deliver_employments(ctx, rng, actor, membership.employer, end_share=0.05)
    member_ids = {m.employer_id for m in members}
    agencies = [
        agency
        for agency in Employer.objects.filter(municipality=ctx.municipality, kind=EmployerKind.TEMP_AGENCY)
        .exclude(pk__in=member_ids)
        .order_by("pk")
        if agency.employments.filter(ends_on__isnull=True).exists()
    ][:3]
    for agency in agencies:
        _deliver_employments(ctx, rng, actor, agency, end_share=0.15)
    _occupant_delivery(ctx, actor)
