"""Stay addresses: where a deliverer, the person themselves or an inspector says a person stays, beside
what the registers (BRP, RNI) hold. THE rule for what a new stay address ends lives here, used by
deliveries (people.delivered, in bulk), first-registration forms (people.registration) and the portal's
self-service reports (portal.services):

- a stay address never ends a register's (BRP/RNI) residence: a labour migrant often stays somewhere
  else than where the BRP has them, and only the BRP moves its own address;
- it never ends a stay address that started after its own first day (that one is newer news);
- a deliverer's stay address ends only the earlier stay address *of the same source* (an agency does not
  know the housing provider's list); a witnessed one (an inspection) or the person's own report ends
  every earlier stay address.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction

from ketenregie.core import audit
from ketenregie.core.actor import Actor
from ketenregie.core.concurrency import save_versioned
from ketenregie.core.locks import deliveries_lock
from ketenregie.core.models import AuditAction
from ketenregie.core.permissions import Capability
from ketenregie.core.services import ensure_same_municipality
from ketenregie.people.models import (
    REGISTER_SOURCES,
    AddressFunction,
    Person,
    Residence,
    ResidenceSource,
    VerificationStatus,
)
from ketenregie.places.models import Address

# Sources whose stay address ends every earlier one: seen by an inspector, or told by the person.
WITNESSED_SOURCES = frozenset({ResidenceSource.INSPECTION, ResidenceSource.SELF_SERVICE})


def stay_addresses_ended(
    open_living: Iterable[Residence], *, source: str, starts_on: dt.date
) -> list[Residence]:
    """Which of a person's open living residences a new stay address of ``source`` from ``starts_on``
    ends (the caller sets their end date to ``starts_on``)."""
    return [
        residence
        for residence in open_living
        if residence.source not in REGISTER_SOURCES
        and (residence.starts_on is None or residence.starts_on <= starts_on)
        and (source in WITNESSED_SOURCES or residence.source == source)
    ]


def already_here(open_living: Iterable[Residence], *, address_id: int) -> Residence | None:
    """The person's open living residence at this address, of any source, unless it was rejected: a
    rejected one is no knowledge of the person being there, so a new report makes a new stay address."""
    for residence in open_living:
        if (
            residence.address_id == address_id
            and residence.verification_status != VerificationStatus.REJECTED
        ):
            return residence
    return None


@transaction.atomic
def stay_address_start(
    *,
    actor: Actor,
    person: Person,
    address: Address,
    starts_on: dt.date,
    source: str,
    verification_status: str = VerificationStatus.UNVERIFIED,
) -> Residence:
    """Record that ``person`` stays at ``address`` from ``starts_on`` (a living residence of ``source``,
    beside the register's), ending the earlier stay addresses elsewhere that ``stay_addresses_ended``
    names. When the person already has an open living residence at ``address`` that was not rejected
    (``already_here``), that one is returned and nothing new is made."""
    actor.require(Capability.EDIT_PEOPLE)
    ensure_same_municipality(actor, person, address)
    if source in REGISTER_SOURCES:
        raise ValueError("A stay address is not a register's residence; use people.services.residence_start.")
    # Deliveries write the same people's residences under this lock: taking it first orders the two
    # writers instead of letting them deadlock on the person's residences.
    deliveries_lock(actor.municipality.pk)
    open_living = list(
        Residence.objects.select_for_update()
        .filter(person=person, address_function=AddressFunction.LIVING, ends_on__isnull=True)
        .order_by("-starts_on", "-pk")
    )
    here = already_here(open_living, address_id=address.pk)
    elsewhere = [residence for residence in open_living if residence.address_id != address.pk]
    # Also when the person is already known here (by the BRP, say): the news is that they stay here,
    # so the earlier stay addresses elsewhere end all the same.
    for previous in stay_addresses_ended(elsewhere, source=source, starts_on=starts_on):
        previous.ends_on = starts_on
        save_versioned(previous, expected_version=previous.version, fields=["ends_on"])
        audit.record_change(actor, instance=previous, action=AuditAction.UPDATE, changed_fields=["ends_on"])
    if here is not None:
        return here
    residence = Residence(
        municipality=actor.municipality,
        person=person,
        address=address,
        starts_on=starts_on,
        source=source,
        verification_status=verification_status,
        address_function=AddressFunction.LIVING,
    )
    residence.full_clean()
    residence.save()
    audit.record_change(actor, instance=residence, action=AuditAction.CREATE)
    return residence
