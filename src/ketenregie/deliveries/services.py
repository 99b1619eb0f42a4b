"""Recording deliveries. An importer of a delivery kind records its delivery inside its own ``write``,
so the record and the register change commit together or not at all."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.db import transaction

from ketenregie.core import audit
from ketenregie.core.actor import Actor
from ketenregie.core.imports import ImportResult
from ketenregie.core.models import AuditAction, Organisation
from ketenregie.core.permissions import Capability
from ketenregie.core.services import ensure_same_municipality
from ketenregie.deliveries.models import DeliveredPerson, Delivery, DeliveryChannel, DeliveryObligation
from ketenregie.employers.models import Covenant, Employer
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
    return delivery


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
