"""Writes from the portal: a verified stay address and contact details, a group registration, and the
staff's work on information pages and flagged reports. A public melding goes to ``signals.intake``."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ketenregie.core import audit, retention
from ketenregie.core.actor import Actor
from ketenregie.core.concurrency import ConcurrentEditError, save_versioned
from ketenregie.core.locks import advisory_lock, deliveries_lock
from ketenregie.core.models import AuditAction, Municipality
from ketenregie.core.permissions import Capability
from ketenregie.core.selectors import norms_for
from ketenregie.core.services import ensure_same_municipality, update_versioned
from ketenregie.core.text import normalise_name
from ketenregie.housing.selectors import location_addresses, locations_at_address
from ketenregie.people import selectors as people_selectors
from ketenregie.people import services as people_services
from ketenregie.people import stays as people_stays
from ketenregie.people.models import Person, RegistrationStatus, ResidenceSource, VerificationStatus
from ketenregie.places.models import Address
from ketenregie.places.selectors import with_registered_count
from ketenregie.portal.models import (
    ENFORCEMENT_FLAGS,
    ORIGINAL_LANGUAGE,
    Flag,
    InfoPage,
    InfoPageTranslation,
    OutboxMessage,
    PendingVerification,
    ReporterKind,
    ReviewStatus,
    SelfServiceReport,
)

_REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


@dataclass(frozen=True)
class AddressUpdate:
    """What a visitor reported, as kept server-side until the code is given (JSON-safe)."""

    reporter: str
    given_names: str
    surname: str
    birth_date: dt.date
    nationality: str
    address_id: int
    starts_on: dt.date
    language: str
    email: str = ""
    phone: str = ""
    employer_kvk: str = ""
    employer_name: str = ""
    employer_email: str = ""
    consent: bool = False

    def to_payload(self) -> dict[str, Any]:
        data = asdict(self)
        data["birth_date"] = self.birth_date.isoformat()
        data["starts_on"] = self.starts_on.isoformat()
        return data

    @classmethod
    def from_payload(cls, data: dict[str, Any]) -> AddressUpdate:
        values = dict(data)
        values["birth_date"] = dt.date.fromisoformat(values["birth_date"])
        values["starts_on"] = dt.date.fromisoformat(values["starts_on"])
        return cls(**values)

    @property
    def identity_key(self) -> str:
        return "|".join(
            (
                normalise_name(self.given_names),
                normalise_name(self.surname),
                self.birth_date.isoformat(),
                self.nationality,
            )
        )


@dataclass
class Occupancy:
    """What the checks found at an address, from the day the person lives there."""

    registered_after: int = 0
    floor_area_m2: int | None = None
    max_by_norm: int | None = None
    location_capacity: int | None = None
    location_registered: int | None = None
    flags: list[str] = field(default_factory=list)


def new_reference() -> str:
    return "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(10))


def address_checks(
    *, actor: Actor, address: Address, person_registered_there: bool, on: dt.date
) -> Occupancy:
    """Habitable use, the floor-area norm and the capacity of any housing location at the address.

    Counts people with a living address there on ``on``; when the person is not (yet) among them, they
    are added, so the finding is about the situation the report describes.
    """
    extra = 0 if person_registered_there else 1
    result = Occupancy(floor_area_m2=address.floor_area_m2)
    result.registered_after = people_selectors.registered_count(actor=actor, address=address, on=on) + extra
    if not address.is_habitable_use:
        result.flags.append(Flag.NON_RESIDENTIAL)
    norms = norms_for(actor.municipality)
    norm = norms.caravan_floor_area_per_person_m2 if address.is_caravan else norms.floor_area_per_person_m2
    if address.floor_area_m2 is not None:
        result.max_by_norm = int(address.floor_area_m2 // norm)
        if result.registered_after > result.max_by_norm:
            result.flags.append(Flag.OVER_FLOOR_AREA_NORM)
    for status in locations_at_address(actor=actor, address=address):
        location = status.location
        capacity = location.capacity_persons
        permit = status.current_permit
        if permit is not None and permit.max_persons is not None:
            capacity = min(capacity, permit.max_persons)
        addresses = with_registered_count(location_addresses(actor=actor, location=location), on)
        registered = sum(getattr(a, "registered_persons", 0) for a in addresses) + extra
        # With several locations at one address, report the fullest one.
        if result.location_capacity is None or registered - capacity > (result.location_registered or 0) - (
            result.location_capacity
        ):
            result.location_capacity, result.location_registered = capacity, registered
    if result.location_capacity is not None and (result.location_registered or 0) > result.location_capacity:
        result.flags.append(Flag.OVER_CAPACITY)
    return result


def _match_or_create(actor: Actor, update: AddressUpdate) -> tuple[Person, bool]:
    # Two submissions for the same new person at once must not both create one: lock the identity.
    advisory_lock(f"portal.person:{actor.municipality.pk}:{update.identity_key}")
    person = people_selectors.person_match(
        actor=actor,
        given_names=update.given_names,
        surname=update.surname,
        birth_date=update.birth_date,
        nationality=update.nationality,
    )
    if person is not None:
        return person, False
    person = people_services.person_create(
        actor=actor,
        given_names=update.given_names.strip(),
        surname=update.surname.strip(),
        birth_date=update.birth_date,
        nationality=update.nationality,
        registration_status=RegistrationStatus.NOT_REGISTERED,
        languages=[update.language],
    )
    if update.nationality:
        people_services.labour_migrant_ensure(
            actor=actor, person=person, country_of_origin=update.nationality
        )
    return person, True


@transaction.atomic
def address_update_apply(
    *,
    actor: Actor,
    update: AddressUpdate,
    verified_by: str,
    reporter: str | None = None,
    activity: Any = None,
) -> SelfServiceReport:
    """Record a verified self-service report: match or create the person, start the new stay address
    (earlier stay addresses end, the BRP/RNI residence stays: people.stays; nothing is overwritten),
    update contact details with the earlier values kept in the report, and flag what civil affairs
    (and where needed enforcement) should check."""
    actor.require(Capability.EDIT_PEOPLE)
    # Before any row lock: a delivery writing the same people holds this lock, then the rows.
    deliveries_lock(actor.municipality.pk)
    address = Address.objects.select_for_update().get(pk=update.address_id, municipality=actor.municipality)
    person, created = _match_or_create(actor, update)
    person = Person.objects.select_for_update().get(pk=person.pk)
    flags: list[str] = []
    current = people_selectors.current_residence(actor=actor, person=person)
    residence = None
    if current is not None and current.address_id == address.pk:
        registered_there = True
    elif current is not None and current.starts_on is not None and current.starts_on >= update.starts_on:
        # The register knows a later address than the one reported: civil affairs sorts it out.
        flags.append(Flag.DATE_CONFLICT)
        registered_there = False
    else:
        source = (
            ResidenceSource.SELF_SERVICE if update.reporter == ReporterKind.SELF else ResidenceSource.EMPLOYER
        )
        # A stay address beside the BRP's (people.stays): only the BRP moves its own address.
        residence = people_stays.stay_address_start(
            actor=actor,
            person=person,
            address=address,
            starts_on=update.starts_on,
            source=source,
            verification_status=VerificationStatus.UNVERIFIED,
        )
        registered_there = True
    check_day = max(update.starts_on, timezone.localdate())
    occupancy = address_checks(
        actor=actor, address=address, person_registered_there=registered_there, on=check_day
    )
    flags = [*occupancy.flags, *flags]
    if created:
        flags.append(Flag.NOT_REGISTERED)
    previous_email, previous_phone = person.email, person.phone
    changes: dict[str, str] = {}
    if update.email and update.email.lower() != person.email.lower():
        changes["email"] = update.email
    if update.phone and update.phone != person.phone:
        changes["phone"] = update.phone
    if changes:
        if (changes.get("email") and previous_email) or (changes.get("phone") and previous_phone):
            flags.append(Flag.CONTACT_REPLACED)
        people_services.person_update(actor=actor, person=person, expected_version=person.version, **changes)
    report = SelfServiceReport(
        municipality=actor.municipality,
        reference=new_reference(),
        reporter=reporter or update.reporter,
        language=update.language,
        verified_by=verified_by,
        person=person,
        person_created=created,
        address=address,
        starts_on=update.starts_on,
        residence=residence,
        address_changed=residence is not None,
        email=update.email,
        phone=update.phone,
        previous_email=previous_email if "email" in changes else "",
        previous_phone=previous_phone if "phone" in changes else "",
        employer_kvk=update.employer_kvk,
        employer_name=update.employer_name,
        employer_email=update.employer_email,
        consent_recorded=update.consent,
        activity=activity,
        registered_after=occupancy.registered_after,
        floor_area_m2=occupancy.floor_area_m2,
        max_by_norm=occupancy.max_by_norm,
        location_capacity=occupancy.location_capacity,
        location_registered=occupancy.location_registered,
        flags=flags,
        for_enforcement=bool(ENFORCEMENT_FLAGS.intersection(flags)),
        review_status=ReviewStatus.OPEN if flags else ReviewStatus.NOT_NEEDED,
    )
    report.save()
    audit.record_change(actor, instance=report, action=AuditAction.CREATE)
    return report


@transaction.atomic
def report_review(
    *,
    actor: Actor,
    report: SelfServiceReport,
    expected_version: int,
    note: str,
    address_status: str = "",
    method: str = "",
    residence_version: int | None = None,
) -> SelfServiceReport:
    """Civil affairs marks a flagged report as checked, with a note on what was done; with
    ``address_status`` (verified or rejected) the reported stay address is verified or rejected too,
    through the people service (its history records the report's reference and the note)."""
    actor.require(Capability.HANDLE_SELF_SERVICE_REPORTS)
    if report.review_status == ReviewStatus.NOT_NEEDED:
        raise ValidationError(_("This report needs no check."))
    if address_status:
        if report.residence is None or residence_version is None:
            raise ValueError("this report recorded no stay address to verify")
        people_services.residence_verify(
            actor=actor,
            residence=report.residence,
            status=address_status,
            method=method,
            note=f"{report.reference}: {note}",
            expected_version=residence_version,
        )
    return update_versioned(
        actor,
        report,
        expected_version=expected_version,
        changes={
            "review_status": ReviewStatus.HANDLED,
            "review_note": note,
            "reviewed_by": actor.user,
            "reviewed_at": timezone.now(),
        },
        allowed=("review_status", "review_note", "reviewed_by", "reviewed_at"),
    )


# Information pages.

PAGE_FIELDS = ("slug", "topic", "position", "is_published")


@transaction.atomic
def page_create(
    *,
    actor: Actor,
    slug: str,
    topic: str,
    position: int,
    is_published: bool,
    title: str,
    summary: str,
    body: str,
) -> InfoPage:
    """A new page, with its Dutch text: the original that every translation follows."""
    actor.require(Capability.MANAGE_INFO_PAGES)
    if InfoPage.objects.filter(municipality=actor.municipality, slug=slug).exists():
        raise ValidationError({"slug": _("Another page already has this address.")})
    page = InfoPage(
        municipality=actor.municipality, slug=slug, topic=topic, position=position, is_published=is_published
    )
    page.full_clean()
    page.save()
    audit.record_change(actor, instance=page, action=AuditAction.CREATE, changed_fields=PAGE_FIELDS)
    translation_save(
        actor=actor,
        page=page,
        language=ORIGINAL_LANGUAGE,
        expected_version=None,
        title=title,
        summary=summary,
        body=body,
    )
    return page


@transaction.atomic
def page_update(*, actor: Actor, page: InfoPage, expected_version: int, **changes: Any) -> InfoPage:
    actor.require(Capability.MANAGE_INFO_PAGES)
    if (
        "slug" in changes
        and InfoPage.objects.filter(municipality=actor.municipality, slug=changes["slug"])
        .exclude(pk=page.pk)
        .exists()
    ):
        raise ValidationError({"slug": _("Another page already has this address.")})
    return update_versioned(
        actor, page, expected_version=expected_version, changes=changes, allowed=PAGE_FIELDS
    )


@transaction.atomic
def translation_save(
    *,
    actor: Actor,
    page: InfoPage,
    language: str,
    expected_version: int | None,
    title: str,
    summary: str,
    body: str,
    matches_original: bool = True,
) -> InfoPageTranslation:
    """Create or change the text of a page in one language.

    A translation that ``matches_original`` records the Dutch version it follows; one saved without
    (a small fix while the Dutch text has changed) keeps its earlier mark, so it stays 'outdated'.
    """
    actor.require(Capability.MANAGE_INFO_PAGES)
    ensure_same_municipality(actor, page)
    original = None
    if language != ORIGINAL_LANGUAGE:
        original = InfoPageTranslation.objects.filter(page=page, language=ORIGINAL_LANGUAGE).first()
        if original is None:
            raise ValidationError(_("Write the Dutch text first: it is the original of every translation."))
    existing = InfoPageTranslation.objects.filter(page=page, language=language).first()
    changes: dict[str, Any] = {"title": title, "summary": summary, "body": body}
    if original is not None and matches_original:
        changes["source_version"] = original.version
    if existing is None:
        translation = InfoPageTranslation(
            municipality=actor.municipality, page=page, language=language, **changes
        )
        translation.full_clean()
        translation.save()
        audit.record_change(
            actor, instance=translation, action=AuditAction.CREATE, changed_fields=list(changes)
        )
        return translation
    if expected_version is None:
        raise ValidationError(_("This translation exists already: open it to change it."))
    stored = InfoPageTranslation.objects.get(pk=existing.pk)
    changed = [name for name, value in changes.items() if getattr(stored, name) != value]
    if not changed:
        # Saving an unchanged text must not make the translations of the Dutch original 'outdated'.
        if stored.version != expected_version:
            raise ConcurrentEditError(stored)
        return stored
    for name, value in changes.items():
        setattr(stored, name, value)
    stored.full_clean()
    save_versioned(stored, expected_version=expected_version, fields=changed)
    audit.record_change(actor, instance=stored, action=AuditAction.UPDATE, changed_fields=changed)
    return stored


# --- retention ----------------------------------------------------------------------------------------


def retention_remove_verifications(
    *, municipality: Municipality, verification_ids: Sequence[int], outbox_ids: Sequence[int]
) -> int:
    """Remove pending verifications and the codes sent for them (the outbox); the purge writes the audit."""
    removed = 0
    for batch in retention.batches(verification_ids):
        removed += retention.delete_queryset(
            PendingVerification.objects.filter(municipality=municipality, pk__in=batch)
        )
    for batch in retention.batches(outbox_ids):
        removed += retention.delete_queryset(
            OutboxMessage.objects.filter(municipality=municipality, pk__in=batch)
        )
    return removed


def retention_remove_self_service_reports(*, municipality: Municipality, ids: Sequence[int]) -> int:
    """Remove self-service reports. The register keeps the person and the residence the report led to."""
    removed = 0
    for batch in retention.batches(ids):
        removed += retention.delete_queryset(
            SelfServiceReport.objects.filter(municipality=municipality, pk__in=batch)
        )
    return removed
