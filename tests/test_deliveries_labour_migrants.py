"""Deliveries of labour migrants (issue 12): matching, refusals, idempotency, the review queue, the
command line, the API and the staff pages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from ketenregie.core.actor import Actor
from ketenregie.core.concurrency import ConcurrentEditError
from ketenregie.core.imports import ImportRejected, run_import
from ketenregie.core.models import AuditEvent, Municipality, Organisation, Role
from ketenregie.deliveries.imports import LabourMigrantImporter
from ketenregie.deliveries.models import DeliveredPerson, Delivery, MatchReview, ReviewStatus
from ketenregie.deliveries.services import DeliveryContext, delivery_context_for, review_decide
from ketenregie.employers.models import Employer
from ketenregie.people.models import LabourMigrant, Person, RegistrationStatus, Residence
from ketenregie.places.models import Address
from tests import factories as f

HEADER = (
    "bsn;surname;given_names;birth_date;nationality;arrival_date;postcode;house_number;house_letter;"
    "email;phone\n"
)


@pytest.fixture
def places(municipality: Municipality) -> list[Address]:
    return [
        f.AddressFactory(municipality=municipality, postcode="3077AW", house_number=n, house_letter="")
        for n in (1, 2, 3)
    ]


@pytest.fixture
def agency(municipality: Municipality) -> Employer:
    return f.EmployerFactory(municipality=municipality, kvk_number="24000001", name="Flex B.V.")


def context(agency: Employer | None = None, channel: str = "file") -> DeliveryContext:
    return DeliveryContext(kind="labour-migrants", source="agency", channel=channel, employer=agency)


def deliver(actor: Actor, data: str, agency: Employer | None = None) -> tuple[Any, LabourMigrantImporter]:
    importer = LabourMigrantImporter(context(agency))
    result = run_import(actor=actor, importer=importer, data=(HEADER + data).encode())
    return result, importer


def known(municipality: Municipality, address: Address, **fields: Any) -> Person:
    values = {"surname": "Nowak", "given_names": "Anna", "birth_date": dt.date(1990, 5, 17), **fields}
    person = f.PersonFactory(municipality=municipality, **values)
    f.ResidenceFactory(
        municipality=municipality, person=person, address=address, starts_on=dt.date(2024, 1, 1)
    )
    return person


# Matching


def test_a_row_with_a_known_bsn_becomes_a_stay_address_beside_the_brp_address(
    actor_for: Callable[[str], Actor], municipality: Municipality, places: list[Address], agency: Employer
) -> None:
    person = known(municipality, places[0])
    result, importer = deliver(
        actor_for("civil_affairs"),
        f"{person.bsn};Nowak;Anna;1990-05-17;pl;2024-03-01;3077 AW;2;;a@b.nl;\n",
        agency,
    )
    assert (result.created, result.updated, result.unchanged) == (0, 1, 0)
    open_living = Residence.objects.filter(person=person, ends_on__isnull=True).order_by("source")
    assert [(r.address_id, r.source, r.verification_status) for r in open_living] == [
        (places[1].pk, "agency", "unverified"),
        (places[0].pk, "brp", "unverified"),
    ]
    profile = LabourMigrant.objects.get(person=person)
    assert (profile.country_of_origin, profile.arrival_date) == ("PL", dt.date(2024, 3, 1))
    person.refresh_from_db()
    assert person.email == "a@b.nl"
    delivered = DeliveredPerson.objects.get()
    assert (delivered.person_id, delivered.address_id, delivered.delivery_id) == (
        person.pk,
        places[1].pk,
        importer.delivery.pk if importer.delivery else None,
    )


def test_a_delivered_address_the_register_already_knows_adds_no_residence(
    actor_for: Callable[[str], Actor], municipality: Municipality, places: list[Address]
) -> None:
    person = known(municipality, places[0], migrant=True)
    result, _importer = deliver(actor_for("civil_affairs"), f"{person.bsn};Nowak;Anna;;PL;;3077AW;1;;;\n")
    assert (result.updated, result.unchanged) == (0, 1)
    assert Residence.objects.filter(person=person).count() == 1


def test_a_new_stay_address_ends_only_the_previous_one_of_the_same_source(
    actor_for: Callable[[str], Actor], municipality: Municipality, places: list[Address]
) -> None:
    person = known(municipality, places[0])
    actor = actor_for("civil_affairs")
    deliver(actor, f"{person.bsn};Nowak;Anna;;PL;;3077AW;2;;;\n")
    deliver(actor, f"{person.bsn};Nowak;Anna;;PL;;3077AW;3;;;\n")
    residences = {r.address_id: r for r in Residence.objects.filter(person=person)}
    assert residences[places[0].pk].ends_on is None  # the BRP address stays
    assert residences[places[1].pk].ends_on is not None
    assert residences[places[2].pk].ends_on is None


def test_without_a_bsn_one_person_with_the_same_name_and_birth_date_is_matched_ignoring_accents(
    actor_for: Callable[[str], Actor], municipality: Municipality, places: list[Address]
) -> None:
    person = known(municipality, places[0], surname="Wojcik", given_names="Lukasz")
    result, _importer = deliver(actor_for("civil_affairs"), ";WÓJCIK;Łukasz;17-05-1990;PL;;3077AW;2;;;\n")
    assert (result.created, result.updated) == (0, 1)
    assert Person.objects.count() == 1
    assert Residence.objects.filter(person=person, address=places[1]).exists()


def test_nobody_in_the_register_makes_a_new_person_who_is_not_registered(
    actor_for: Callable[[str], Actor], places: list[Address]
) -> None:
    result, _importer = deliver(
        actor_for("civil_affairs"), ";Kowalski;Jan;1985-01-02;PL;2025-01-06;3077AW;2;;;\n"
    )
    assert result.created == 1
    person = Person.objects.get(surname="Kowalski")
    assert person.registration_status == RegistrationStatus.NOT_REGISTERED
    assert person.labour_migrant.arrival_date == dt.date(2025, 1, 6)
    assert person.residences.get().source == "agency"


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        (";Nowak;Maria;1990-05-17;PL;;3077AW;2;;;\n", "other given names"),
        ("{bsn};Nowak;Anna;1991-01-01;PL;;3077AW;2;;;\n", "another surname or date of birth"),
    ],
    ids=["same surname and birth date, other given names", "BSN with another birth date"],
)
def test_an_uncertain_row_goes_to_the_review_queue_and_changes_nothing(
    row: str,
    reason: str,
    actor_for: Callable[[str], Actor],
    municipality: Municipality,
    places: list[Address],
) -> None:
    person = known(municipality, places[0])
    with translation.override("en"):  # the reason is stored as written, in the language of the delivery
        result, importer = deliver(actor_for("civil_affairs"), row.format(bsn=person.bsn))
    assert (result.created, result.updated, importer.review_count) == (0, 0, 1)
    review = MatchReview.objects.get()
    assert reason in review.reason
    assert list(review.candidates.all()) == [person]
    assert Residence.objects.filter(person=person).count() == 1
    assert not LabourMigrant.objects.exists()
    assert DeliveredPerson.objects.get().person is None
    assert Delivery.objects.get().review_count == 1


def test_two_people_with_the_same_name_and_birth_date_are_never_chosen_between_silently(
    actor_for: Callable[[str], Actor], municipality: Municipality, places: list[Address]
) -> None:
    first = known(municipality, places[0])
    second = known(municipality, places[1])
    deliver(actor_for("civil_affairs"), ";Nowak;Anna;1990-05-17;PL;;3077AW;3;;;\n")
    assert set(MatchReview.objects.get().candidates.all()) == {first, second}


# Idempotency


def test_delivering_the_same_file_twice_changes_nothing_but_records_both_deliveries(
    actor_for: Callable[[str], Actor], municipality: Municipality, places: list[Address], agency: Employer
) -> None:
    person = known(municipality, places[0])
    known(municipality, places[1], surname="Nowak", given_names="Maria", bsn="")
    rows = (
        f"{person.bsn};Nowak;Anna;;PL;2024-03-01;3077AW;2;;;\n"
        ";Kowalski;Jan;1985-01-02;PL;;3077AW;3;;;\n"
        ";Nowak;Marta;1990-05-17;PL;;3077AW;3;;;\n"
    )
    actor = actor_for("civil_affairs")
    first, _importer = deliver(actor, rows, agency)
    counts = (Person.objects.count(), Residence.objects.count(), LabourMigrant.objects.count())
    second, importer = deliver(actor, rows, agency)
    assert (first.created, first.updated) == (1, 1)
    assert (second.created, second.updated, second.unchanged, importer.review_count) == (0, 0, 2, 1)
    assert (Person.objects.count(), Residence.objects.count(), LabourMigrant.objects.count()) == counts
    assert MatchReview.objects.filter(status=ReviewStatus.OPEN).count() == 1
    assert list(Delivery.objects.values_list("row_count", "unchanged_count")) == [(3, 2), (3, 0)]
    assert DeliveredPerson.objects.count() == 6


# Refusals: the whole file, every row named


def test_every_bad_row_refuses_the_whole_file_with_its_row_and_column(
    actor_for: Callable[[str], Actor], municipality: Municipality, places: list[Address]
) -> None:
    future = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    rows = (
        ";Good;Jan;1985-01-02;PL;;3077AW;1;;;\n"  # row 2: fine
        ";Bad;Jan;2024-02-30;PL;;3077AW;1;;;\n"  # 3: impossible date
        f";Bad;Piet;{future};PL;;3077AW;1;;;\n"  # 4: born in the future
        ";Bad;Kees;1990-01-01;PL;1980-01-01;3077AW;1;;;\n"  # 5: arrived before birth
        ";Bad;Ola;1990-01-01;Polen;;3077AW;1;;;\n"  # 6: a country name
        ";Bad;Eva;1990-01-01;PL;;3077AW;99;;;\n"  # 7: not in the BAG
        "123456789;Bad;Tom;1990-01-01;PL;;3077AW;1;;;\n"  # 8: fails the 11-test
        ";Bad;Ida;;PL;;3077AW;1;;;\n"  # 9: no BSN, no birth date
    )
    with pytest.raises(ImportRejected) as refused:
        deliver(actor_for("civil_affairs"), rows)
    problems = {(e.row, e.column): e.message for e in refused.value.errors}
    assert set(problems) == {
        (3, "birth_date"),
        (4, "birth_date"),
        (5, "arrival_date"),
        (6, "nationality"),
        (7, "postcode"),
        (8, "bsn"),
        (9, "birth_date"),
    }
    assert "PL" in problems[(6, "nationality")]
    assert not Person.objects.exists()
    assert not Delivery.objects.exists()


def test_an_address_outside_the_register_is_named_per_row(
    actor_for: Callable[[str], Actor], places: list[Address]
) -> None:
    rows = ";A;Jan;1985-01-02;PL;;3077AW;98;;;\n;B;Jan;1985-01-02;PL;;3077AW;99;;;\n"
    with pytest.raises(ImportRejected) as refused:
        deliver(actor_for("civil_affairs"), rows)
    assert [(e.row, e.column) for e in refused.value.errors] == [(2, "postcode"), (3, "postcode")]
    assert "3077AW 99" in refused.value.errors[1].message


def test_the_same_person_twice_in_one_file_is_refused(
    actor_for: Callable[[str], Actor], places: list[Address]
) -> None:
    rows = ";Kowalski;Jan;1985-01-02;PL;;3077AW;1;;;\n;kowalski;JAN;1985-01-02;PL;;3077AW;2;;;\n"
    with pytest.raises(ImportRejected) as refused:
        deliver(actor_for("civil_affairs"), rows)
    assert [(e.row, e.column) for e in refused.value.errors] == [(2, "surname"), (3, "surname")]


# Who may deliver as whom


def test_a_partner_delivers_only_as_the_employer_its_organisation_is(
    actor_for: Callable[[str], Actor], agency: Employer, municipality: Municipality
) -> None:
    partner = actor_for(Role.PARTNER)
    assert partner.organisation is not None
    with pytest.raises(PermissionDenied):
        delivery_context_for(actor=partner, kind="labour-migrants", channel="api")
    Organisation.objects.filter(pk=partner.organisation.pk).update(kvk_number=agency.kvk_number)
    partner = actor_for(Role.PARTNER)
    own = delivery_context_for(actor=partner, kind="labour-migrants", channel="api")
    assert (own.employer, own.source) == (agency, "agency")
    other = f.EmployerFactory(municipality=municipality, kvk_number="24000002")
    with pytest.raises(PermissionDenied):
        delivery_context_for(
            actor=partner, kind="labour-migrants", channel="api", employer_kvk=other.kvk_number
        )
    with pytest.raises(PermissionDenied):
        run_import(
            actor=partner,
            importer=LabourMigrantImporter(context(other, channel="api")),
            data=(HEADER + ";A;B;1990-01-01;PL;;3077AW;1;;;\n").encode(),
        )


@pytest.mark.parametrize("role", [Role.POLICY, Role.COUNCIL, Role.INFOPOINT, Role.ENFORCEMENT])
def test_roles_without_the_deliver_capability_cannot_deliver(
    role: str, actor_for: Callable[[str], Actor], agency: Employer
) -> None:
    with pytest.raises(PermissionDenied):
        delivery_context_for(
            actor=actor_for(role), kind="labour-migrants", channel="api", employer_kvk="24000001"
        )


# The review queue


def review_for(actor: Actor, municipality: Municipality, places: list[Address]) -> tuple[MatchReview, Person]:
    person = known(municipality, places[0])
    deliver(actor, ";Nowak;Ania;1990-05-17;PL;2024-02-01;3077AW;2;;;\n")
    return MatchReview.objects.get(), person


def test_linking_a_review_to_a_candidate_applies_the_row_to_that_person(
    actor_for: Callable[[str], Actor], municipality: Municipality, places: list[Address]
) -> None:
    actor = actor_for("civil_affairs")
    review, person = review_for(actor, municipality, places)
    review_decide(actor=actor, review=review, expected_version=review.version, decision="link", person=person)
    review.refresh_from_db()
    assert (review.status, review.person, review.decided_by) == ("linked", person, actor.user)
    assert Residence.objects.filter(person=person, address=places[1], source="agency").exists()
    assert LabourMigrant.objects.get(person=person).arrival_date == dt.date(2024, 2, 1)
    assert DeliveredPerson.objects.get().person == person
    assert AuditEvent.objects.filter(object_type="deliveries.matchreview", action="update").exists()


def test_registering_a_review_as_new_creates_a_person_and_dismissing_changes_nothing(
    actor_for: Callable[[str], Actor], municipality: Municipality, places: list[Address]
) -> None:
    actor = actor_for("civil_affairs")
    review, _person = review_for(actor, municipality, places)
    review_decide(actor=actor, review=review, expected_version=review.version, decision="create")
    assert Person.objects.filter(given_names="Ania").count() == 1
    deliver(actor, ";Nowak;Anka;1990-05-17;PL;;3077AW;3;;;\n")
    second = MatchReview.objects.get(status="open")
    count = Residence.objects.count()
    review_decide(actor=actor, review=second, expected_version=second.version, decision="dismiss")
    assert Residence.objects.count() == count
    second.refresh_from_db()
    assert second.status == "dismissed"


def test_a_review_decided_by_someone_else_in_between_is_not_decided_twice(
    actor_for: Callable[[str], Actor], municipality: Municipality, places: list[Address]
) -> None:
    actor = actor_for("civil_affairs")
    review, person = review_for(actor, municipality, places)
    stale = review.version
    review_decide(actor=actor, review=review, expected_version=stale, decision="dismiss")
    with pytest.raises(ConcurrentEditError):
        review_decide(actor=actor, review=review, expected_version=stale, decision="link", person=person)


def test_the_review_pages_show_the_delivered_values_beside_the_candidates_and_decide(
    actor_for: Callable[[str], Actor],
    municipality: Municipality,
    places: list[Address],
    client_as: Callable[[str], Client],
) -> None:
    review, person = review_for(actor_for("civil_affairs"), municipality, places)
    client = client_as("civil_affairs")
    listing = client.get(reverse("deliveries:review_list"))
    assert listing.status_code == 200
    assert "Ania" in listing.content.decode()
    url = reverse("deliveries:review_detail", args=[review.pk])
    assert "Ania" not in url
    assert person.bsn not in url
    detail = client.get(url).content.decode()
    assert "Ania" in detail
    assert person.bsn in detail
    response = client.post(url, {"decision": "link", "person": person.pk, "version": review.version})
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.status == "linked"
    viewed = AuditEvent.objects.filter(action="view", object_type="people.person", object_id=str(person.pk))
    assert viewed.exists()


def test_another_municipalitys_review_is_not_found(
    actor_for: Callable[[str], Actor],
    municipality: Municipality,
    places: list[Address],
    client_as: Callable[[str], Client],
) -> None:
    review, _person = review_for(actor_for("civil_affairs"), municipality, places)
    assert client_as("outsider").get(reverse("deliveries:review_detail", args=[review.pk])).status_code in (
        403,
        404,
    )


# The command line


def test_the_command_delivers_a_file_on_behalf_of_an_employer(
    tmp_path: Path, municipality: Municipality, places: list[Address], agency: Employer, capsys: Any
) -> None:
    path = tmp_path / "flex.csv"
    path.write_text(HEADER + ";Kowalski;Jan;1985-01-02;PL;;3077AW;2;;;\n")
    args = [str(path), "--kind", "labour-migrants", "--municipality", "0599", "--employer", agency.kvk_number]
    call_command("import_csv", *args)
    call_command("import_csv", *args)
    deliveries = list(Delivery.objects.order_by("pk"))
    assert [(d.employer, d.source, d.channel, d.file_name, d.created_count) for d in deliveries] == [
        (agency, "agency", "file", "flex.csv", 1),
        (agency, "agency", "file", "flex.csv", 0),
    ]
    assert deliveries[0].checksum == deliveries[1].checksum != ""
    path.write_text(HEADER + ";Kowalski;Jan;1985-01-02;Polen;;3077AW;2;;;\n")
    with pytest.raises(CommandError):
        call_command("import_csv", *args)
    assert " 2, nationality: “Polen”" in capsys.readouterr().err


def test_the_command_refuses_an_unknown_employer(tmp_path: Path, municipality: Municipality) -> None:
    path = tmp_path / "x.csv"
    path.write_text(HEADER + ";Kowalski;Jan;1985-01-02;PL;;3077AW;2;;;\n")
    with pytest.raises(CommandError, match="24009999"):
        call_command(
            "import_csv",
            str(path),
            "--kind",
            "labour-migrants",
            "--municipality",
            "0599",
            "--employer",
            "24009999",
        )


# The API


def api_rows(**extra: Any) -> list[dict[str, Any]]:
    return [
        {
            "surname": "Kowalski",
            "givenNames": "Jan",
            "birthDate": "1985-01-02",
            "nationality": "PL",
            "postcode": "3077AW",
            "houseNumber": 2,
            **extra,
        }
    ]


def test_the_api_delivers_for_a_named_employer_and_answers_with_the_delivery(
    api_as: Callable[[str], APIClient], places: list[Address], agency: Employer
) -> None:
    response = api_as("civil_affairs").post(
        "/api/v1/labour-migrants/", {"employerKvk": agency.kvk_number, "rows": api_rows()}, format="json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    delivery = Delivery.objects.get()
    assert body["id"] == delivery.pk
    assert (body["rowCount"], body["createdCount"], body["reviewCount"]) == (1, 1, 0)
    assert (delivery.channel, delivery.employer) == ("api", agency)


def test_the_api_refuses_a_bad_body_naming_each_row_and_field_and_changes_nothing(
    api_as: Callable[[str], APIClient], places: list[Address], agency: Employer
) -> None:
    rows = (
        api_rows()
        + api_rows(nationality="Polen", givenNames="Ola")
        + api_rows(birthDate="2024-02-30", givenNames="X")
    )
    response = api_as("civil_affairs").post(
        "/api/v1/labour-migrants/", {"employerKvk": agency.kvk_number, "rows": rows}, format="json"
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    names = {p["name"]: p["reason"] for p in response.json()["invalidParams"]}
    assert set(names) == {"rows[1].nationality", "rows[2].birthDate"}
    assert "PL" in names["rows[1].nationality"]
    assert not Person.objects.exists()
    assert not Delivery.objects.exists()


def test_a_partner_delivers_through_the_api_as_its_own_employer_and_sees_only_how_many_rows(
    api_as: Callable[[str], APIClient],
    actor_for: Callable[[str], Actor],
    places: list[Address],
    agency: Employer,
    municipality: Municipality,
) -> None:
    organisation = actor_for(Role.PARTNER).organisation
    assert organisation is not None
    Organisation.objects.filter(pk=organisation.pk).update(kvk_number=agency.kvk_number)
    client = api_as(Role.PARTNER)
    response = client.post("/api/v1/labour-migrants/", {"rows": api_rows()}, format="json")
    assert response.status_code == 201, response.content
    assert set(response.json()) == {"id", "rowCount"}
    assert Delivery.objects.get().employer == agency
    other = f.EmployerFactory(municipality=municipality, kvk_number="24000002")
    refused = client.post(
        "/api/v1/labour-migrants/", {"employerKvk": other.kvk_number, "rows": api_rows()}, format="json"
    )
    assert refused.status_code == 403


@pytest.mark.parametrize("role", [Role.POLICY, Role.COUNCIL, Role.INFOPOINT])
def test_the_api_refuses_roles_that_do_not_deliver(
    role: str, api_as: Callable[[str], APIClient], agency: Employer
) -> None:
    response = api_as(role).post(
        "/api/v1/labour-migrants/", {"employerKvk": agency.kvk_number, "rows": api_rows()}, format="json"
    )
    assert response.status_code == 403


def test_the_api_refuses_another_municipalitys_employer(
    api_as: Callable[[str], APIClient], places: list[Address], other_municipality: Municipality
) -> None:
    foreign = f.EmployerFactory(municipality=other_municipality, kvk_number="24000003")
    response = api_as("civil_affairs").post(
        "/api/v1/labour-migrants/", {"employerKvk": foreign.kvk_number, "rows": api_rows()}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["invalidParams"][0]["name"] == "employerKvk"


# Staff pages


def test_the_import_page_delivers_for_a_chosen_employer(
    client_as: Callable[[str], Client], places: list[Address], agency: Employer
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("flex.csv", (HEADER + ";Kowalski;Jan;1985-01-02;PL;;3077AW;2;;;\n").encode())
    response = client_as("civil_affairs").post(
        reverse("web:import"),
        {
            "kind": "labour-migrants",
            "employer": agency.pk,
            "source": "",
            "obligation": "covenant",
            "file": upload,
        },
    )
    assert response.status_code == 200
    delivery = Delivery.objects.get()
    assert (delivery.employer, delivery.channel, delivery.obligation) == (agency, "upload", "covenant")


def test_the_deliveries_list_filters_by_deliverer(
    client_as: Callable[[str], Client],
    actor_for: Callable[[str], Actor],
    places: list[Address],
    agency: Employer,
) -> None:
    deliver(actor_for("civil_affairs"), ";Kowalski;Jan;1985-01-02;PL;;3077AW;2;;;\n", agency)
    client = client_as("policy")
    shown = client.get(reverse("deliveries:delivery_list"), {"employer": agency.pk}).content.decode()
    assert "Flex B.V." in shown
    empty = client.get(reverse("deliveries:delivery_list"), {"kind": "employments"}).content.decode()
    assert "Flex B.V." not in empty.split("<tbody>")[-1]


@pytest.mark.parametrize("role", list(Role.values))
def test_delivering_on_behalf_of_a_named_employer_follows_the_role(
    role: str, api_as: Callable[[str], APIClient], world: Any
) -> None:
    """Civil affairs and the administrator deliver on behalf of an employer; a partner (whose
    organisation is not that employer) and every other role are refused."""
    address = world.address
    row = {
        "surname": "Kowalski",
        "givenNames": "Jan",
        "birthDate": "1985-01-02",
        "nationality": "PL",
        "postcode": address.postcode,
        "houseNumber": address.house_number,
    }
    response = api_as(role).post(
        "/api/v1/labour-migrants/", {"employerKvk": world.employer.kvk_number, "rows": [row]}, format="json"
    )
    expected = 201 if role in (Role.CIVIL_AFFAIRS, Role.ADMIN) else 403
    assert response.status_code == expected, response.content
