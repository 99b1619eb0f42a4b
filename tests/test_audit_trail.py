from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from ketenregie.core.models import AuditAction, AuditEvent, User
from ketenregie.core.models.audit import AppendOnlyError
from tests.conftest import World, english_client


def events(**filters: object) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(**filters))


def test_viewing_a_person_leaves_an_event_with_who_what_and_why(
    world: World, client_as: Callable[[str], Client]
) -> None:
    client_as("enforcement").get(reverse("people:person_detail", args=[world.person.pk]))
    [event] = events(action=AuditAction.VIEW, object_type="people.person", object_id=str(world.person.pk))
    assert event.username == "enforcement"
    assert event.organisation_name
    assert event.purpose == "toezicht en handhaving"
    assert event.municipality_id == world.person.municipality_id


def test_every_person_on_a_list_page_is_recorded(world: World, client_as: Callable[[str], Client]) -> None:
    client_as("civil_affairs").get(reverse("people:person_list"))
    assert events(action=AuditAction.VIEW, object_type="people.person", object_id=str(world.person.pk))


def test_the_residents_on_an_address_page_are_recorded(
    world: World, client_as: Callable[[str], Client]
) -> None:
    client_as("enforcement").get(reverse("places:address_detail", args=[world.address.pk]))
    [event] = events(action=AuditAction.VIEW, object_type="people.person")
    assert event.detail == {"context": "address_residents"}


def test_roles_without_personal_data_see_counts_and_leave_no_person_events(
    world: World, client_as: Callable[[str], Client]
) -> None:
    response = client_as("policy").get(reverse("places:address_detail", args=[world.address.pk]))
    assert world.person.surname not in response.content.decode()
    assert not events(action=AuditAction.VIEW, object_type="people.person")


def test_an_export_is_one_event_with_its_filters_and_row_count(
    world: World, client_as: Callable[[str], Client]
) -> None:
    response = client_as("enforcement").get(reverse("places:address_list") + "?export=csv&q=Boterdiep")
    b"".join(response.streaming_content)
    [event] = events(action=AuditAction.EXPORT)
    assert event.object_type == "places.address"
    assert event.detail["rows"] == 1
    assert event.detail["filters"]["search"] == "Boterdiep"


def test_the_trail_holds_no_names_or_bsns(world: World, client_as: Callable[[str], Client]) -> None:
    client_as("enforcement").get(reverse("people:person_detail", args=[world.person.pk]))
    text = " ".join(f"{e.object_id} {e.detail} {e.purpose}" for e in AuditEvent.objects.all())
    assert world.person.bsn not in text
    assert world.person.surname not in text


def test_audit_events_cannot_be_changed_or_deleted(world: World, client_as: Callable[[str], Client]) -> None:
    client_as("enforcement").get(reverse("people:person_detail", args=[world.person.pk]))
    event = AuditEvent.objects.first()
    assert event is not None
    event.purpose = "something else"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.update(purpose="x")


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the database trigger exists on PostgreSQL only"
)
def test_the_database_itself_refuses_to_rewrite_the_trail(
    world: World, client_as: Callable[[str], Client]
) -> None:
    from django.db import DatabaseError

    client_as("enforcement").get(reverse("people:person_detail", args=[world.person.pk]))
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditevent SET purpose = 'rewritten'")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent")


def test_the_privacy_officer_filters_the_trail_without_personal_data_in_the_url(
    world: World, client_as: Callable[[str], Client]
) -> None:
    client_as("enforcement").get(reverse("people:person_detail", args=[world.person.pk]))
    officer = client_as("privacy_officer")
    response = officer.post(
        reverse("core:audit_list"), {"username": "enforcement", "object_type": "people.person"}
    )
    assert response.status_code == 302
    assert "enforcement" not in response["Location"]
    page = officer.get(response["Location"])
    assert page.context["page"].paginator.count == 1


def test_logins_and_failed_logins_are_recorded(world: World, personas: dict[str, User]) -> None:
    # With the persona the name is an account's, kept in full; a name that is no account is shortened
    # (test_admin_audit).
    english_client().post(reverse("web:login"), {"username": "enforcement", "password": "wrong"})
    assert events(action=AuditAction.LOGIN_FAILED, username="enforcement")
