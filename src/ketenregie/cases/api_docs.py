"""What the cases API's operations say in the OpenAPI document, kept apart from what they do."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema

from ketenregie.cases.api_serializers import (
    CaseChangeSerializer,
    CaseCloseSerializer,
    CaseCreateSerializer,
    CaseDetailSerializer,
    CaseReopenSerializer,
    FindingChangeSerializer,
    FindingCreateSerializer,
    FindingSerializer,
    HandoverSerializer,
    MeasureCreateSerializer,
    MeasureSerializer,
    OrganisationRefSerializer,
    ParticipantSerializer,
)
from ketenregie.cases.models import CaseKind, CaseStatus

IF_MATCH = OpenApiParameter("If-Match", str, OpenApiParameter.HEADER, required=True)

CASE_OPERATIONS = {
    "list": extend_schema(
        summary="Cases the caller may see: all of the municipality's for the owner, shared ones for partners",
        parameters=[
            OpenApiParameter("kind", str, enum=CaseKind.values),
            OpenApiParameter("status", str, enum=CaseStatus.values),
        ],
    ),
    "retrieve": extend_schema(
        summary="One case with participants, addresses, findings, measures and timeline",
        responses=CaseDetailSerializer,
    ),
    "create": extend_schema(
        summary="Open a case, directly or from meldingen",
        request=CaseCreateSerializer,
        responses={201: CaseDetailSerializer},
    ),
    "partial_update": extend_schema(
        summary="Change a case; send If-Match with the ETag you read (412 when someone else saved first)",
        request=CaseChangeSerializer,
        responses=CaseDetailSerializer,
        parameters=[IF_MATCH],
    ),
    "close": extend_schema(
        summary="Close a case with its result (If-Match required)",
        request=CaseCloseSerializer,
        responses=CaseDetailSerializer,
        parameters=[IF_MATCH],
    ),
    "reopen": extend_schema(
        summary="Open a closed case again, with the reason (If-Match required)",
        request=CaseReopenSerializer,
        responses=CaseDetailSerializer,
        parameters=[IF_MATCH],
    ),
    "findings": extend_schema(
        summary="Record a finding at an address of the case",
        request=FindingCreateSerializer,
        responses={201: FindingSerializer},
    ),
    "finding_change": extend_schema(
        summary=(
            "Change a finding; only its recording organisation may (403 otherwise). Send If-Match with "
            "the finding's version (412 when someone else saved first); the earlier values are kept"
        ),
        request=FindingChangeSerializer,
        responses=FindingSerializer,
        parameters=[IF_MATCH],
    ),
    "measures": extend_schema(
        summary="Take a measure", request=MeasureCreateSerializer, responses={201: MeasureSerializer}
    ),
    "participants": extend_schema(
        summary="Invite an organisation (a partner needs a valid data-sharing agreement)",
        request=OrganisationRefSerializer,
        responses={201: ParticipantSerializer},
    ),
    "handovers": extend_schema(
        summary="Hand the case over (dossier built under the recipient's agreement; recorded and audited)",
        request=OrganisationRefSerializer,
        responses={201: HandoverSerializer},
    ),
    "zgw": extend_schema(
        summary="The case as ZGW Zaken API resources (zaak, status, resultaat, zaakobjecten, rollen)",
        responses=dict,
    ),
}
