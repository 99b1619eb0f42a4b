"""Verifying stay addresses: allowed and refused steps, the history with who and when, concurrent edits,
the person page, the self-service review, the BRP confirming a stay address, and the risk export."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from ketenregie.core.actor import Actor
from ketenregie.core.concurrency import ConcurrentEditError
from ketenregie.core.models import AuditEvent, Municipality, Role
from ketenregie.people import services
from ketenregie.people.models import Residence, ResidenceSource, ResidenceVerification
from ketenregie.risk.export import residences as exported_residences
from tests import factories as f
from tests.conftest import World


def stay(municipality: Municipality, **kwargs: object) -> Residence:
    values: dict[str, object] = {"source": ResidenceSource.EMPLOYER, "starts_on": dt.date(2025, 1, 1)}
    values.update(kwargs)
    return f.ResidenceFactory(municipality=municipality, **values)


def test_civil_affairs_verifies_a_stay_address_and_the_step_says_who_when_and_how(
    municipality: Municipality, actor_for: Callable[[str], Actor]
) -> None:
    residence = stay(municipality)
    actor = actor_for(Role.CIVIL_AFFAIRS)
    services.residence_verify(
        actor=actor,
        residence=residence,
        status="verified",
        method="housing_register",
        note="Op de bewonerslijst van de huisvester.",
        expected_version=residence.version,
    )
    residence.refresh_from_db()
    assert (residence.verification_status, residence.verification_method) == ("verified", "housing_register")
    assert residence.verification_by == "civil_affairs"
    assert residence.verification_at is not None
    step = ResidenceVerification.objects.get(residence=residence)
    assert (step.from_status, step.status, step.by_user, step.by_name) == (
        "unverified",
        "verified",
        actor.user,
        "civil_affairs",
    )
    assert step.at == residence.verification_at
    event = AuditEvent.objects.get(object_type="people.residence", object_id=str(residence.pk))
    assert "verification_status" in event.detail["fields"]


@pytest.mark.parametrize(
    ("steps", "allowed"),
    [
        (["verified"], True),
        (["rejected"], True),
        (["disputed", "verified"], True),
        (["disputed", "rejected"], True),
        (["verified", "disputed", "rejected"], True),
        (["rejected", "disputed", "verified"], True),
        (["verified", "rejected"], False),  # a verification is disputed first, never silently reversed
        (["rejected", "verified"], False),
        (["verified", "verified"], False),
        (["unverified"], False),
    ],
)
def test_only_the_documented_steps_are_allowed(
    steps: list[str], allowed: bool, municipality: Municipality, actor_for: Callable[[str], Actor]
) -> None:
    residence = stay(municipality)
    actor = actor_for(Role.CIVIL_AFFAIRS)

    def walk() -> None:
        for status in steps:
            current = Residence.objects.get(pk=residence.pk)
            services.residence_verify(
                actor=actor,
                residence=current,
                status=status,
                method="inspection",
                note="Reden",
                expected_version=current.version,
            )

    if allowed:
        walk()
        assert Residence.objects.get(pk=residence.pk).verification_status == steps[-1]
        assert ResidenceVerification.objects.filter(residence=residence).count() == len(steps)
    else:
        with pytest.raises(ValidationError) as refused:
            walk()
        assert "status" in refused.value.message_dict


def test_a_refused_step_says_what_is_possible(
    municipality: Municipality, actor_for: Callable[[str], Actor]
) -> None:
    residence = stay(municipality, verification_status="rejected")
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.residence_verify(
            actor=actor_for(Role.CIVIL_AFFAIRS),
            residence=residence,
            status="verified",
            method="brp",
            expected_version=residence.version,
        )
    assert refused.value.message_dict["status"] == [
        "An address that is rejected cannot become verified directly; it can become: disputed."
    ]


def test_rejecting_needs_a_reason(municipality: Municipality, actor_for: Callable[[str], Actor]) -> None:
    residence = stay(municipality)
    with pytest.raises(ValidationError) as refused:
        services.residence_verify(
            actor=actor_for(Role.CIVIL_AFFAIRS),
            residence=residence,
            status="rejected",
            method="inspection",
            note="  ",
            expected_version=residence.version,
        )
    assert "note" in refused.value.message_dict
    assert not ResidenceVerification.objects.exists()


def test_a_concurrent_step_is_refused_and_writes_nothing(
    municipality: Municipality, actor_for: Callable[[str], Actor]
) -> None:
    residence = stay(municipality)
    actor = actor_for(Role.CIVIL_AFFAIRS)
    opened = residence.version
    services.residence_verify(
        actor=actor,
        residence=residence,
        status="disputed",
        method="other",
        note="Twijfel",
        expected_version=opened,
    )
    with pytest.raises(ConcurrentEditError):
        services.residence_verify(
            actor=actor, residence=residence, status="verified", method="brp", expected_version=opened
        )
    assert Residence.objects.get(pk=residence.pk).verification_status == "disputed"
    assert ResidenceVerification.objects.count() == 1


def test_roles_without_edit_people_cannot_verify(
    municipality: Municipality, actor_for: Callable[[str], Actor]
) -> None:
    residence = stay(municipality)
    for role in (Role.ENFORCEMENT, Role.POLICY, Role.INFOPOINT, Role.PARTNER):
        with pytest.raises(PermissionDenied):
            services.residence_verify(
                actor=actor_for(role),
                residence=residence,
                status="verified",
                method="brp",
                expected_version=1,
            )


def test_another_municipalitys_residence_cannot_be_verified(
    other_municipality: Municipality, actor_for: Callable[[str], Actor]
) -> None:
    residence = stay(other_municipality)
    with pytest.raises(PermissionError):
        services.residence_verify(
            actor=actor_for(Role.CIVIL_AFFAIRS),
            residence=residence,
            status="verified",
            method="brp",
            expected_version=residence.version,
        )


def test_the_person_page_shows_the_verification_and_its_history(
    world: World, client_as: Callable[[str], Client], actor_for: Callable[[str], Actor]
) -> None:
    residence = world.person.residences.get()
    services.residence_verify(
        actor=actor_for(Role.CIVIL_AFFAIRS),
        residence=residence,
        status="disputed",
        method="inspection",
        note="Niemand aangetroffen bij bezoek.",
        expected_version=residence.version,
    )
    page = client_as(Role.CIVIL_AFFAIRS).get(reverse("people:person_detail", args=[world.person.pk]))
    html = page.content.decode()
    assert "Niemand aangetroffen bij bezoek." in html
    assert "civil_affairs" in html
    assert reverse("people:residence_verify", args=[world.person.pk, residence.pk]) in html
    # Enforcement sees the state and history but gets no form.
    html = (
        client_as(Role.ENFORCEMENT)
        .get(reverse("people:person_detail", args=[world.person.pk]))
        .content.decode()
    )
    assert "Niemand aangetroffen bij bezoek." in html
    assert reverse("people:residence_verify", args=[world.person.pk, residence.pk]) not in html


def test_verifying_from_the_person_page_posts_the_version(
    world: World, client_as: Callable[[str], Client]
) -> None:
    residence = world.person.residences.get()
    url = reverse("people:residence_verify", args=[world.person.pk, residence.pk])
    client = client_as(Role.CIVIL_AFFAIRS)
    response = client.post(url, {"version": residence.version, "status": "verified", "method": "brp"})
    assert response.status_code == 302
    stale = client.post(
        url, {"version": residence.version, "status": "disputed", "method": "other", "note": "Toch niet"}
    )
    assert stale.status_code == 409
    refused = client.post(url, {"version": residence.version + 1, "status": "verified", "method": "brp"})
    assert refused.status_code == 400  # already verified: not among the choices
    assert Residence.objects.get(pk=residence.pk).verification_status == "verified"


def test_the_verification_page_of_another_persons_residence_is_not_found(
    world: World, client_as: Callable[[str], Client], municipality: Municipality
) -> None:
    other = stay(municipality)
    url = reverse("people:residence_verify", args=[world.person.pk, other.pk])
    assert client_as(Role.CIVIL_AFFAIRS).get(url).status_code == 404
    assert client_as("outsider").get(
        reverse("people:residence_verify", args=[world.person.pk, world.person.residences.get().pk])
    ).status_code in (403, 404)


def test_reviewing_a_self_service_report_verifies_the_reported_stay_address(
    world: World, client_as: Callable[[str], Client]
) -> None:
    residence = stay(world.address.municipality, person=world.person, source=ResidenceSource.SELF_SERVICE)
    world.report.residence = residence
    world.report.save()
    client = client_as(Role.CIVIL_AFFAIRS)
    url = reverse("portal_staff:report_detail", args=[world.report.pk])
    assert 'name="address_status"' in client.get(url).content.decode()
    missing_method = client.post(
        url,
        {
            "version": "1",
            "note": "Huurcontract gezien.",
            "address_status": "verified",
            "residence_version": "1",
        },
    )
    assert missing_method.status_code == 200
    response = client.post(
        url,
        {
            "version": "1",
            "note": "Huurcontract gezien.",
            "address_status": "verified",
            "method": "document",
            "residence_version": str(residence.version),
        },
    )
    assert response.status_code == 302
    residence.refresh_from_db()
    world.report.refresh_from_db()
    assert (residence.verification_status, residence.verification_method) == ("verified", "document")
    assert world.report.review_status == "handled"
    step = ResidenceVerification.objects.get(residence=residence)
    assert step.note == "WORLD00001: Huurcontract gezien."


def test_a_review_whose_verification_is_refused_leaves_the_report_open(
    world: World, client_as: Callable[[str], Client]
) -> None:
    residence = stay(world.address.municipality, person=world.person, source=ResidenceSource.SELF_SERVICE)
    world.report.residence = residence
    world.report.save()
    response = client_as(Role.CIVIL_AFFAIRS).post(
        reverse("portal_staff:report_detail", args=[world.report.pk]),
        {
            "version": "1",
            "note": "",
            "address_status": "rejected",
            "method": "inspection",
            "residence_version": str(residence.version),
        },
    )
    assert response.status_code == 200  # a note is required for the review itself and the rejection
    world.report.refresh_from_db()
    assert world.report.review_status == "open"
    assert Residence.objects.get(pk=residence.pk).verification_status == "unverified"


def test_a_brp_import_verifies_a_stay_address_at_the_same_address(
    municipality: Municipality, actor_for: Callable[[str], Actor]
) -> None:
    person = f.PersonFactory(municipality=municipality)
    address = f.AddressFactory(municipality=municipality)
    elsewhere = f.AddressFactory(municipality=municipality)
    reported = stay(municipality, person=person, address=address, starts_on=dt.date(2025, 2, 1))
    other_person = stay(municipality, address=elsewhere)
    f.ResidenceFactory(
        municipality=municipality, person=person, address=address, source=ResidenceSource.BRP, ends_on=None
    )
    # The other person's BRP address is another one: their stay address stays unverified.
    f.ResidenceFactory(municipality=municipality, person=other_person.person, source=ResidenceSource.BRP)
    system = Actor.system(municipality, name="import-brp")
    outcome = services.verify_stay_addresses_by_brp(actor=system)
    assert (outcome.changed, outcome.skipped) == (1, 0)
    reported.refresh_from_db()
    assert (reported.verification_status, reported.verification_method) == ("verified", "brp")
    assert reported.verification_by == "system:import-brp"
    step = ResidenceVerification.objects.get(residence=reported)
    assert step.by_user is None
    assert step.by_name == "system:import-brp"
    assert Residence.objects.get(pk=other_person.pk).verification_status == "unverified"
    # Running it again changes nothing.
    assert services.verify_stay_addresses_by_brp(actor=system).changed == 0
    assert (
        AuditEvent.objects.filter(username="system:import-brp", object_type="people.residence").count() == 1
    )


def test_the_gbav_import_verifies_stay_addresses_it_confirms(db: None) -> None:
    from ketenregie.people.gbav.importer import import_gbav
    from tests.brp.test_gbav_import import TEST_SET

    import_gbav(TEST_SET)
    brp = (
        Residence.objects.filter(
            source="brp", address__isnull=False, ends_on__isnull=True, address_function="W"
        )
        .select_related("person")
        .first()
    )
    assert brp is not None
    reported = Residence.objects.create(
        municipality_id=brp.municipality_id,
        person=brp.person,
        address=brp.address,
        starts_on=dt.date(2025, 1, 1),
        source=ResidenceSource.AGENCY,
        address_function="W",
    )
    import_gbav(TEST_SET)
    reported.refresh_from_db()
    assert (reported.verification_status, reported.verification_method) == ("verified", "brp")
    assert reported.verification_by == "system:import-brp"


def test_the_bulk_variant_skips_what_may_not_move_and_counts_it(
    municipality: Municipality, actor_for: Callable[[str], Actor]
) -> None:
    open_one = stay(municipality)
    rejected = stay(municipality, verification_status="rejected")
    outcome = services.residences_verify_bulk(
        actor=Actor.system(municipality, name="import-housing-register"),
        residence_ids=[open_one.pk, rejected.pk],
        status="verified",
        method="housing_register",
    )
    assert (outcome.changed, outcome.skipped) == (1, 1)
    assert Residence.objects.get(pk=rejected.pk).verification_status == "rejected"


def test_the_risk_engine_leaves_rejected_stay_addresses_out(municipality: Municipality) -> None:
    address = f.AddressFactory(municipality=municipality)
    kept = stay(municipality, address=address)
    rejected = stay(municipality, address=address, verification_status="rejected")
    people = set(exported_residences(municipality)["person_id"].to_list())
    assert kept.person_id in people
    assert rejected.person_id not in people
