"""BRP-like cases for the demo: the situations the BRP Bewoning rules exist for, gathered at one
dwelling so its address page shows them all (the address is ``counts['brp_showcase_address_id']``):

* a resident whose start date is wholly unknown (00000000): a possible resident on any date;
* a resident whose start date is known to the year only;
* a resident under secrecy (geheimhouding) and one whose residence data is under investigation;
* a former resident whose record was suspended because they died;
* someone who has the dwelling as postal address (briefadres) and so does not count as resident.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count

from ketenregie.demo.context import GenerationContext
from ketenregie.demo.gen_people import _person
from ketenregie.people.models import (
    AddressFunction,
    RegistrationStatus,
    Residence,
    ResidenceSource,
    SuspensionReason,
    VerificationStatus,
)
from ketenregie.people.occupancy.bounds import Suspension, apply_bounds


def build_brp_cases(ctx: GenerationContext) -> None:
    rng, ref, municipality = ctx.rng, ctx.reference_date, ctx.municipality
    households = list(
        Residence.objects.filter(
            municipality=municipality,
            ends_on__isnull=True,
            address_function=AddressFunction.LIVING,
            address__is_habitable_use=True,
            person__labour_migrant__isnull=True,
        )
        .values("address_id")
        .annotate(n=Count("id"))
        .filter(n__gte=3)
        .order_by("address_id")
        .values_list("address_id", flat=True)[:500]
    )
    if not households:
        return
    address_id = rng.choice(households)
    residents = list(
        Residence.objects.filter(address_id=address_id, ends_on__isnull=True)
        .select_related("person")
        .order_by("pk")
    )
    unknown, by_year, investigated = residents[0], residents[1], residents[2]
    unknown.starts_on_raw = "00000000"
    by_year.starts_on_raw = f"{(by_year.starts_on or ref).year}0000"
    investigated.starts_on_raw = (investigated.starts_on or ref).strftime("%Y%m%d")
    investigated.investigation_code = "080000"
    investigated.investigation_start_raw = (ref - dt.timedelta(days=45)).strftime("%Y%m%d")
    for residence in (unknown, by_year, investigated):
        residence.sequence = 1
        apply_bounds([residence])
        residence.save()
    secret = by_year.person
    secret.is_secret, secret.secrecy_indicator = True, 1
    secret.save(update_fields=["is_secret", "secrecy_indicator"])

    deceased = _person(ctx, "NL", status=RegistrationStatus.DECEASED, born_from=1930, born_to=1950)
    deceased.suspended_on = ref - dt.timedelta(days=rng.randint(150, 400))
    deceased.suspended_on_raw = deceased.suspended_on.strftime("%Y%m%d")
    deceased.suspension_reason = SuspensionReason.DECEASED
    deceased.save()
    former = Residence(
        municipality=municipality,
        person=deceased,
        address_id=address_id,
        starts_on_raw="19890300",
        sequence=1,
        source=ResidenceSource.BRP,
        verification_status=VerificationStatus.VERIFIED,
    )
    apply_bounds([former], suspension=Suspension(SuspensionReason.DECEASED, deceased.suspended_on))
    former.save()

    postal = _person(ctx, "PL", status=RegistrationStatus.RESIDENT, born_from=1975, born_to=2000)
    postal.save()
    mail = Residence(
        municipality=municipality,
        person=postal,
        address_id=address_id,
        starts_on=ref - dt.timedelta(days=rng.randint(20, 200)),
        sequence=1,
        address_function=AddressFunction.POSTAL,
        source=ResidenceSource.BRP,
        verification_status=VerificationStatus.VERIFIED,
    )
    mail.starts_on_raw = mail.starts_on.strftime("%Y%m%d") if mail.starts_on else ""
    mail.save()
    ctx.count("people", 2)
    ctx.count("residences", 2)
    ctx.counts["brp_showcase_address_id"] = address_id
