"""How a melding comes in: one intake record and one entry point, whatever the channel.

The open API, the portal's form, the staff's form and a chain partner each build one ``SignalIntake``
at their edge and hand it to ``signal_create_initial`` (named after Signalen's ``create_initial``). The
rules of intake therefore hold for every channel alike:

- a melding is never dropped: without a usable address it is saved and flagged for address resolution;
- a melding at an address with an open melding of the same main category is linked to that one;
- the deadline follows from the category, and the municipality's classifier suggests a category;
- who submitted decides the channel: the public always comes in through the portal channel and needs no
  role; staff need the role to submit; a chain partner is always the partner channel and is recorded as
  the reporting organisation, and nobody else may use that channel.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ketenregie.core import audit
from ketenregie.core.actor import Actor
from ketenregie.core.models import AuditAction, Municipality, Organisation, OrganisationKind
from ketenregie.core.permissions import Capability
from ketenregie.core.services import ensure_same_municipality
from ketenregie.core.uploads import CheckedUpload
from ketenregie.places.models import Address
from ketenregie.signals.categories import due_on_for, ensure_default_categories
from ketenregie.signals.models import CategoryCode, Signal, SignalAttachment, SignalCategory, SignalChannel
from ketenregie.signals.services import _link_duplicate, resolve_address, suggest_category


@dataclass(frozen=True)
class ReportedAddress:
    """The address as a reporter gave it: structured (postcode and number) and/or as free text."""

    postcode: str = ""
    house_number: int | None = None
    house_letter: str = ""
    house_number_addition: str = ""
    text: str = ""

    def as_text(self) -> str:
        if self.text:
            return self.text[:200]
        if self.postcode or self.house_number:
            number = f"{self.house_number or ''}{self.house_letter}"
            addition = f"-{self.house_number_addition}" if self.house_number_addition else ""
            return f"{self.postcode} {number}{addition}".strip()
        return ""


@dataclass(frozen=True)
class Reporter:
    name: str = ""
    email: str = ""
    phone: str = ""
    language: str = "nl"


@dataclass(frozen=True)
class SignalIntake:
    """One melding as its channel received it, before any rule of intake is applied.

    ``category`` is resolved by the edge (through ``signals.selectors.category_by_code`` or a form's
    choice); None means the main category 'other'. ``address`` is the register's address when the edge
    already knows it; otherwise ``reported_address`` is looked up in the register. ``channel`` is the one
    the caller asked for ('' is the staff channel): the entry point overrides it for the public and for
    chain partners.
    ``public_source`` names the public door ('portal', 'api'): the audit trail records an anonymous
    melding as submitted by ``system:<public_source>``.
    """

    municipality: Municipality
    description: str
    channel: str = ""
    category: SignalCategory | None = None
    address: Address | None = None
    reported_address: ReportedAddress = ReportedAddress()
    reporter: Reporter = Reporter()
    attachments: tuple[CheckedUpload, ...] = ()
    received_at: dt.datetime | None = None
    public_source: str = "public"


@dataclass(frozen=True)
class _Submitter:
    actor: Actor
    channel: str
    reporting_organisation: Organisation | None


def _submitter(intake: SignalIntake, actor: Actor | None) -> _Submitter:
    """Who submitted decides the channel and whether a role is needed."""
    if actor is None:
        # The public: anonymous unless contact details are given, and recorded as the public door.
        public = Actor.system(intake.municipality, name=intake.public_source, roles=frozenset())
        return _Submitter(public, SignalChannel.PORTAL, None)
    actor.require(Capability.SUBMIT_SIGNALS)
    if actor.municipality.pk != intake.municipality.pk:
        raise PermissionDenied("the melding is for another municipality than its submitter's")
    organisation = actor.organisation
    if organisation is not None and organisation.kind != OrganisationKind.MUNICIPAL_DEPARTMENT:
        return _Submitter(actor, SignalChannel.PARTNER, organisation)
    if intake.channel == SignalChannel.PARTNER:
        raise ValidationError({"channel": _("Only a chain partner reports through the partner channel.")})
    return _Submitter(actor, intake.channel or SignalChannel.STAFF, None)


@transaction.atomic
def signal_create_initial(intake: SignalIntake, *, actor: Actor | None = None) -> Signal:
    """Record a melding; ``actor`` is the staff member or chain partner who submitted it, None the public."""
    submitter = _submitter(intake, actor)
    actor = submitter.actor
    municipality = actor.municipality
    description = (intake.description or "").strip()
    if len(description) < 10:
        raise ValidationError({"description": _("Describe what is going on in at least 10 characters.")})
    category = intake.category or ensure_default_categories(municipality)[CategoryCode.OTHER]
    ensure_same_municipality(actor, category)
    if not category.is_active:
        raise ValidationError({"category": _("This category is no longer in use; choose another.")})
    reported = intake.reported_address
    address = intake.address
    if address is None:
        address = resolve_address(municipality, reported)
    else:
        ensure_same_municipality(actor, address)
    reporter = intake.reporter
    received = intake.received_at or timezone.now()
    signal = Signal(
        municipality=municipality,
        received_at=received,
        channel=submitter.channel,
        category=category,
        description=description,
        address=address,
        location_text=reported.as_text() or (address.label[:200] if address else ""),
        needs_address=address is None,
        reporter_name=reporter.name.strip(),
        reporter_email=reporter.email.strip(),
        reporter_phone=reporter.phone.strip(),
        reporter_language=reporter.language or "nl",
        reporter_organisation=submitter.reporting_organisation,
        submitted_by=actor.user,
        due_on=due_on_for(category, received),
    )
    suggestion = suggest_category(municipality=municipality, text=description)
    if suggestion is not None:
        signal.suggested_category, signal.suggestion_confidence = suggestion
    signal.full_clean(exclude=["address", "category", "suggested_category", "reporter_organisation"])
    signal.save()
    for upload in intake.attachments:
        SignalAttachment.objects.create(
            municipality=municipality,
            signal=signal,
            file=upload.content,
            original_name=upload.original_name,
            content_type=upload.content_type,
            size=upload.size,
            sha256=upload.sha256,
        )
    audit.record_change(
        actor,
        instance=signal,
        action=AuditAction.CREATE,
        changed_fields=[
            name
            for name in ("category", "description", "address", "reporter_name", "reporter_email")
            if getattr(signal, name)
        ]
        + (["attachments"] if intake.attachments else []),
    )
    _link_duplicate(actor, signal)
    return signal
