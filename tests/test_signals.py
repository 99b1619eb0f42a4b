"""Meldingen: intake, address resolution, duplicates, the workflow with deadlines, telling the reporter."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from ketenregie.core.actor import Actor
from ketenregie.core.concurrency import ConcurrentEditError
from ketenregie.core.models import AuditEvent
from ketenregie.signals import selectors, services
from ketenregie.signals.intake import ReportedAddress, Reporter, SignalIntake, signal_create_initial
from ketenregie.signals.models import Signal, SignalChannel, SignalResult, SignalStatus
from ketenregie.signals.selectors import SignalFilter
from tests import factories as f
from tests.conftest import World

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Messages are read in the English source text; the application itself speaks Dutch by default."""
    with translation.override("en"):
        yield


def submit(actor: Actor, world: World, **overrides: Any) -> Signal:
    values: dict[str, Any] = {
        "description": "Er slapen twaalf mensen in een kleine woning, elke ochtend busjes.",
        "category": f.signal_category(world.address.municipality, "overcrowding"),
        "reported_address": ReportedAddress(
            postcode=world.address.postcode, house_number=world.address.house_number
        ),
        "reporter": Reporter(name="Jan Buurman", email="jan@example.nl"),
    }
    values.update(overrides)
    return signal_create_initial(SignalIntake(municipality=actor.municipality, **values), actor=actor)


def test_a_melding_at_a_known_postcode_is_linked_to_the_address(
    world: World, actor_for: Callable[[str], Actor]
) -> None:
    signal = submit(actor_for("enforcement"), world)
    assert signal.address == world.address
    assert not signal.needs_address
    assert signal.status == SignalStatus.NEW
    assert signal.due_on == timezone.localtime(signal.received_at).date() + dt.timedelta(days=14)


def test_a_melding_without_a_usable_address_is_kept_and_flagged(
    world: World, actor_for: Callable[[str], Actor]
) -> None:
    signal = submit(
        actor_for("enforcement"),
        world,
        reported_address=ReportedAddress(postcode="9999ZZ", house_number=1, text="achter het station"),
    )
    assert signal.pk is not None
    assert signal.address is None
    assert signal.needs_address
    assert signal.location_text == "achter het station"
    queue = selectors.signal_keys(actor=actor_for("enforcement"), filters=SignalFilter(queue="needs_address"))
    assert list(queue) == [signal]


def test_resolving_the_address_later_links_it_and_clears_the_flag(
    world: World, actor_for: Callable[[str], Actor]
) -> None:
    actor = actor_for("enforcement")
    signal = submit(actor, world, reported_address=ReportedAddress(text="Boterdiep, bij de bakker"))
    resolved = services.signal_resolve_address(
        actor=actor, signal=signal, expected_version=signal.version, address=world.address
    )
    assert resolved.address == world.address
    assert not resolved.needs_address


def test_an_anonymous_public_melding_falls_back_to_the_category_other(world: World) -> None:
    signal = signal_create_initial(
        SignalIntake(
            municipality=world.address.municipality,
            description="Er ligt al weken afval en er staan matrassen buiten.",
        )
    )
    assert signal.category.code == "other"
    assert signal.channel == SignalChannel.PORTAL
    assert not signal.has_contact
    assert AuditEvent.objects.filter(object_type="signals.signal", username="system:public").exists()


def test_a_too_short_description_is_refused_with_a_reason(
    world: World, actor_for: Callable[[str], Actor]
) -> None:
    with pytest.raises(ValidationError, match="at least 10 characters"):
        submit(actor_for("enforcement"), world, description="te kort")
    assert not Signal.objects.exists()


def test_a_second_melding_at_the_same_address_and_category_is_linked_not_lost(
    world: World, actor_for: Callable[[str], Actor]
) -> None:
    actor = actor_for("enforcement")
    first = submit(actor, world)
    second = submit(
        actor,
        world,
        category=f.signal_category(world.address.municipality, "overcrowding_too_many_occupants"),
    )
    other_category = submit(actor, world, category=f.signal_category(world.address.municipality, "nuisance"))
    assert second.duplicate_of == first
    assert other_category.duplicate_of is None
    assert Signal.objects.count() == 3
    assert selectors.signal_duplicates(actor=actor, signal=first) == [second]


def test_a_melding_after_the_first_was_closed_starts_afresh(
    world: World, actor_for: Callable[[str], Actor]
) -> None:
    actor = actor_for("enforcement")
    first = submit(actor, world)
    services.signal_close(
        actor=actor, signal=first, expected_version=first.version, result=SignalResult.NOT_CONFIRMED
    )
    assert submit(actor, world).duplicate_of is None


def test_the_workflow_runs_from_new_through_triage_to_closed_with_a_result(
    world: World, actor_for: Callable[[str], Actor], django_capture_on_commit_callbacks: Any
) -> None:
    actor = actor_for("enforcement")
    signal = submit(actor, world, category=f.signal_category(world.address.municipality, "other"))
    assert signal.due_on == timezone.localtime(signal.received_at).date() + dt.timedelta(days=28)
    triaged = services.signal_triage(
        actor=actor,
        signal=signal,
        expected_version=signal.version,
        category=f.signal_category(world.address.municipality, "unsafe_housing"),
    )
    assert triaged.status == SignalStatus.TRIAGED
    assert triaged.due_on == timezone.localtime(signal.received_at).date() + dt.timedelta(days=5)
    with pytest.raises(ValidationError, match="result"):
        services.signal_close(actor=actor, signal=triaged, expected_version=triaged.version, result="")
    with django_capture_on_commit_callbacks(execute=True):
        closed = services.signal_close(
            actor=actor, signal=triaged, expected_version=triaged.version, result=SignalResult.CONFIRMED
        )
    assert closed.status == SignalStatus.CLOSED
    assert closed.closed_at is not None
    with pytest.raises(ValidationError, match="already closed"):
        services.signal_close(
            actor=actor, signal=closed, expected_version=closed.version, result=SignalResult.CONFIRMED
        )


def test_the_reporter_is_told_the_outcome_by_e_mail_in_their_language(
    world: World, actor_for: Callable[[str], Actor], django_capture_on_commit_callbacks: Any
) -> None:
    actor = actor_for("enforcement")
    signal = submit(actor, world, reporter=Reporter(name="Anna", email="anna@example.eu", language="en"))
    linked = submit(actor, world, reporter=Reporter(email="buur@example.nl"))
    anonymous = submit(actor, world, reporter=Reporter())
    with django_capture_on_commit_callbacks(execute=True):
        services.signal_close(
            actor=actor, signal=signal, expected_version=signal.version, result=SignalResult.CONFIRMED
        )
    assert sorted(message.to[0] for message in mail.outbox) == ["anna@example.eu", "buur@example.nl"]
    english = next(m for m in mail.outbox if m.to == ["anna@example.eu"])
    assert signal.reference in english.subject
    assert "has been handled" in english.subject
    assert "a violation was established" in english.body
    dutch = next(m for m in mail.outbox if m.to == ["buur@example.nl"])
    assert "afgehandeld" in dutch.subject
    assert Signal.objects.get(pk=linked.pk).status == SignalStatus.CLOSED
    assert Signal.objects.get(pk=signal.pk).reporter_informed_at is not None
    assert Signal.objects.get(pk=anonymous.pk).reporter_informed_at is None


def test_a_failing_mail_server_does_not_undo_the_close(
    world: World, actor_for: Callable[[str], Actor], settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.SIGNAL_NOTIFIER = "tests.test_signals.BrokenNotifier"
    actor = actor_for("enforcement")
    signal = submit(actor, world)
    with django_capture_on_commit_callbacks(execute=True):
        services.signal_close(
            actor=actor, signal=signal, expected_version=signal.version, result=SignalResult.REFERRED
        )
    stored = Signal.objects.get(pk=signal.pk)
    assert stored.status == SignalStatus.CLOSED
    assert stored.reporter_informed_at is None


class BrokenNotifier:
    def inform(self, signal: Signal) -> bool:
        raise ConnectionRefusedError("mail server down")


def test_overdue_meldingen_are_listed_by_deadline(world: World, actor_for: Callable[[str], Actor]) -> None:
    actor = actor_for("enforcement")
    municipality = world.address.municipality
    now = timezone.now()
    late = f.SignalFactory(
        municipality=municipality,
        received_at=now - dt.timedelta(days=40),
        due_on=now.date() - dt.timedelta(days=26),
    )
    later = f.SignalFactory(
        municipality=municipality,
        received_at=now - dt.timedelta(days=20),
        due_on=now.date() - dt.timedelta(days=6),
    )
    f.SignalFactory(municipality=municipality, due_on=now.date() + dt.timedelta(days=3))
    f.SignalFactory(
        municipality=municipality,
        due_on=now.date() - dt.timedelta(days=9),
        status=SignalStatus.CLOSED,
        result=SignalResult.NOT_CONFIRMED,
        closed_at=now,
    )
    overdue = list(selectors.signal_keys(actor=actor, filters=SignalFilter(queue="overdue")))
    assert overdue == [late, later]
    assert selectors.signal_queue_counts(actor=actor).overdue == 2


def test_a_stale_version_gives_a_conflict_and_changes_nothing(
    world: World, actor_for: Callable[[str], Actor]
) -> None:
    actor = actor_for("enforcement")
    signal = submit(actor, world)
    services.signal_triage(
        actor=actor, signal=signal, expected_version=signal.version, category=signal.category
    )
    with pytest.raises(ConcurrentEditError):
        services.signal_triage(
            actor=actor,
            signal=signal,
            expected_version=signal.version,
            category=f.signal_category(world.address.municipality, "nuisance"),
        )
    assert Signal.objects.get(pk=signal.pk).category.code == "overcrowding"


def test_reading_the_reporters_details_is_recorded_and_lists_do_not_load_them(
    world: World, actor_for: Callable[[str], Actor]
) -> None:
    actor = actor_for("enforcement")
    signal = submit(actor, world)
    row = selectors.signal_page(actor=actor, filters=SignalFilter(), page_number=1).object_list[0]
    assert "reporter_email" in row.get_deferred_fields()
    contact = selectors.signal_reporter(actor=actor, signal=signal)
    assert contact.email == "jan@example.nl"
    assert AuditEvent.objects.filter(
        action="view",
        object_type="signals.signal",
        object_id=str(signal.pk),
        detail__context="signal_reporter",
    ).exists()


def test_a_partner_records_a_melding_through_the_partner_channel(
    world: World, actor_for: Callable[[str], Actor]
) -> None:
    signal = submit(actor_for("partner"), world, channel=SignalChannel.PHONE)
    assert signal.channel == SignalChannel.PARTNER
    assert signal.reporter_organisation is not None
    assert signal.reporter_organisation.kind == "nla"


def test_the_intake_page_saves_a_melding_with_a_photo_and_flags_an_unknown_address(
    world: World, client_as: Callable[[str], Client], settings: Any, tmp_path: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    category = f.signal_category(world.address.municipality, "overcrowding")
    response = client_as("enforcement").post(
        reverse("signals:signal_create"),
        {
            "category": category.pk,
            "description": "Twaalf mensen in een bovenwoning van veertig vierkante meter.",
            "postcode": "1234 ZZ",
            "house_number": "7",
            "channel": "phone",
            "attachments": [SimpleUploadedFile("foto.png", f.PNG_BYTES, content_type="image/png")],
        },
    )
    signal = Signal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("signals:signal_detail", args=[signal.pk])
    assert signal.needs_address
    assert signal.attachments.get().content_type == "image/png"


def test_the_intake_page_refuses_a_disguised_executable_with_a_clear_message(
    world: World, client_as: Callable[[str], Client], settings: Any, tmp_path: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    category = f.signal_category(world.address.municipality, "overcrowding")
    response = client_as("enforcement").post(
        reverse("signals:signal_create"),
        {
            "category": category.pk,
            "description": "Twaalf mensen in een bovenwoning van veertig vierkante meter.",
            "channel": "phone",
            "attachments": [
                SimpleUploadedFile("foto.jpg", b"MZ\x90\x00 not a photo", content_type="image/jpeg")
            ],
        },
    )
    assert response.status_code == 200
    assert "is not a photo (JPEG, PNG, WebP) or a PDF document" in response.content.decode()
    assert not Signal.objects.exists()


def test_inline_triage_from_the_queue_returns_the_updated_row(
    world: World, client_as: Callable[[str], Client], actor_for: Callable[[str], Actor]
) -> None:
    signal = submit(actor_for("enforcement"), world)
    nuisance = f.signal_category(world.address.municipality, "nuisance")
    client = client_as("enforcement")
    url = reverse("signals:signal_triage", args=[signal.pk])
    response = client.post(
        url, {"version": signal.version, "category": nuisance.pk, "inline": "1"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert f'id="signal-{signal.pk}"' in response.content.decode()
    stale = client.post(
        url, {"version": signal.version, "category": nuisance.pk, "inline": "1"}, HTTP_HX_REQUEST="true"
    )
    assert "Someone else changed this record" in stale.content.decode()
    assert Signal.objects.get(pk=signal.pk).version == signal.version + 1


def test_the_classifier_suggests_from_the_municipalitys_own_meldingen(
    world: World, actor_for: Callable[[str], Actor]
) -> None:
    import random
    from io import StringIO

    from django.core.management import call_command

    from ketenregie.demo.signal_texts import signal_text

    municipality = world.address.municipality
    rng = random.Random(2)
    for code in ["overcrowding", "nuisance", "labour_exploitation"] * 40:
        f.SignalFactory(
            municipality=municipality,
            category=f.signal_category(municipality, code),
            description=signal_text(rng, code, english_share=0.3),
            status=SignalStatus.TRIAGED,
        )
    out = StringIO()
    call_command("train_signal_classifier", "--municipality", municipality.code, stdout=out)
    assert "Trained on 120 triaged meldingen" in out.getvalue()
    suggestion = selectors.signal_suggest(
        actor=actor_for("enforcement"),
        text="The employer keeps our passports and pays less than minimum wage",
    )
    assert suggestion is not None
    assert suggestion.category.code == "labour_exploitation"
    assert 0 < suggestion.confidence <= 1
    fresh = submit(actor_for("enforcement"), world, category=f.signal_category(municipality, "other"))
    assert fresh.category.code == "other"
    assert fresh.suggested_category is not None


def test_a_public_melding_at_a_known_address_keeps_its_photo_and_comes_in_through_the_portal(
    world: World, settings: Any, tmp_path: Any
) -> None:
    from django.core.files.base import ContentFile

    from ketenregie.core.uploads import check_upload

    settings.MEDIA_ROOT = tmp_path
    municipality = world.address.municipality
    signal = signal_create_initial(
        SignalIntake(
            municipality=municipality,
            description="Gasflessen in de gang en geen rookmelders.",
            channel=SignalChannel.PHONE,
            category=selectors.category_by_code(municipality=municipality, code="unsafe_housing"),
            address=world.address,
            reporter=Reporter(email="ktos@example.pl", language="pl"),
            attachments=(check_upload(ContentFile(f.PNG_BYTES, name="foto")),),
            public_source="portal",
        )
    )
    assert (signal.channel, signal.category.code, signal.reporter_language) == (
        "portal",
        "unsafe_housing",
        "pl",
    )
    assert signal.address == world.address
    assert signal.reporter_organisation is None
    assert signal.submitted_by is None
    assert signal.attachments.get().content_type == "image/png"
    assert AuditEvent.objects.filter(object_id=str(signal.pk), username="system:portal").exists()


def test_only_a_chain_partner_uses_the_partner_channel(
    world: World, actor_for: Callable[[str], Actor]
) -> None:
    with pytest.raises(ValidationError, match="Only a chain partner"):
        submit(actor_for("enforcement"), world, channel=SignalChannel.PARTNER)
    assert not Signal.objects.exists()


def test_a_role_without_intake_cannot_submit_a_melding(
    world: World, actor_for: Callable[[str], Actor]
) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        submit(actor_for("council"), world)
    assert not Signal.objects.exists()
