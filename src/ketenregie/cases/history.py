"""The ownership rule and the version history of the records of a case (findings, measures, attachments,
first-registration forms): every service that changes one goes through ``require_may_change`` and
``keep_version``, from the web and from the API alike."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext as _

from ketenregie.cases.models import (
    CaseAttachment,
    DataCategory,
    Finding,
    FirstRegistrationForm,
    Measure,
    OwnedRecord,
    RecordKind,
    RecordVersion,
)
from ketenregie.core.actor import Actor

R = TypeVar("R", bound=models.Model)

# What a version holds of each kind of record: everything a person entered or the record derived.
TRACKED_FIELDS: dict[str, tuple[str, ...]] = {
    RecordKind.FINDING: (
        "found_on",
        "no_access",
        "inhabited",
        "persons_found",
        "persons_registered",
        "floor_area_m2",
        "norm_m2_per_person",
        "overcrowded",
        "fire_safety_issue",
        "fire_safety_notes",
        "unregistered_persons",
        "registered_not_living",
        "exploitation_signals",
        "exploitation_notes",
        "other_violation",
        "notes",
        "violation_found",
    ),
    RecordKind.MEASURE: (
        "kind",
        "addressee",
        "issued_on",
        "amount",
        "max_amount",
        "deadline",
        "status",
        "notes",
    ),
    RecordKind.REGISTRATION_FORM: (
        "given_names",
        "surname_prefix",
        "surname",
        "birth_date",
        "nationality",
        "bsn",
        "previous_country",
        "arrival_date",
        "status",
        "processed_on",
    ),
    RecordKind.ATTACHMENT: ("original_name", "description"),
}
KIND_OF: dict[type[models.Model], str] = {
    Finding: RecordKind.FINDING,
    Measure: RecordKind.MEASURE,
    FirstRegistrationForm: RecordKind.REGISTRATION_FORM,
    CaseAttachment: RecordKind.ATTACHMENT,
}
MODEL_OF: dict[str, type[models.Model]] = {kind: model for model, kind in KIND_OF.items()}
# The agreement category a reader needs to see a record, and so its history.
CATEGORY_OF: dict[str, str] = {
    RecordKind.FINDING: DataCategory.FINDINGS,
    RecordKind.MEASURE: DataCategory.MEASURES,
    RecordKind.REGISTRATION_FORM: DataCategory.PERSONS,
    RecordKind.ATTACHMENT: DataCategory.ATTACHMENTS,
}
# Free text is named in the timeline, never quoted: a timeline line is short and shown to every reader.
_TEXT_FIELDS = frozenset(
    {"fire_safety_notes", "exploitation_notes", "notes", "addressee", "description", "given_names", "surname"}
)


def require_may_change(actor: Actor, record: OwnedRecord) -> None:
    """Refuse a change by anyone but the organisation that recorded ``record``; nothing is written."""
    if not record.may_change(actor):
        raise PermissionDenied(_("Only the organisation that recorded this can change it."))


def snapshot(record: models.Model) -> dict[str, Any]:
    return {name: getattr(record, name) for name in TRACKED_FIELDS[KIND_OF[type(record)]]}


def keep_version(actor: Actor, stored: models.Model, *, changed: Sequence[str]) -> RecordVersion:
    """Keep ``stored`` (the record as it is before the change) as its version ``stored.version``."""
    kind = KIND_OF[type(stored)]
    return RecordVersion.objects.create(
        municipality_id=stored.municipality_id,  # type: ignore[attr-defined]
        case_id=stored.case_id,  # type: ignore[attr-defined]
        record_kind=kind,
        record_id=stored.pk,
        version=getattr(stored, "version", 1),
        values=snapshot(stored),
        changed_fields=sorted(changed),
        data_category=CATEGORY_OF[kind],
        changed_by=actor.user,
        changed_by_name=actor.username,
        changed_by_organisation=actor.organisation.name if actor.organisation else "",
    )


def _field(record: models.Model, name: str) -> models.Field:
    field = record._meta.get_field(name)
    assert isinstance(field, models.Field)
    return field


def _parse(field: models.Field, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(field, models.DateField):
        return dt.date.fromisoformat(value)
    if isinstance(field, models.DecimalField):
        return Decimal(value)
    return value


def as_of(record: R, version: int) -> R:
    """``record`` as it was in ``version`` (an unsaved copy; the record itself if that is the current one)."""
    if version >= getattr(record, "version", 1):
        return record
    kind = KIND_OF[type(record)]
    kept = RecordVersion.objects.filter(record_kind=kind, record_id=record.pk, version=version).first()
    if kept is None:
        return record
    earlier = copy.copy(record)
    for name, value in kept.values.items():
        setattr(earlier, name, _parse(_field(record, name), value))
    earlier.version = version  # type: ignore[attr-defined]
    return earlier


def display_value(record: models.Model, name: str, value: Any) -> str:
    field = _field(record, name)
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if getattr(field, "choices", None):
        return str(dict(field.choices).get(value, value))  # type: ignore[arg-type]
    if isinstance(value, dt.date):
        return f"{value:%d-%m-%Y}"
    return str(value)


def earlier_values(record: models.Model, kept: RecordVersion, *, quote_text: bool = True) -> str:
    """'persons found living there: 14; …': what the changed fields said in the kept version."""
    parts = []
    for name in kept.changed_fields:
        if name not in kept.values:
            continue
        label = str(_field(record, name).verbose_name)
        if name in _TEXT_FIELDS and not quote_text:
            parts.append(label)
            continue
        value = _parse(_field(record, name), kept.values[name])
        parts.append(f"{label}: {display_value(record, name, value)}")
    return "; ".join(parts)
