"""Serializers of the cases API (camelCase), with participants, findings, measures and timeline nested."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ketenregie.api.fields import ResolvedIdField, ResolvedIdListField
from ketenregie.cases import selectors
from ketenregie.cases.access import CaseAccess
from ketenregie.cases.models import OPEN_CASE_STATUSES, Case, CaseKind, CaseResult, MeasureKind
from ketenregie.cases.selectors import UNKNOWN_ASSIGNEE
from ketenregie.core.selectors import organisation_by_id
from ketenregie.places.selectors import addresses_by_ids
from ketenregie.signals.selectors import signals_by_ids


class CaseSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(read_only=True)
    openedOn = serializers.DateField(source="opened_on")
    plannedOn = serializers.DateField(source="planned_on", allow_null=True)
    closedOn = serializers.DateField(source="closed_on", allow_null=True)
    owner = serializers.CharField(source="owner.name")

    class Meta:
        model = Case
        fields = [
            "id",
            "reference",
            "kind",
            "title",
            "status",
            "result",
            "origin",
            "openedOn",
            "plannedOn",
            "closedOn",
            "owner",
            "version",
        ]
        read_only_fields = fields


class ParticipantSerializer(serializers.Serializer):
    organisationId = serializers.IntegerField(source="organisation_id")
    organisation = serializers.CharField(source="organisation.name")
    organisationKind = serializers.CharField(source="organisation.kind")
    role = serializers.CharField()
    agreement = serializers.CharField(source="agreement.name", allow_null=True, default=None)
    dataCategories = serializers.SerializerMethodField()

    def get_dataCategories(self, participant: Any) -> list[str] | None:
        return sorted(participant.agreement.categories) if participant.agreement else None


@extend_schema_field(
    {
        "type": "string",
        "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]+)?$",
        "example": "08:15:00",
        "description": (
            "Wall-clock time in the municipality (Europe/Amsterdam) on the case's plannedOn, without an "
            "offset: the offset follows from that date, which may not be known yet."
        ),
    }
)
class LocalTimeField(serializers.TimeField):
    """A time of day as the visiting team reads it on its watch: RFC 3339's partial-time, not `format: time`,
    which requires an offset a time without a date cannot have."""


class StopSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    addressId = serializers.IntegerField(source="address_id")
    address = serializers.CharField(source="address.label")
    bagObjectId = serializers.CharField(source="address.bag_object_id")
    position = serializers.IntegerField()
    plannedTime = LocalTimeField(source="planned_time", allow_null=True)
    visitStatus = serializers.CharField(source="visit_status")
    note = serializers.CharField()
    floorAreaM2 = serializers.IntegerField(source="address.floor_area_m2", allow_null=True)
    registeredPersons = serializers.IntegerField(source="registered_persons")


class CaseSignalSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    category = serializers.CharField(source="category.code")
    receivedAt = serializers.DateTimeField(source="received_at")
    description = serializers.CharField()
    status = serializers.CharField()


class FindingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    addressId = serializers.IntegerField(source="address_id")
    address = serializers.CharField(source="address.label")
    foundOn = serializers.DateField(source="found_on")
    recordedBy = serializers.CharField(source="recorded_by_organisation.name", allow_null=True, default=None)
    noAccess = serializers.BooleanField(source="no_access")
    inhabited = serializers.BooleanField(allow_null=True)
    personsFound = serializers.IntegerField(source="persons_found", allow_null=True)
    personsRegistered = serializers.IntegerField(source="persons_registered", allow_null=True)
    floorAreaM2 = serializers.IntegerField(source="floor_area_m2", allow_null=True)
    normM2PerPerson = serializers.DecimalField(source="norm_m2_per_person", max_digits=5, decimal_places=1)
    overcrowded = serializers.BooleanField()
    fireSafetyIssue = serializers.BooleanField(source="fire_safety_issue")
    fireSafetyNotes = serializers.CharField(source="fire_safety_notes")
    unregisteredPersons = serializers.IntegerField(source="unregistered_persons")
    registeredNotLiving = serializers.IntegerField(source="registered_not_living")
    exploitationSignals = serializers.BooleanField(source="exploitation_signals")
    exploitationNotes = serializers.CharField(source="exploitation_notes")
    otherViolation = serializers.BooleanField(source="other_violation")
    notes = serializers.CharField()
    violationFound = serializers.BooleanField(source="violation_found")
    version = serializers.IntegerField()


class RegistrationFormSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    findingId = serializers.IntegerField(source="finding_id")
    addressId = serializers.IntegerField(source="address_id")
    givenNames = serializers.CharField(source="given_names")
    surnamePrefix = serializers.CharField(source="surname_prefix")
    surname = serializers.CharField()
    birthDate = serializers.DateField(source="birth_date")
    nationality = serializers.CharField()
    bsn = serializers.CharField()
    status = serializers.CharField()
    drawnUpOn = serializers.DateField(source="drawn_up_on")


class MeasureSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    addressId = serializers.IntegerField(source="address_id", allow_null=True)
    addressee = serializers.CharField()
    issuedOn = serializers.DateField(source="issued_on")
    amount = serializers.DecimalField(max_digits=10, decimal_places=2, allow_null=True)
    maxAmount = serializers.DecimalField(
        source="max_amount", max_digits=10, decimal_places=2, allow_null=True
    )
    deadline = serializers.DateField(allow_null=True)
    handedTo = serializers.CharField(source="handed_to.name", allow_null=True, default=None)
    status = serializers.CharField()
    notes = serializers.CharField()


class EventSerializer(serializers.Serializer):
    occurredAt = serializers.DateTimeField(source="occurred_at")
    kind = serializers.CharField()
    summary = serializers.CharField()
    by = serializers.CharField(source="username")
    organisation = serializers.CharField(source="organisation_name")


class HandoverSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    toOrganisation = serializers.CharField(source="to_organisation.name")
    handedOverAt = serializers.DateTimeField(source="handed_over_at")
    agreement = serializers.CharField(source="agreement.name")
    legalBasis = serializers.CharField(source="legal_basis")
    dataCategories = serializers.ListField(source="data_categories", child=serializers.CharField())
    attachmentCount = serializers.IntegerField(source="attachment_count")
    dossierSha256 = serializers.CharField(source="dossier_sha256")


class CaseDetailSerializer(serializers.Serializer):
    case = CaseSerializer()
    description = serializers.CharField()
    sharedCategories = serializers.ListField(child=serializers.CharField())
    hiddenCategories = serializers.ListField(child=serializers.CharField())
    participants = ParticipantSerializer(many=True)
    addresses = StopSerializer(many=True)
    signals = CaseSignalSerializer(many=True, allow_null=True)
    findings = FindingSerializer(many=True, allow_null=True)
    registrationForms = RegistrationFormSerializer(many=True, allow_null=True)
    measures = MeasureSerializer(many=True, allow_null=True)
    handovers = HandoverSerializer(many=True)
    timeline = EventSerializer(many=True)


def case_detail_data(actor: Any, case: Case, access: CaseAccess) -> dict[str, Any]:
    def shared(category: str, rows: Any) -> Any:
        return rows if access.sees(category) else None

    return {
        "case": case,
        "description": case.description,
        "sharedCategories": sorted(access.categories),
        "hiddenCategories": access.hidden_categories,
        "participants": selectors.case_participants(actor=actor, access=access),
        "addresses": selectors.case_addresses(actor=actor, access=access),
        "signals": shared("signals", selectors.case_signals(actor=actor, access=access)),
        "findings": shared("findings", selectors.case_findings(actor=actor, access=access)),
        "registrationForms": shared("persons", selectors.case_registration_forms(actor=actor, access=access)),
        "measures": shared("measures", selectors.case_measures(actor=actor, access=access)),
        "handovers": selectors.case_handovers(actor=actor, access=access),
        "timeline": selectors.case_timeline(actor=actor, access=access),
    }


def _signals(context: Mapping[str, Any], ids: Sequence[int]) -> list[Any] | None:
    return signals_by_ids(actor=context["actor"], ids=ids)


def _addresses(context: Mapping[str, Any], ids: Sequence[int]) -> list[Any] | None:
    return addresses_by_ids(actor=context["actor"], ids=ids)


def _assignee(context: Mapping[str, Any], pk: int) -> Any:
    return selectors.assignable_users(actor=context["actor"]).filter(pk=pk).first()


def _organisation(context: Mapping[str, Any], pk: int) -> Any:
    return organisation_by_id(actor=context["actor"], organisation_id=pk)


def _case_address(context: Mapping[str, Any], pk: int) -> Any:
    """An address of the case's route (the context's ``access``): findings and measures are about those."""
    return selectors.case_stop_address(access=context["access"], address_id=pk)


UNKNOWN_ADDRESS = "Onbekend adres."
UNKNOWN_ORGANISATION = "Onbekende organisatie."


class CaseCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=CaseKind.values)
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    plannedOn = serializers.DateField(source="planned_on", required=False, allow_null=True)
    signalIds = ResolvedIdListField(
        source="signals", required=False, resolve=_signals, unknown="Een of meer meldingen bestaan niet."
    )
    addressIds = ResolvedIdListField(
        source="addresses", required=False, resolve=_addresses, unknown="Een of meer adressen bestaan niet."
    )


class CaseChangeSerializer(serializers.Serializer):
    title = serializers.CharField(required=False, max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    status = serializers.ChoiceField(required=False, choices=list(OPEN_CASE_STATUSES))
    plannedOn = serializers.DateField(source="planned_on", required=False, allow_null=True)
    # Only someone who may work on cases in this municipality; the refusal never tells who an id names.
    assignedTo = ResolvedIdField(
        source="assigned_to", required=False, allow_null=True, resolve=_assignee, unknown=UNKNOWN_ASSIGNEE
    )


class CaseCloseSerializer(serializers.Serializer):
    result = serializers.ChoiceField(choices=[r for r in CaseResult.values if r])
    closedOn = serializers.DateField(source="closed_on", required=False)
    closeSignals = serializers.BooleanField(source="close_signals", required=False, default=True)


class CaseReopenSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class FindingChangeSerializer(serializers.Serializer):
    """The values to change; what is left out stays as it is."""

    noAccess = serializers.BooleanField(source="no_access", required=False)
    inhabited = serializers.BooleanField(required=False, allow_null=True)
    personsFound = serializers.IntegerField(
        source="persons_found", required=False, allow_null=True, min_value=0, max_value=500
    )
    personsRegistered = serializers.IntegerField(
        source="persons_registered", required=False, allow_null=True, min_value=0, max_value=500
    )
    fireSafetyIssue = serializers.BooleanField(source="fire_safety_issue", required=False)
    fireSafetyNotes = serializers.CharField(
        source="fire_safety_notes", required=False, allow_blank=True, max_length=500
    )
    unregisteredPersons = serializers.IntegerField(
        source="unregistered_persons", required=False, min_value=0, max_value=500
    )
    registeredNotLiving = serializers.IntegerField(
        source="registered_not_living", required=False, min_value=0, max_value=500
    )
    exploitationSignals = serializers.BooleanField(source="exploitation_signals", required=False)
    exploitationNotes = serializers.CharField(
        source="exploitation_notes", required=False, allow_blank=True, max_length=500
    )
    otherViolation = serializers.BooleanField(source="other_violation", required=False)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class FindingCreateSerializer(FindingChangeSerializer):
    """A new finding: what its body leaves out has the model's default."""

    addressId = ResolvedIdField(source="address", resolve=_case_address, unknown=UNKNOWN_ADDRESS)
    foundOn = serializers.DateField(source="found_on", required=False)


class MeasureCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[k for k in MeasureKind.values if k != MeasureKind.HANDOVER])
    addressId = ResolvedIdField(
        source="address", required=False, allow_null=True, resolve=_case_address, unknown=UNKNOWN_ADDRESS
    )
    addressee = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
    issuedOn = serializers.DateField(source="issued_on", required=False)
    amount = serializers.DecimalField(required=False, allow_null=True, max_digits=10, decimal_places=2)
    maxAmount = serializers.DecimalField(
        source="max_amount", required=False, allow_null=True, max_digits=10, decimal_places=2
    )
    deadline = serializers.DateField(required=False, allow_null=True)
    handedToId = ResolvedIdField(
        source="handed_to",
        required=False,
        allow_null=True,
        resolve=_organisation,
        unknown=UNKNOWN_ORGANISATION,
    )
    notes = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class OrganisationRefSerializer(serializers.Serializer):
    organisationId = ResolvedIdField(
        source="organisation", resolve=_organisation, unknown=UNKNOWN_ORGANISATION
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
