"""Recording deliveries. An importer of a delivery kind records its delivery inside its own ``write``,
so the record and the register change commit together or not at all."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ketenregie.core import audit
from ketenregie.core.actor import Actor
from ketenregie.core.concurrency import ConcurrentEditError, save_versioned
from ketenregie.core.imports import ImportResult, chunked
from ketenregie.core.locks import deliveries_lock
from ketenregie.core.models import AuditAction, Organisation
from ketenregie.core.permissions import Capability
from ketenregie.core.services import ensure_same_municipality
from ketenregie.deliveries.models import (
    DeliveredPerson,
    Delivery,
    DeliveryChannel,
    DeliveryObligation,
    DeliverySource,
    MatchReview,
    RefusedDelivery,
    ReviewStatus,
)
from ketenregie.employers import registry as employer_registry
from ketenregie.employers import selectors as employer_selectors
from ketenregie.employers.models import Covenant, Employer, EmployerKind
from ketenregie.people import selectors as people_selectors
from ketenregie.people.delivered import DeliveredRow, apply_delivered
from ketenregie.people.models import Person
from ketenregie.places.models import Address


@dataclass(frozen=True)
class DeliveryContext:
    """Who delivers, under what, and how: given by the edge (command, upload page, API)."""

    kind: str
    source: str
    channel: str = DeliveryChannel.FILE
    employer: Employer | None = None
    organisation: Organisation | None = None
    obligation: str = DeliveryObligation.VOLUNTARY
    covenant: Covenant | None = None
    file_name: str = ""
    checksum: str = ""

    def with_data(self, data: bytes) -> DeliveryContext:
        return DeliveryContext(
            kind=self.kind,
            source=self.source,
            channel=self.channel,
            employer=self.employer,
            organisation=self.organisation,
            obligation=self.obligation,
            covenant=self.covenant,
            file_name=self.file_name,
            checksum=hashlib.sha256(data).hexdigest(),
        )


def delivery_record(
    *, actor: Actor, context: DeliveryContext, row_count: int, result: ImportResult, review_count: int = 0
) -> Delivery:
    """Called inside the importer's transaction; audited like every other write."""
    for related in (context.employer, context.organisation, context.covenant):
        if related is not None:
            ensure_same_municipality(actor, related)
    delivery = Delivery.objects.create(
        municipality=actor.municipality,
        kind=context.kind,
        source=context.source,
        employer=context.employer,
        organisation=context.organisation,
        obligation=context.obligation,
        covenant=context.covenant,
        channel=context.channel,
        file_name=context.file_name[:255],
        checksum=context.checksum,
        delivered_by=actor.user,
        delivered_by_name=actor.username[:150],
        row_count=row_count,
        created_count=result.created,
        updated_count=result.updated,
        unchanged_count=result.unchanged,
        review_count=review_count,
    )
    audit.record_change(actor, instance=delivery, action=AuditAction.IMPORT)
    if context.employer is not None:
        # An employer that delivers is looked up in the KvK again when its check is stale; after the
        # delivery commits, so a slow KvK holds no locks and a refused delivery looks nothing up.
        employer = context.employer
        transaction.on_commit(
            lambda: employer_registry.employer_check_kvk_if_stale(actor=actor, employer=employer), robust=True
        )
    return delivery


def delivery_refused_record(
    *, actor: Actor, context: DeliveryContext, row_count: int, error_count: int
) -> RefusedDelivery:
    """A delivery the runner refused as a whole: counts only, no value of a row. Called by the edge
    after the importer's transaction rolled back, so the trace outlives the refusal."""
    actor.require(Capability.DELIVER_DATA)
    for related in (context.employer, context.organisation):
        if related is not None:
            ensure_same_municipality(actor, related)
    refused = RefusedDelivery.objects.create(
        municipality=actor.municipality,
        kind=context.kind,
        employer=context.employer,
        organisation=context.organisation,
        channel=context.channel,
        delivered_by=actor.user,
        delivered_by_name=actor.username[:150],
        row_count=row_count,
        error_count=error_count,
    )
    audit.record_change(actor, instance=refused, action=AuditAction.CREATE)
    return refused


def delivery_refused(*, actor: Actor, importer: Any, error_count: int) -> RefusedDelivery | None:
    """The refusal of a file by a delivery importer, recorded as above; nothing for other imports."""
    context = getattr(importer, "context", None)
    if not getattr(importer, "is_delivery", False) or not isinstance(context, DeliveryContext):
        return None
    return delivery_refused_record(
        actor=actor,
        context=context,
        row_count=int(getattr(importer, "rows_seen", 0)),
        error_count=error_count,
    )


# Partners deliver their own lists; an inspection or the information point are the municipality's own.
PARTNER_SOURCES = frozenset({DeliverySource.EMPLOYER, DeliverySource.AGENCY, DeliverySource.HOUSING_PROVIDER})


def ensure_may_deliver(actor: Actor, context: DeliveryContext) -> None:
    """Who may deliver as whom, checked again by every delivery importer before its first row (a
    context may have been built by hand): a partner account only as the employer its organisation is
    (by KvK number); civil affairs and the administrator (who import registers) on behalf of any
    deliverer of their own municipality."""
    actor.require(Capability.DELIVER_DATA)
    for related in (context.employer, context.organisation, context.covenant):
        if related is not None:
            ensure_same_municipality(actor, related)
    if actor.can(Capability.IMPORT_REGISTERS):
        return
    own = own_employer(actor)
    if own is None or context.employer is None or context.employer.pk != own.pk:
        raise PermissionDenied(_("Your organisation delivers only its own lists, as the employer it is."))


def own_employer(actor: Actor) -> Employer | None:
    """The employer, agency or housing provider a partner account's organisation is, by KvK number."""
    kvk = actor.organisation.kvk_number if actor.organisation is not None else ""
    if not kvk:
        return None
    return employer_selectors.employers_by_kvk(actor=actor, kvk_numbers=[kvk]).get(kvk)


def source_for(employer: Employer | None, source: str = "") -> str:
    """The deliverer kind: as given, or from the employer (a temp agency delivers as agency)."""
    if source:
        return source
    if employer is not None and employer.kind == EmployerKind.TEMP_AGENCY:
        return DeliverySource.AGENCY
    return DeliverySource.EMPLOYER


def delivery_context_for(
    *,
    actor: Actor,
    kind: str,
    channel: str,
    employer_kvk: str = "",
    source: str = "",
    obligation: str = "",
    file_name: str = "",
) -> DeliveryContext:
    """THE rule for who delivers as whom, for every delivery kind and edge (command, upload page, API).

    - A partner delivers as the employer its organisation is, whatever it names; naming another is
      refused (PermissionDenied) rather than silently corrected, and so is an organisation that is no
      employer of this municipality.
    - Civil affairs and the administrator deliver on behalf of the employer they name. Without one,
      a delivery is the municipality's own only for its own deliverer kinds (inspection, information
      point, …); from the command line an unnamed deliverer is recorded as none.
    - An employer that is an active covenant member delivers under its covenant (obligation and
      covenant set), unless another obligation is named.

    Raises ValidationError on ``employer_kvk``, ``source`` or ``obligation``.
    """
    actor.require(Capability.DELIVER_DATA)
    employer_kvk = employer_kvk.strip()
    if source and source not in DeliverySource.values:
        raise ValidationError({"source": _("Unknown deliverer kind %(value)s.") % {"value": source[:40]}})
    if obligation and obligation not in DeliveryObligation.values:
        raise ValidationError({"obligation": _("Unknown obligation %(value)s.") % {"value": obligation[:40]}})
    employer: Employer | None = None
    if not actor.can(Capability.IMPORT_REGISTERS):
        employer = own_employer(actor)
        if employer is None:
            raise PermissionDenied(
                _("Your organisation is not registered as an employer, agency or housing provider here.")
            )
        if employer_kvk and employer_kvk != employer.kvk_number:
            raise PermissionDenied(_("Your organisation delivers only its own lists, as the employer it is."))
        if source and source not in PARTNER_SOURCES:
            raise ValidationError(
                {
                    "source": _(
                        "An employer, agency or housing provider delivers as “employer”, “agency” "
                        "or “housing_provider”."
                    )
                }
            )
    elif employer_kvk:
        employer = employer_selectors.employers_by_kvk(actor=actor, kvk_numbers=[employer_kvk]).get(
            employer_kvk
        )
        if employer is None:
            raise ValidationError(
                {
                    "employer_kvk": _("KvK number %(kvk)s is not an employer known in this municipality.")
                    % {"kvk": employer_kvk[:20]}
                }
            )
    organisation: Organisation | None = None
    if employer is None and channel != DeliveryChannel.FILE:
        if not source or source in PARTNER_SOURCES or actor.organisation is None:
            raise ValidationError(
                {"employer_kvk": _("Name the employer, agency or housing provider you deliver for.")}
            )
        organisation = actor.organisation
    membership = (
        employer_selectors.active_covenant_membership(actor=actor, employer=employer)
        if employer is not None
        else None
    )
    if not obligation:
        obligation = DeliveryObligation.COVENANT if membership else DeliveryObligation.VOLUNTARY
    return DeliveryContext(
        kind=kind,
        source=source_for(employer, source),
        channel=channel,
        employer=employer,
        organisation=organisation,
        obligation=obligation,
        covenant=membership.covenant
        if membership is not None and obligation == DeliveryObligation.COVENANT
        else None,
        file_name=file_name,
    )


class ReviewDecision(models.TextChoices):
    LINK = "link", gettext_lazy("link to the chosen person")
    CREATE = "create", gettext_lazy("register as a new person")
    DISMISS = "dismiss", gettext_lazy("dismiss: not applied")


@transaction.atomic
def review_decide(
    *,
    actor: Actor,
    review: MatchReview,
    expected_version: int,
    decision: str,
    person: Person | None = None,
) -> MatchReview:
    """Civil affairs decides a row that could not be matched with certainty, and the row is applied
    as the import would have: profile, stay address, the delivered person. Raises ConcurrentEditError
    when someone decided in between."""
    actor.require(Capability.EDIT_PEOPLE)
    ensure_same_municipality(actor, review)
    # The lock deliveries take: a delivery running now matches and writes before or after this decision.
    deliveries_lock(actor.municipality.pk)
    locked = MatchReview.objects.select_for_update().get(pk=review.pk)
    if locked.version != expected_version:
        raise ConcurrentEditError(review)
    if locked.status != ReviewStatus.OPEN:
        raise ValidationError(_("This row has already been decided."))
    row = row_from_review(locked.values, locked.row_number)
    if decision == ReviewDecision.LINK:
        if person is None or not locked.candidates.filter(pk=person.pk).exists():
            raise ValidationError({"person": _("Choose one of the possible matches.")})
        _fill_in_bsn(actor, person, row.bsn)
        applied = apply_delivered(actor=actor, items=[(row, person)])[0]
        status = ReviewStatus.LINKED
    elif decision == ReviewDecision.CREATE:
        if people_selectors.bsn_in_register(actor=actor, bsn=row.bsn):
            raise ValidationError(
                _("Another person in the register has this BSN: link the row to them, or dismiss it.")
            )
        applied = apply_delivered(actor=actor, items=[(row, None)])[0]
        status = ReviewStatus.CREATED
    elif decision == ReviewDecision.DISMISS:
        applied = None
        status = ReviewStatus.DISMISSED
    else:
        raise ValidationError({"decision": _("Unknown decision.")})
    if applied is not None:
        DeliveredPerson.objects.filter(
            delivery_id=locked.delivery_id, row_number=locked.row_number, person__isnull=True
        ).update(person=applied.person)
        if applied.outcome != "unchanged":
            audit.record_change(
                actor,
                instance=applied.person,
                action=AuditAction.CREATE if applied.outcome == "created" else AuditAction.UPDATE,
            )
    locked.status = status
    locked.person = applied.person if applied is not None else None
    locked.decided_by = actor.user
    locked.decided_at = timezone.now()
    save_versioned(
        locked, expected_version=expected_version, fields=["status", "person", "decided_by", "decided_at"]
    )
    audit.record_change(
        actor,
        instance=locked,
        action=AuditAction.UPDATE,
        changed_fields=["status", "person", "decided_by", "decided_at"],
    )
    return locked


def _fill_in_bsn(actor: Actor, person: Person, bsn: str) -> None:
    """Linking a row with a BSN to a person without one gives them the BSN, unless another person in
    the register holds it (then the link stands and the BSN stays with the other)."""
    if not bsn or person.bsn:
        return
    if Person.objects.filter(municipality=actor.municipality, bsn=bsn).exists():
        return
    updated = Person.objects.filter(pk=person.pk, bsn="").update(
        bsn=bsn, version=F("version") + 1, updated_at=timezone.now()
    )
    if updated:
        person.refresh_from_db()
        audit.record_change(actor, instance=person, action=AuditAction.UPDATE, changed_fields=["bsn"])


def review_identity(row: DeliveredRow) -> str:
    """Who a delivered row is about, as the key of decided reviews: the BSN, or else the surname (with
    its prefix), given names and date of birth normalised as the matcher compares them."""
    if row.bsn:
        return f"bsn:{row.bsn}"
    surname, given, born = row.name_key
    return f"name:{surname}|{given}|{born.isoformat() if born else ''}"


def decided_reviews(*, actor: Actor, identities: Iterable[str]) -> dict[str, MatchReview]:
    """The latest decision per delivered identity (linked or created with a person still there, or
    dismissed), so a later delivery of the same worker applies it instead of opening a new review."""
    decided: dict[str, MatchReview] = {}
    for part in chunked(sorted(set(identities)), 2000):
        for review in (
            MatchReview.objects.filter(municipality=actor.municipality, identity__in=part)
            .exclude(status=ReviewStatus.OPEN)
            .exclude(status__in=[ReviewStatus.LINKED, ReviewStatus.CREATED], person__isnull=True)
            .select_related("person")
            .order_by("decided_at", "pk")
        ):
            decided[review.identity] = review  # the latest wins
    return decided


def review_values(row: DeliveredRow) -> dict[str, Any]:
    """What a MatchReview keeps of the row: the delivered values, JSON-safe, without the row number."""
    return {
        "bsn": row.bsn,
        "surname": row.surname,
        "given_names": row.given_names,
        "birth_date": row.birth_date.isoformat() if row.birth_date else "",
        "nationality": row.nationality,
        "arrival_date": row.arrival_date.isoformat() if row.arrival_date else "",
        "address_id": row.address_id,
        "email": row.email,
        "phone": row.phone,
        "source": row.source,
    }


def row_from_review(values: dict[str, Any], number: int) -> DeliveredRow:
    def date(value: str) -> dt.date | None:
        return dt.date.fromisoformat(value) if value else None

    return DeliveredRow(
        number=number,
        bsn=values.get("bsn", ""),
        surname=values.get("surname", ""),
        given_names=values.get("given_names", ""),
        birth_date=date(values.get("birth_date", "")),
        nationality=values.get("nationality", ""),
        arrival_date=date(values.get("arrival_date", "")),
        address_id=values.get("address_id"),
        email=values.get("email", ""),
        phone=values.get("phone", ""),
        source=values.get("source", DeliverySource.EMPLOYER),
    )


@transaction.atomic
def occupants_delivery_record(
    *, actor: Actor, context: DeliveryContext, occupants: list[tuple[Person, Address]]
) -> Delivery:
    """A housing provider's occupant list as already matched to the register: the delivery and one
    DeliveredPerson per row. For the demo and for callers that matched the people themselves; the
    labour-migrant importer matches (and reviews) delivered rows on its own."""
    actor.require(Capability.DELIVER_DATA)
    for person, address in occupants:
        ensure_same_municipality(actor, person, address)
    result = ImportResult(unchanged=len(occupants))
    delivery = delivery_record(actor=actor, context=context, row_count=len(occupants), result=result)
    DeliveredPerson.objects.bulk_create(
        [
            DeliveredPerson(
                municipality=actor.municipality,
                delivery=delivery,
                row_number=number,
                person=person,
                address=address,
            )
            for number, (person, address) in enumerate(occupants, start=2)
        ]
    )
    return delivery
