"""Self-service: a labour migrant (or the employer, with consent) reports a stay address and contact
details, verified by a one-time code; the register keeps the history and flags what needs a check."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from ketenregie.core.models import Municipality
from ketenregie.people.models import LabourMigrant, Person, RegistrationStatus, Residence, ResidenceSource
from ketenregie.places.models import UsePurpose
from ketenregie.portal.models import OutboxMessage, PendingVerification, SelfServiceReport
from tests import factories as f
from tests.portal_helpers import address_form, code_form, last_code, report_address, visitor

pytestmark = pytest.mark.usefixtures("portal_settings")


@pytest.fixture
def home(municipality: Municipality) -> Any:
    return f.AddressFactory(municipality=municipality, postcode="3083AB", house_number=7, floor_area_m2=80)


def test_a_new_migrant_is_registered_at_the_address_and_flagged_for_civil_affairs(home: Any) -> None:
    client = visitor()
    response = report_address(client, home)
    assert response.status_code == 302
    assert response["Location"] == "/en/address/done/"
    report = SelfServiceReport.objects.get()
    person = report.person
    assert (person.given_names, person.surname, person.nationality) == ("Agnieszka", "Wiśniewska", "PL")
    assert person.registration_status == RegistrationStatus.NOT_REGISTERED
    assert person.email == "agnieszka@example.com"
    assert LabourMigrant.objects.filter(person=person, country_of_origin="PL").exists()
    residence = Residence.objects.get(person=person)
    assert (residence.address, residence.source, residence.ends_on) == (
        home,
        ResidenceSource.SELF_SERVICE,
        None,
    )
    assert report.flags == ["not_registered"]
    assert report.review_status == "open"
    assert not report.for_enforcement
    page = client.get("/en/address/done/").content.decode()
    assert report.reference in page
    assert "Thank you. We have recorded your address." in page


def test_a_known_person_is_matched_and_their_history_kept(municipality: Municipality, home: Any) -> None:
    person = f.PersonFactory(
        municipality=municipality,
        given_names="AGNIESZKA",
        surname="Wisniewska",
        birth_date=dt.date(1991, 3, 4),
        nationality="PL",
        email="old@example.com",
        phone="+48600000000",
    )
    brp = f.ResidenceFactory(municipality=municipality, person=person, starts_on=dt.date(2023, 1, 1))
    earlier = f.ResidenceFactory(
        municipality=municipality, person=person, starts_on=dt.date(2024, 1, 1), source="agency"
    )
    report_address(visitor(), home, phone="+48 601 234 567")
    assert Person.objects.count() == 1
    report = SelfServiceReport.objects.get()
    assert report.person == person
    assert not report.person_created
    earlier.refresh_from_db()
    new = Residence.objects.get(person=person, ends_on__isnull=True, source="self_service")
    assert earlier.ends_on == new.starts_on
    assert new.address == home
    # A stay address beside the BRP's: only the BRP moves its own address.
    brp.refresh_from_db()
    assert brp.ends_on is None
    person.refresh_from_db()
    assert (person.email, person.phone) == ("agnieszka@example.com", "+48 601 234 567")
    assert (report.previous_email, report.previous_phone) == ("old@example.com", "+48600000000")
    assert "contact_replaced" in report.flags


def test_reporting_the_same_address_again_adds_no_residence(municipality: Municipality, home: Any) -> None:
    client = visitor()
    report_address(client, home)
    report_address(client, home, email="new@example.com")
    assert SelfServiceReport.objects.count() == 2
    assert Residence.objects.count() == 1
    second = SelfServiceReport.objects.order_by("-pk").first()
    assert second is not None
    assert not second.address_changed
    assert second.residence is None


def test_a_date_before_the_current_registration_is_recorded_but_flagged(
    municipality: Municipality, home: Any
) -> None:
    person = f.PersonFactory(
        municipality=municipality,
        given_names="Agnieszka",
        surname="Wiśniewska",
        birth_date=dt.date(1991, 3, 4),
    )
    current = f.ResidenceFactory(municipality=municipality, person=person, starts_on=dt.date.today())
    report_address(visitor(), home, starts_on=(dt.date.today() - dt.timedelta(days=10)).isoformat())
    report = SelfServiceReport.objects.get()
    assert "date_conflict" in report.flags
    assert report.residence is None
    current.refresh_from_db()
    assert current.ends_on is None


def test_overcrowding_is_recorded_and_flagged_for_enforcement(municipality: Municipality) -> None:
    small = f.AddressFactory(municipality=municipality, postcode="3083AC", house_number=3, floor_area_m2=30)
    for _ in range(2):
        f.ResidenceFactory(municipality=municipality, address=small)
    report_address(visitor(), small)
    report = SelfServiceReport.objects.get()
    assert report.registered_after == 3
    assert report.max_by_norm == 2
    assert "over_norm" in report.flags
    assert report.for_enforcement
    assert Residence.objects.filter(address=small, person=report.person).exists()


def test_a_non_residential_address_is_recorded_and_flagged(municipality: Municipality) -> None:
    shed = f.AddressFactory(
        municipality=municipality, postcode="3083AD", house_number=9, use_purposes=[UsePurpose.INDUSTRIAL]
    )
    report_address(visitor(), shed)
    report = SelfServiceReport.objects.get()
    assert "non_residential" in report.flags
    assert report.for_enforcement


def test_a_housing_location_over_its_capacity_is_flagged(municipality: Municipality) -> None:
    lodging = f.AddressFactory(
        municipality=municipality,
        postcode="3083AE",
        house_number=1,
        floor_area_m2=2000,
        use_purposes=["logiesfunctie"],
    )
    location = f.HousingLocationFactory(municipality=municipality, capacity_persons=2)
    location.addresses.add(lodging)
    for _ in range(2):
        f.ResidenceFactory(municipality=municipality, address=lodging)
    report_address(visitor(), lodging)
    report = SelfServiceReport.objects.get()
    assert (report.location_registered, report.location_capacity) == (3, 2)
    assert report.flags[0] == "over_capacity"
    assert report.for_enforcement


def test_an_employer_reports_for_a_worker_only_with_consent(home: Any) -> None:
    client = visitor()
    employer = {
        "reporter": "employer",
        "employer_name": "Flex B.V.",
        "employer_kvk": "24123456",
        "employer_email": "hr@flex.example",
        "email": "",
    }
    refused = client.post("/en/address/", address_form(home, **employer))
    assert refused.status_code == 200
    assert "Only report for a worker who agrees to it." in refused.content.decode()
    assert not PendingVerification.objects.exists()
    report_address(client, home, consent="on", **employer)
    report = SelfServiceReport.objects.get()
    assert report.reporter == "employer"
    assert report.consent_recorded
    assert report.employer_kvk == "24123456"
    assert Residence.objects.get(person=report.person).source == ResidenceSource.EMPLOYER
    assert OutboxMessage.objects.get().recipient == "hr@flex.example"


def test_the_code_can_go_by_sms(home: Any) -> None:
    report_address(visitor(), home, channel="sms", email="", phone="+48601234567")
    assert SelfServiceReport.objects.get().verified_by == "sms"
    message = OutboxMessage.objects.get()
    assert message.channel == "sms"
    assert len(message.body) < 160


def test_an_unknown_address_is_refused_in_the_chosen_language(home: Any) -> None:
    response = visitor().post("/pl/address/", address_form(home, house_number="999"))
    assert response.status_code == 200
    assert 'lang="pl"' in response.content.decode()
    assert "Nie możemy znaleźć tego adresu" in response.content.decode()
    assert not PendingVerification.objects.exists()
    assert not OutboxMessage.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("birth_date", "1990-02-31", "This is not a real date."),
        ("birth_date", "2999-01-01", "A date of birth cannot be in the future."),
        ("starts_on", "1990-01-01", "This date is more than five years ago."),
        ("postcode", "0123AB", "A Dutch postcode has four numbers and two letters"),
        ("email", "not-an-address", "This is not a valid e-mail address."),
    ],
)
def test_impossible_input_gets_a_clear_message_and_saves_nothing(
    home: Any, field: str, value: str, message: str
) -> None:
    response = visitor().post("/en/address/", address_form(home, **{field: value}))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not PendingVerification.objects.exists()
    assert not Person.objects.filter(surname="Wiśniewska").exists()


def test_a_wrong_code_counts_down_and_then_blocks(home: Any, settings: Any) -> None:
    settings.PORTAL_CODE_ATTEMPTS = 3
    client = visitor("ro")
    client.post("/ro/address/", address_form(home))
    right = last_code("agnieszka@example.com")
    wrong = "000000" if right != "000000" else "111111"
    first = client.post("/ro/address/code/", code_form(wrong)).content.decode()
    assert "Acest cod nu este corect." in first
    client.post("/ro/address/code/", code_form(wrong))
    client.post("/ro/address/code/", code_form(wrong))
    blocked = client.post("/ro/address/code/", code_form(right)).content.decode()
    assert 'lang="ro"' in blocked
    assert not SelfServiceReport.objects.exists()
    # A new code gives fresh tries.
    client.post("/ro/address/code/new/", code_form(""))
    new = last_code("agnieszka@example.com")
    assert client.post("/ro/address/code/", code_form(new)).status_code == 302
    assert SelfServiceReport.objects.count() == 1


def test_an_expired_code_is_refused_and_nothing_is_saved(home: Any) -> None:
    client = visitor()
    client.post("/en/address/", address_form(home))
    code = last_code("agnieszka@example.com")
    PendingVerification.objects.update(code_expires_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    response = client.post("/en/address/code/", code_form(code))
    assert "This code has expired. Ask for a new code below." in response.content.decode()
    assert not SelfServiceReport.objects.exists()
    assert not Person.objects.exists()


def test_the_code_is_stored_hashed_and_the_data_removed_once_used(home: Any) -> None:
    client = visitor()
    client.post("/en/address/", address_form(home))
    pending = PendingVerification.objects.get()
    code = last_code("agnieszka@example.com")
    assert code not in pending.code_hash
    assert pending.payload["surname"] == "Wiśniewska"
    client.post("/en/address/code/", code_form(code))
    pending.refresh_from_db()
    assert pending.payload == {}
    assert pending.consumed_at is not None


def test_sending_the_right_code_twice_records_one_update(home: Any) -> None:
    client = visitor()
    client.post("/en/address/", address_form(home))
    code = last_code("agnieszka@example.com")
    first = client.post("/en/address/code/", code_form(code))
    second = client.post("/en/address/code/", code_form(code))
    assert first["Location"] == second["Location"] == "/en/address/done/"
    assert SelfServiceReport.objects.count() == 1
    assert Residence.objects.count() == 1


def test_no_personal_data_appears_in_any_url(home: Any) -> None:
    client = visitor()
    locations = [client.post("/en/address/", address_form(home))["Location"]]
    locations.append(
        client.post("/en/address/code/", code_form(last_code("agnieszka@example.com")))["Location"]
    )
    for location in locations:
        assert "agnieszka" not in location.lower()
        assert "3083" not in location
        assert "1991" not in location


def test_the_code_page_without_a_submission_sends_the_visitor_to_the_form() -> None:
    response = visitor().get("/en/address/code/")
    assert response.status_code == 302
    assert response["Location"] == "/en/address/"


def test_a_filled_in_honeypot_is_refused(home: Any) -> None:
    response = visitor().post("/en/address/", address_form(home, website="http://spam.example"))
    assert "We could not accept this form." in response.content.decode()
    assert not PendingVerification.objects.exists()


def test_a_form_sent_back_too_fast_is_refused(home: Any, settings: Any) -> None:
    settings.PORTAL_MIN_FILL_SECONDS = 60
    response = visitor().post("/en/address/", address_form(home))
    assert "We could not accept this form." in response.content.decode()
    assert not PendingVerification.objects.exists()


def test_a_forged_fill_time_token_is_refused(home: Any) -> None:
    response = visitor().post("/en/address/", address_form(home, started="1700000000:forged"))
    assert "We could not accept this form." in response.content.decode()


def test_too_many_forms_from_one_client_get_a_friendly_429(home: Any) -> None:
    client = visitor()
    statuses = [
        client.post("/bg/address/", address_form(home, email=f"a{i}@example.com")).status_code
        for i in range(11)
    ]
    assert statuses[:10] == [302] * 10
    assert statuses[10] == 429
    page = client.post("/bg/address/", address_form(home))
    assert page.status_code == 429
    assert int(page["Retry-After"]) > 0
    assert 'lang="bg"' in page.content.decode()


def test_the_audit_trail_records_the_portal_as_the_actor(home: Any) -> None:
    from ketenregie.core.models import AuditEvent

    report_address(visitor(), home)
    events = AuditEvent.objects.filter(username="system:portal")
    assert events.filter(object_type="people.residence", action="create").exists()
    assert events.filter(object_type="portal.selfservicereport", action="create").exists()
    assert not any("Wiśniewska" in str(event.detail) for event in events)


def test_two_portal_forms_for_one_new_person_create_one_person(home: Any, municipality: Municipality) -> None:
    from ketenregie.portal.context import portal_actor
    from ketenregie.portal.services import AddressUpdate, address_update_apply

    update = AddressUpdate(
        reporter="self",
        given_names="Ion",
        surname="Popescu",
        birth_date=dt.date(1988, 8, 8),
        nationality="RO",
        address_id=home.pk,
        starts_on=dt.date.today(),
        language="ro",
    )
    actor = portal_actor(municipality)
    address_update_apply(actor=actor, update=update, verified_by="email")
    address_update_apply(actor=actor, update=update, verified_by="email")
    assert Person.objects.filter(surname="Popescu").count() == 1
    assert SelfServiceReport.objects.filter(person__surname="Popescu").count() == 2
