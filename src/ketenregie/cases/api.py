"""Cases through the API, with participants, addresses, findings, measures and the timeline nested.

A partner sees only the cases its organisation takes part in; within a case, a data category its
agreement does not list comes back as ``null`` and is named in ``hiddenCategories``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from ketenregie.api.base import api_actor, requires
from ketenregie.api.concurrency import if_match_version
from ketenregie.cases import selectors, services
from ketenregie.cases.access import CaseAccess, can_see_cases
from ketenregie.cases.api_serializers import (
    FINDING_FIELD_MAP,
    CaseChangeSerializer,
    CaseCloseSerializer,
    CaseCreateSerializer,
    CaseDetailSerializer,
    CaseReopenSerializer,
    CaseSerializer,
    FindingChangeSerializer,
    FindingCreateSerializer,
    FindingSerializer,
    HandoverSerializer,
    MeasureCreateSerializer,
    MeasureSerializer,
    OrganisationRefSerializer,
    ParticipantSerializer,
    case_detail_data,
)
from ketenregie.cases.models import (
    Case,
    CaseKind,
    CaseStatus,
)
from ketenregie.cases.selectors import CaseFilter
from ketenregie.core.actor import Actor
from ketenregie.core.models import Organisation
from ketenregie.core.permissions import Capability
from ketenregie.core.validators import parse_id


class CanSeeCases(BasePermission):
    message = "Uw rol geeft geen toegang tot zaken."

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.user is None or not request.user.is_authenticated:
            return False
        return can_see_cases(api_actor(request))


def _validation(error: DjangoValidationError) -> exceptions.ValidationError:
    return exceptions.ValidationError(
        error.message_dict if hasattr(error, "error_dict") else {"nonFieldErrors": error.messages}
    )


@extend_schema_view(
    list=extend_schema(
        summary="Cases the caller may see: all of the municipality's for the owner, shared ones for partners",
        parameters=[
            OpenApiParameter("kind", str, enum=CaseKind.values),
            OpenApiParameter("status", str, enum=CaseStatus.values),
        ],
    ),
)
class CaseViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    lookup_value_converter = "int"
    serializer_class = CaseSerializer
    filter_backends: list[Any] = []
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_permissions(self) -> list[Any]:
        if self.action in {"create", "partial_update", "close", "reopen", "measures", "participants"}:
            return [requires(Capability.MANAGE_CASES)()]
        if self.action in {"findings", "finding_change"}:
            return [requires(Capability.RECORD_FINDINGS)()]
        if self.action == "handovers":
            return [requires(Capability.HAND_OVER_CASES)()]
        if self.action == "zgw":
            return [requires(Capability.VIEW_CASES)()]
        return [CanSeeCases()]

    # Paged by key: the address counts and joins are computed for one page only.
    load_page_rows = staticmethod(selectors.load_case_rows)

    def get_queryset(self) -> QuerySet[Case]:
        params = self.request.query_params
        return selectors.case_keys(
            actor=api_actor(self.request),
            filters=CaseFilter(kind=params.get("kind", ""), status=params.get("status", "")),
        )

    def _case(self, request: Request, pk: str) -> tuple[Any, Case, CaseAccess]:
        actor = api_actor(request)
        case, access = selectors.case_get(actor=actor, case_id=int(pk))
        return actor, case, access

    def _detail_response(self, request: Request, pk: str, *, status_code: int = 200) -> Response:
        actor, case, access = self._case(request, pk)
        response = Response(
            CaseDetailSerializer(case_detail_data(actor, case, access)).data, status=status_code
        )
        response["ETag"] = f'"{case.version}"'
        return response

    @extend_schema(
        summary="One case with participants, addresses, findings, measures and timeline",
        responses=CaseDetailSerializer,
    )
    def retrieve(self, request: Request, pk: str) -> Response:
        return self._detail_response(request, pk)

    @extend_schema(
        summary="Open a case, directly or from meldingen",
        request=CaseCreateSerializer,
        responses={201: CaseDetailSerializer},
    )
    def create(self, request: Request) -> Response:
        actor = api_actor(request)
        body = CaseCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        signals = selectors.signals_by_ids(actor=actor, ids=data.get("signalIds", []))
        if signals is None:
            raise exceptions.ValidationError({"signalIds": ["Een of meer meldingen bestaan niet."]})
        addresses = selectors.addresses_by_ids(actor=actor, ids=data.get("addressIds", []))
        if addresses is None:
            raise exceptions.ValidationError({"addressIds": ["Een of meer adressen bestaan niet."]})
        try:
            case = services.case_open(
                actor=actor,
                kind=data["kind"],
                title=data["title"],
                description=data.get("description", ""),
                planned_on=data.get("plannedOn"),
                signals=signals,
                addresses=addresses,
            )
        except DjangoValidationError as error:
            raise _validation(error) from None
        return self._detail_response(request, str(case.pk), status_code=201)

    @extend_schema(
        summary="Change a case; send If-Match with the ETag you read (412 when someone else saved first)",
        request=CaseChangeSerializer,
        responses=CaseDetailSerializer,
        parameters=[OpenApiParameter("If-Match", str, OpenApiParameter.HEADER, required=True)],
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        names = {
            "title": "title",
            "description": "description",
            "status": "status",
            "plannedOn": "planned_on",
        }

        def change(actor: Actor, case: Case, expected: int, data: dict[str, Any]) -> None:
            changes = {names[key]: value for key, value in data.items() if key in names}
            if "assignedTo" in data:
                # Already resolved by the serializer through selectors.assignee_get.
                changes["assigned_to"] = data["assignedTo"]
            services.case_update(actor=actor, case=case, expected_version=expected, **changes)

        return self._change_case(request, pk, CaseChangeSerializer, change)

    @extend_schema(
        summary="Close a case with its result (If-Match required)",
        request=CaseCloseSerializer,
        responses=CaseDetailSerializer,
        parameters=[OpenApiParameter("If-Match", str, OpenApiParameter.HEADER, required=True)],
    )
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> Response:
        def change(actor: Actor, case: Case, expected: int, data: dict[str, Any]) -> None:
            services.case_close(
                actor=actor,
                case=case,
                expected_version=expected,
                result=data["result"],
                closed_on=data.get("closedOn"),
                close_signals=data["closeSignals"],
            )

        return self._change_case(request, pk, CaseCloseSerializer, change)

    @extend_schema(
        summary="Open a closed case again, with the reason (If-Match required)",
        request=CaseReopenSerializer,
        responses=CaseDetailSerializer,
        parameters=[OpenApiParameter("If-Match", str, OpenApiParameter.HEADER, required=True)],
    )
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, pk: str) -> Response:
        def change(actor: Actor, case: Case, expected: int, data: dict[str, Any]) -> None:
            services.case_reopen(actor=actor, case=case, expected_version=expected, reason=data["reason"])

        return self._change_case(request, pk, CaseReopenSerializer, change)

    def _case_and_organisation(self, request: Request, pk: str) -> tuple[Actor, Case, Organisation, str]:
        """A managed case and the organisation of the municipality that the body names (with its note)."""
        actor, case, access = self._case(request, pk)
        if not access.manages:
            raise exceptions.PermissionDenied()
        body = OrganisationRefSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        organisation = selectors.organisation_by_id(
            actor=actor, organisation_id=body.validated_data["organisationId"]
        )
        if organisation is None:
            raise exceptions.ValidationError({"organisationId": ["Onbekende organisatie."]})
        return actor, case, organisation, body.validated_data["note"]

    def _change_case(
        self,
        request: Request,
        pk: str,
        body_class: type[serializers.Serializer[Any]],
        change: Callable[[Actor, Case, int, dict[str, Any]], None],
    ) -> Response:
        """A change of the case itself: only by the organisation that manages it, with If-Match (412 when
        someone else saved first); answers with the case as it is now."""
        actor, case, access = self._case(request, pk)
        if not access.manages:
            raise exceptions.PermissionDenied()
        expected = if_match_version(request)
        if isinstance(expected, Response):
            return expected
        body = body_class(data=request.data, context={"actor": actor})
        body.is_valid(raise_exception=True)
        try:
            change(actor, case, expected, body.validated_data)
        except DjangoValidationError as error:
            raise _validation(error) from None
        return self._detail_response(request, pk)

    @extend_schema(
        summary="Record a finding at an address of the case",
        request=FindingCreateSerializer,
        responses={201: FindingSerializer},
    )
    @action(detail=True, methods=["post"])
    def findings(self, request: Request, pk: str) -> Response:
        actor, case, access = self._case(request, pk)
        body = FindingCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        address = selectors.case_stop_address(access=access, address_id=data["addressId"])
        if address is None:
            raise exceptions.ValidationError({"addressId": ["Onbekend adres."]})
        values = {FINDING_FIELD_MAP[key]: value for key, value in data.items() if key in FINDING_FIELD_MAP}
        try:
            finding = services.finding_record(
                actor=actor, case=case, address=address, found_on=data.get("foundOn"), **values
            )
        except PermissionDenied as denied:
            raise exceptions.PermissionDenied(str(denied)) from None
        except DjangoValidationError as error:
            raise _validation(error) from None
        return Response(FindingSerializer(finding).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary=(
            "Change a finding; only its recording organisation may (403 otherwise). Send If-Match with "
            "the finding's version (412 when someone else saved first); the earlier values are kept"
        ),
        request=FindingChangeSerializer,
        responses=FindingSerializer,
        parameters=[OpenApiParameter("If-Match", str, OpenApiParameter.HEADER, required=True)],
    )
    @action(detail=True, methods=["patch"], url_path="findings/<int:finding_id>")
    def finding_change(self, request: Request, pk: str, finding_id: int) -> Response:
        actor, _case, access = self._case(request, pk)
        finding_pk = parse_id(finding_id)
        if finding_pk is None:
            raise exceptions.NotFound()
        finding = selectors.finding_get(actor=actor, access=access, finding_id=finding_pk)
        expected = if_match_version(request)
        if isinstance(expected, Response):
            return expected
        body = FindingChangeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        changes = {FINDING_FIELD_MAP[key]: value for key, value in body.validated_data.items()}
        try:
            finding = services.finding_update(
                actor=actor, finding=finding, expected_version=expected, **changes
            )
        except DjangoValidationError as error:
            raise _validation(error) from None
        response = Response(FindingSerializer(finding).data)
        response["ETag"] = f'"{finding.version}"'
        return response

    @extend_schema(
        summary="Take a measure", request=MeasureCreateSerializer, responses={201: MeasureSerializer}
    )
    @action(detail=True, methods=["post"])
    def measures(self, request: Request, pk: str) -> Response:
        actor, case, access = self._case(request, pk)
        if not access.manages:
            raise exceptions.PermissionDenied()
        body = MeasureCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        address = handed_to = None
        if data.get("addressId") is not None:
            address = selectors.case_stop_address(access=access, address_id=data["addressId"])
            if address is None:
                raise exceptions.ValidationError({"addressId": ["Onbekend adres."]})
        if data.get("handedToId") is not None:
            handed_to = selectors.organisation_by_id(actor=actor, organisation_id=data["handedToId"])
            if handed_to is None:
                raise exceptions.ValidationError({"handedToId": ["Onbekende organisatie."]})
        try:
            measure = services.measure_take(
                actor=actor,
                case=case,
                kind=data["kind"],
                address=address,
                addressee=data["addressee"],
                issued_on=data.get("issuedOn"),
                amount=data.get("amount"),
                max_amount=data.get("maxAmount"),
                deadline=data.get("deadline"),
                handed_to=handed_to,
                notes=data["notes"],
            )
        except DjangoValidationError as error:
            raise _validation(error) from None
        return Response(MeasureSerializer(measure).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Invite an organisation (a partner needs a valid data-sharing agreement)",
        request=OrganisationRefSerializer,
        responses={201: ParticipantSerializer},
    )
    @action(detail=True, methods=["post"])
    def participants(self, request: Request, pk: str) -> Response:
        actor, case, organisation, _note = self._case_and_organisation(request, pk)
        try:
            participant = services.participant_add(actor=actor, case=case, organisation=organisation)
        except DjangoValidationError as error:
            raise _validation(error) from None
        return Response(ParticipantSerializer(participant).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Hand the case over (dossier built under the recipient's agreement; recorded and audited)",
        request=OrganisationRefSerializer,
        responses={201: HandoverSerializer},
    )
    @action(detail=True, methods=["post"])
    def handovers(self, request: Request, pk: str) -> Response:
        actor, case, organisation, note = self._case_and_organisation(request, pk)
        try:
            handover = services.handover_create(
                actor=actor, case=case, to_organisation=organisation, note=note
            )
        except DjangoValidationError as error:
            raise _validation(error) from None
        return Response(HandoverSerializer(handover).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="The case as ZGW Zaken API resources (zaak, status, resultaat, zaakobjecten, rollen)",
        responses=dict,
    )
    @action(detail=True, methods=["get"])
    def zgw(self, request: Request, pk: str) -> Response:
        actor, case, _access = self._case(request, pk)
        return Response(selectors.case_zgw(actor=actor, case=case))
