"""The information point's contact log and activities, and the figures the KPI catalogue reads."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from ketenregie.core.actor import Actor
from ketenregie.core.concurrency import ConcurrentEditError
from ketenregie.core.models import AuditEvent, Municipality
from ketenregie.infopoint import selectors, services
from ketenregie.infopoint.models import ActivityKind, ActivityStatus, Contact, ContactTopic
from ketenregie.infopoint.pseudonyms import visitor_key
from tests import factories as f

START, END = dt.date(2024, 1, 1), dt.date(2024, 12, 31)


@pytest.fixture
def point(municipality: Municipality) -> Any:
    return f.InformationPointFactory(municipality=municipality)


def _contact(actor: Actor, point: Any, **fields: Any) -> Contact:
    values: dict[str, Any] = {
        "point": point,
        "contacted_on": dt.date(2024, 3, 5),
        "channel": "desk",
        "language": "pl",
        "topics": ["housing"],
    }
    values.update(fields)
    return services.contact_create(actor=actor, **values)


def test_the_visitor_key_ignores_case_accents_and_spaces(municipality: Municipality) -> None:
    born = dt.date(1990, 5, 17)
    key = visitor_key(municipality=municipality, name="Łukasz  Wiśniewski", birth_date=born)
    assert key == visitor_key(municipality=municipality, name="lukasz wisniewski ", birth_date=born)
    assert key != visitor_key(
        municipality=municipality, name="Lukasz Wisniewski", birth_date=dt.date(1990, 5, 18)
    )
    assert len(key) == 64
    assert "lukasz" not in key


def test_the_same_visitor_has_another_key_in_another_municipality(
    municipality: Municipality, other_municipality: Municipality
) -> None:
    born = dt.date(1990, 5, 17)
    assert visitor_key(municipality=municipality, name="Jan Nowak", birth_date=born) != visitor_key(
        municipality=other_municipality, name="Jan Nowak", birth_date=born
    )


def test_a_contact_stores_the_key_but_never_the_name(actor_for: Callable[[str], Actor], point: Any) -> None:
    actor = actor_for("infopoint")
    contact = _contact(actor, point, visitor_name="Jan Nowak", visitor_birth_date=dt.date(1980, 1, 2))
    assert contact.visitor_key
    stored = " ".join(str(v) for v in Contact.objects.filter(pk=contact.pk).values().first().values())
    assert "Nowak" not in stored
    assert "1980" not in stored
    event = AuditEvent.objects.get(object_type="infopoint.contact", action="create")
    assert "Nowak" not in str(event.detail)


def test_a_name_without_a_birth_date_is_refused(actor_for: Callable[[str], Actor], point: Any) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        _contact(actor_for("infopoint"), point, visitor_name="Jan Nowak")
    assert not Contact.objects.exists()


def test_unique_visitors_count_each_visitor_once(actor_for: Callable[[str], Actor], point: Any) -> None:
    actor = actor_for("infopoint")
    for name in ("Jan Nowak", "Jan Nowak", "Ana Pop"):
        _contact(actor, point, visitor_name=name, visitor_birth_date=dt.date(1980, 1, 2))
    _contact(actor, point)  # gave no name: counts once
    _contact(
        actor,
        point,
        contacted_on=dt.date(2023, 12, 31),
        visitor_name="Eva",
        visitor_birth_date=dt.date(1999, 1, 1),
    )
    assert selectors.unique_visitors(actor=actor, start=START, end=END) == 3
    assert selectors.contacts_count(actor=actor, start=START, end=END) == 4


def test_people_helped_to_digid_are_counted_once(actor_for: Callable[[str], Actor], point: Any) -> None:
    actor = actor_for("infopoint")
    for _ in range(2):
        _contact(
            actor,
            point,
            visitor_name="Jan Nowak",
            visitor_birth_date=dt.date(1980, 1, 2),
            digid_activated=True,
        )
    _contact(actor, point, visitor_name="Ana Pop", visitor_birth_date=dt.date(1985, 1, 2))
    assert selectors.digid_helped(actor=actor, start=START, end=END) == 1


def test_activity_figures_count_only_what_was_held(
    actor_for: Callable[[str], Actor], municipality: Municipality
) -> None:
    actor = actor_for("policy")
    f.ActivityFactory(municipality=municipality, kind=ActivityKind.INFORMATION_MEETING)
    f.ActivityFactory(
        municipality=municipality, kind=ActivityKind.INFORMATION_MEETING, status=ActivityStatus.CANCELLED
    )
    f.ActivityFactory(
        municipality=municipality, kind=ActivityKind.INFORMATION_MEETING, held_on=dt.date(2025, 1, 1)
    )
    f.ActivityFactory(municipality=municipality, kind=ActivityKind.GROUP_REGISTRATION, attendance=40)
    f.ActivityFactory(municipality=municipality, kind=ActivityKind.COURSE_FORMAL, attendance=12)
    f.ActivityFactory(municipality=municipality, kind=ActivityKind.COURSE_FORMAL, attendance=8)
    f.ActivityFactory(municipality=municipality, kind=ActivityKind.COURSE_NON_FORMAL, attendance=15)
    f.ActivityFactory(municipality=municipality, kind=ActivityKind.KEY_FIGURE_NETWORK, attendance=30)
    f.ActivityFactory(municipality=municipality, kind=ActivityKind.KEY_FIGURE_NETWORK, attendance=24)
    assert selectors.meetings_held(actor=actor, start=START, end=END) == 1
    assert selectors.group_registration_moments(actor=actor, start=START, end=END) == 1
    participants = selectors.course_participants(actor=actor, start=START, end=END)
    assert (participants.formal, participants.non_formal, participants.total) == (20, 15, 35)
    assert selectors.key_figures_active(actor=actor, start=START, end=END) == 30


def test_the_figures_need_the_key_figures_capability(actor_for: Callable[[str], Actor]) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        selectors.unique_visitors(actor=actor_for("partner"), start=START, end=END)


def test_two_staff_editing_one_contact_get_a_conflict(actor_for: Callable[[str], Actor], point: Any) -> None:
    actor = actor_for("infopoint")
    contact = _contact(actor, point)
    services.contact_update(
        actor=actor, contact=contact, expected_version=1, topics=["work"], follow_up="Bellen"
    )
    with pytest.raises(ConcurrentEditError):
        services.contact_update(actor=actor, contact=contact, expected_version=1, topics=["legal"])
    assert list(ContactTopic.objects.values_list("topic", flat=True)) == ["work"]


def test_the_contact_form_records_a_contact(client_as: Callable[[str], Client], point: Any) -> None:
    client = client_as("infopoint")
    response = client.post(
        "/app/infopoint/contacts/new/",
        {
            "point": point.pk,
            "contacted_on": "2024-06-01",
            "channel": "whatsapp",
            "language": "ro",
            "topics": ["digid", "brp_registration"],
            "visitor_name": "Ion Popescu",
            "visitor_birth_date": "1990-04-12",
            "referral": "uwv",
            "digid_activated": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    contact = Contact.objects.get()
    assert set(contact.topics.values_list("topic", flat=True)) == {"digid", "brp_registration"}
    assert contact.digid_activated
    assert contact.referral == "uwv"
    assert contact.visitor_key


def test_a_stale_edit_form_is_refused_and_nothing_is_overwritten(
    client_as: Callable[[str], Client], actor_for: Callable[[str], Actor], point: Any
) -> None:
    contact = _contact(actor_for("infopoint"), point, follow_up="Terugbellen")
    client = client_as("infopoint")
    form = {
        "point": point.pk,
        "contacted_on": "2024-03-05",
        "channel": "desk",
        "language": "pl",
        "topics": ["housing"],
        "follow_up": "Mijn versie",
        "version": "1",
    }
    assert client.post(f"/app/infopoint/contacts/{contact.pk}/", form).status_code == 302
    stale = client.post(f"/app/infopoint/contacts/{contact.pk}/", {**form, "follow_up": "Oude versie"})
    assert stale.status_code == 200
    assert "Someone else changed this record" in stale.content.decode()
    contact.refresh_from_db()
    assert contact.follow_up == "Mijn versie"


def test_the_contact_list_filters_and_audits_what_it_shows(
    client_as: Callable[[str], Client], actor_for: Callable[[str], Actor], point: Any
) -> None:
    actor = actor_for("infopoint")
    shown = _contact(actor, point, channel="phone", topics=["money"])
    _contact(actor, point, channel="desk", topics=["work"])
    response = client_as("infopoint").get("/app/infopoint/contacts/?topic=money")
    assert list(response.context["page"].object_list) == [shown]
    assert AuditEvent.objects.filter(
        object_type="infopoint.contact", object_id=str(shown.pk), action="view"
    ).exists()


def test_an_export_of_the_log_is_audited_with_its_filters(
    client_as: Callable[[str], Client], actor_for: Callable[[str], Actor], point: Any
) -> None:
    _contact(actor_for("infopoint"), point)
    response = client_as("infopoint").get("/app/infopoint/contacts/?channel=desk&export=csv")
    assert response.status_code == 200
    content = b"".join(response.streaming_content).decode()
    assert "Informatiepunt Zuid" in content
    event = AuditEvent.objects.get(object_type="infopoint.contact", action="export")
    assert event.detail["filters"] == {"channel": "desk"}
    assert event.detail["rows"] == 1


def test_a_held_activity_needs_its_attendance(client_as: Callable[[str], Client], point: Any) -> None:
    response = client_as("infopoint").post(
        "/app/infopoint/activities/new/",
        {
            "kind": "information_meeting",
            "title": "Wonen in Rotterdam",
            "held_on": "2024-04-04",
            "status": "held",
        },
    )
    assert response.status_code == 200
    assert "Give the number of participants" in response.content.decode()
