"""Writes to housing locations, quality marks and permits."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ketenregie.core import audit
from ketenregie.core.actor import Actor
from ketenregie.core.models import AuditAction
from ketenregie.core.permissions import Capability
from ketenregie.core.selectors import norms_for
from ketenregie.core.services import ensure_editable, ensure_same_municipality, update_versioned
from ketenregie.housing.models import HousingLocation, HousingPermit, PermitStatus, QualityMark
from ketenregie.places.models import Address

LOCATION_EDITABLE_FIELDS = ("name", "kind", "provider", "provider_name", "capacity_persons")


@transaction.atomic
def location_create(*, actor: Actor, addresses: list[Address], **fields: Any) -> HousingLocation:
    actor.require(Capability.EDIT_HOUSING)
    ensure_same_municipality(actor, *addresses)
    ensure_editable(fields, LOCATION_EDITABLE_FIELDS)
    if not addresses:
        raise ValidationError({"addresses": _("A housing location has at least one address.")})
    location = HousingLocation(municipality=actor.municipality, **fields)
    location.full_clean()
    location.save()
    location.addresses.set(addresses)
    audit.record_change(
        actor, instance=location, action=AuditAction.CREATE, changed_fields=[*fields, "addresses"]
    )
    return location


@transaction.atomic
def location_update(
    *, actor: Actor, location: HousingLocation, expected_version: int, **changes: Any
) -> HousingLocation:
    actor.require(Capability.EDIT_HOUSING)
    return update_versioned(
        actor, location, expected_version=expected_version, changes=changes, allowed=LOCATION_EDITABLE_FIELDS
    )


@transaction.atomic
def quality_mark_add(
    *,
    actor: Actor,
    location: HousingLocation,
    scheme: str,
    certificate_number: str,
    valid_from: dt.date,
    valid_until: dt.date,
    last_inspected_on: dt.date | None = None,
) -> QualityMark:
    actor.require(Capability.EDIT_HOUSING)
    ensure_same_municipality(actor, location)
    mark = QualityMark(
        municipality=actor.municipality,
        location=location,
        scheme=scheme,
        certificate_number=certificate_number,
        valid_from=valid_from,
        valid_until=valid_until,
        last_inspected_on=last_inspected_on,
    )
    if valid_until < valid_from:
        raise ValidationError({"valid_until": _("The end of validity lies before its start.")})
    mark.full_clean()
    mark.save()
    audit.record_change(actor, instance=mark, action=AuditAction.CREATE)
    return mark


def check_quality_mark_rule(*, actor: Actor, location: HousingLocation, valid_from: dt.date | None) -> None:
    """Where the municipality requires it, a permit is granted only with a quality mark valid at its start."""
    if not norms_for(actor.municipality).permit_requires_quality_mark:
        return
    on = valid_from
    if on is None:
        raise ValidationError({"valid_from": _("A granted permit needs a start date.")})
    if not QualityMark.objects.filter(location=location, valid_from__lte=on, valid_until__gte=on).exists():
        raise ValidationError(
            _(
                "This permit cannot be granted: the municipality requires a valid SNF or AKF quality mark, "
                "and this location has none on %(date)s. Record the quality mark first."
            )
            % {"date": on.isoformat()},
            code="quality_mark_required",
        )


@transaction.atomic
def permit_decide(
    *,
    actor: Actor,
    location: HousingLocation,
    number: str,
    status: str,
    decided_on: dt.date | None,
    valid_from: dt.date | None,
    valid_until: dt.date | None,
    max_persons: int | None,
) -> HousingPermit:
    actor.require(Capability.EDIT_HOUSING)
    ensure_same_municipality(actor, location)
    if status == PermitStatus.GRANTED:
        check_quality_mark_rule(actor=actor, location=location, valid_from=valid_from)
        if max_persons is not None and max_persons > location.capacity_persons:
            raise ValidationError(
                {
                    "max_persons": _(
                        "The permit allows more people (%(permit)d) than the "
                        "location's capacity (%(capacity)d)."
                    )
                    % {"permit": max_persons, "capacity": location.capacity_persons}
                }
            )
    permit = HousingPermit(
        municipality=actor.municipality,
        location=location,
        number=number,
        status=status,
        decided_on=decided_on,
        valid_from=valid_from,
        valid_until=valid_until,
        max_persons=max_persons,
    )
    permit.full_clean()
    permit.save()
    audit.record_change(actor, instance=permit, action=AuditAction.CREATE)
    return permit
