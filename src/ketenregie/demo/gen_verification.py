"""Verification of stay addresses and processing of first-registration forms, through the services.

After the portal step: a few stay addresses reported by employers, agencies, housing providers or
self-service are verified by inspection, a few more by a housing provider's occupant register (the
bulk variant an import uses), one is rejected; and a few first-registration forms drawn up during
visits are processed by civil affairs into RNI registrations. A form whose person may already be in
the register is left for a person to decide, as the service requires. Deterministic: ordered by id,
no random draws (the BSNs come from the context's sequence).
"""

from __future__ import annotations

from ketenregie.cases.models import FirstRegistrationForm, RegistrationFormStatus
from ketenregie.cases.services import registration_form_process
from ketenregie.core.actor import Actor
from ketenregie.core.models import Organisation, OrganisationKind, Role
from ketenregie.demo.context import GenerationContext
from ketenregie.people import selectors as people_selectors
from ketenregie.people import services as people_services
from ketenregie.people.models import AddressFunction, Residence, ResidenceSource, VerificationStatus

REPORTED = (
    ResidenceSource.EMPLOYER,
    ResidenceSource.AGENCY,
    ResidenceSource.HOUSING_PROVIDER,
    ResidenceSource.SELF_SERVICE,
)


def _civil_affairs(ctx: GenerationContext) -> Actor:
    department = (
        Organisation.objects.filter(municipality=ctx.municipality, kind=OrganisationKind.MUNICIPAL_DEPARTMENT)
        .order_by("pk")
        .first()
    )
    return Actor(
        municipality=ctx.municipality,
        user=None,
        organisation=department,
        roles=frozenset({Role.CIVIL_AFFAIRS}),
        username="system:demo-burgerzaken",
    )


def build_verification(ctx: GenerationContext) -> None:
    actor = _civil_affairs(ctx)
    stays = list(
        Residence.objects.filter(
            municipality=ctx.municipality,
            source__in=REPORTED,
            address__isnull=False,
            address_function=AddressFunction.LIVING,
            ends_on__isnull=True,
            verification_status=VerificationStatus.UNVERIFIED,
        ).order_by("pk")[:12]
    )
    for residence in stays[:6]:
        people_services.residence_verify(
            actor=actor,
            residence=residence,
            status=VerificationStatus.VERIFIED,
            method="inspection",
            note="Bewoner aangetroffen bij huisbezoek.",
            expected_version=residence.version,
        )
    register = Actor.system(ctx.municipality, name="import-bewonersregister")
    people_services.residences_verify_bulk(
        actor=register,
        residence_ids=[r.pk for r in stays[6:10]],
        status=VerificationStatus.VERIFIED,
        method="housing_register",
        note="Op de bewonerslijst van de huisvester (SNF-locatie).",
    )
    for residence in stays[10:11]:
        people_services.residence_verify(
            actor=actor,
            residence=residence,
            status=VerificationStatus.REJECTED,
            method="inspection",
            note="Bij huisbezoek niet aangetroffen; volgens de hoofdbewoner vertrokken.",
            expected_version=residence.version,
        )
    ctx.count("stay_addresses_verified", min(len(stays), 10))
    ctx.count("stay_addresses_rejected", len(stays[10:11]))
    if actor.organisation is None:
        return
    forms = FirstRegistrationForm.objects.filter(
        municipality=ctx.municipality, status=RegistrationFormStatus.DRAWN_UP
    ).order_by("pk")[:6]
    processed = 0
    for form in forms:
        if processed == 4:
            break
        if people_selectors.registration_candidates(
            actor=actor,
            bsn=form.bsn,
            given_names=form.given_names,
            surname_prefix=form.surname_prefix,
            surname=form.surname,
            birth_date=form.birth_date,
        ):
            continue  # a possible match is a person's decision, never the generator's
        registration_form_process(
            actor=actor,
            form=form,
            expected_version=form.version,
            outcome="rni",
            create_new=True,
            bsn=form.bsn or ctx.next_bsn(),
            note="Ingeschreven in de RNI na huisbezoek.",
        )
        processed += 1
    ctx.count("first_registrations_processed", processed)
