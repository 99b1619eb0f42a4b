"""Cases through the API, with participants, addresses, findings, measures and the timeline nested.

A partner sees only the cases its organisation takes part in; within a case, a data category its
agreement does not list comes back as ``null`` and is named in ``hiddenCategories``. What each operation
says in the OpenAPI document is in ``cases.api_docs``."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema_view
from rest_framework import exceptions, mixins, status
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from ketenregie.api.base import api_actor
from ketenregie.api.concurrency import expected_version, versioned_response
from ketenregie.api.viewsets import ApiViewSet
from ketenregie.cases import selectors, services
from ketenregie.cases.access import CaseAccess, can_see_cases
from ketenregie.cases.api_docs import CASE_OPERATIONS
from ketenregie.cases.api_serializers import (
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
from ketenregie.cases.models import Case
from ketenregie.cases.selectors import CaseFilter
from ketenregie.core.permissions import Capability
from ketenregie.core.validators import parse_id


class CanSeeCases(BasePermission):
    message = "Uw rol geeft geen toegang tot zaken."

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.user is None or not request.user.is_authenticated:
            return False
        return can_see_cases(api_actor(request))


@extend_schema_view(**CASE_OPERATIONS)
class CaseViewSet(mixins.ListModelMixin, ApiViewSet):
    serializer_class = CaseSerializer
    default_permission = CanSeeCases
    action_capabilities = {
        **dict.fromkeys(
            ["create", "partial_update", "close", "reopen", "measures", "participants"],
            Capability.MANAGE_CASES,
        ),
        **dict.fromkeys(["findings", "finding_change"], Capability.RECORD_FINDINGS),
        "handovers": Capability.HAND_OVER_CASES,
        "zgw": Capability.VIEW_CASES,
    }
    # Paged by key: the address counts and joins are computed for one page only.
    load_page_rows = staticmethod(selectors.load_case_rows)

    def get_queryset(self) -> QuerySet[Case]:
        params = self.request.query_params
        filters = CaseFilter(kind=params.get("kind", ""), status=params.get("status", ""))
        return selectors.case_keys(actor=self.actor, filters=filters)

    def _case(self, pk: str, *, managed: bool = False) -> tuple[Case, CaseAccess]:
        """The case the path names as the caller may see it; ``managed``: only its managing organisation."""
        case, access = selectors.case_get(actor=self.actor, case_id=int(pk))
        if managed and not access.manages:
            raise exceptions.PermissionDenied()
        return case, access

    def _detail(self, pk: str, *, status_code: int = 200) -> Response:
        case, access = self._case(pk)
        data = CaseDetailSerializer(case_detail_data(self.actor, case, access)).data
        return versioned_response(data, case.version, status_code=status_code)

    def retrieve(self, request: Request, pk: str) -> Response:
        return self._detail(pk)

    def create(self, request: Request) -> Response:
        case = services.case_open(actor=self.actor, **self.body(CaseCreateSerializer))
        return self._detail(str(case.pk), status_code=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str) -> Response:
        case, _access = self._case(pk, managed=True)
        version = expected_version(request)
        services.case_update(
            actor=self.actor, case=case, expected_version=version, **self.body(CaseChangeSerializer)
        )
        return self._detail(pk)

    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> Response:
        case, _access = self._case(pk, managed=True)
        version = expected_version(request)
        services.case_close(
            actor=self.actor, case=case, expected_version=version, **self.body(CaseCloseSerializer)
        )
        return self._detail(pk)

    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, pk: str) -> Response:
        case, _access = self._case(pk, managed=True)
        version = expected_version(request)
        services.case_reopen(
            actor=self.actor, case=case, expected_version=version, **self.body(CaseReopenSerializer)
        )
        return self._detail(pk)

    @action(detail=True, methods=["post"])
    def findings(self, request: Request, pk: str) -> Response:
        case, access = self._case(pk)
        finding = services.finding_record(
            actor=self.actor, case=case, **self.body(FindingCreateSerializer, access=access)
        )
        return Response(FindingSerializer(finding).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["patch"], url_path="findings/<int:finding_id>")
    def finding_change(self, request: Request, pk: str, finding_id: int) -> Response:
        _case, access = self._case(pk)
        finding_pk = parse_id(finding_id)
        if finding_pk is None:
            raise exceptions.NotFound()
        finding = selectors.finding_get(actor=self.actor, access=access, finding_id=finding_pk)
        version = expected_version(request)
        finding = services.finding_update(
            actor=self.actor, finding=finding, expected_version=version, **self.body(FindingChangeSerializer)
        )
        return versioned_response(FindingSerializer(finding).data, finding.version)

    @action(detail=True, methods=["post"])
    def measures(self, request: Request, pk: str) -> Response:
        case, access = self._case(pk, managed=True)
        measure = services.measure_take(
            actor=self.actor, case=case, **self.body(MeasureCreateSerializer, access=access)
        )
        return Response(MeasureSerializer(measure).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def participants(self, request: Request, pk: str) -> Response:
        case, _access = self._case(pk, managed=True)
        organisation = self.body(OrganisationRefSerializer)["organisation"]
        participant = services.participant_add(actor=self.actor, case=case, organisation=organisation)
        return Response(ParticipantSerializer(participant).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def handovers(self, request: Request, pk: str) -> Response:
        case, _access = self._case(pk, managed=True)
        body = self.body(OrganisationRefSerializer)
        handover = services.handover_create(
            actor=self.actor, case=case, to_organisation=body["organisation"], note=body["note"]
        )
        return Response(HandoverSerializer(handover).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["get"])
    def zgw(self, request: Request, pk: str) -> Response:
        case, _access = self._case(pk)
        return Response(selectors.case_zgw(actor=self.actor, case=case))
