"""Bulk deliveries through the API: the same importer and all-or-nothing runner as a CSV file."""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import ValidationError
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ketenregie.api.base import api_actor, requires
from ketenregie.api.problems import problem_response
from ketenregie.core.imports import ImportRejected, RowError, run_rows
from ketenregie.core.permissions import Capability
from ketenregie.deliveries import selectors
from ketenregie.deliveries.employments import EmploymentImporter
from ketenregie.deliveries.models import DeliveryChannel, DeliveryKind

MAX_ROWS = 50_000

# The API's camelCase names of the importer's columns.
EMPLOYMENT_FIELDS = {
    "bsn": "bsn",
    "employerKvk": "employer_kvk",
    "hirerKvk": "hirer_kvk",
    "startsOn": "starts_on",
    "endsOn": "ends_on",
}
_CAMEL = {snake: camel for camel, snake in EMPLOYMENT_FIELDS.items()}


class EmploymentRowSerializer(serializers.Serializer):
    """Values as text: the importer checks them, with the same messages as for a CSV file."""

    bsn = serializers.CharField(max_length=20, help_text="Burgerservicenummer of a person in the register.")
    employerKvk = serializers.CharField(max_length=20, help_text="KvK number of the employer (8 digits).")
    hirerKvk = serializers.CharField(
        max_length=20,
        required=False,
        allow_blank=True,
        help_text="KvK number of the hirer (inlener), if any.",
    )
    startsOn = serializers.CharField(max_length=20, help_text="YYYY-MM-DD")
    endsOn = serializers.CharField(
        max_length=20,
        required=False,
        allow_blank=True,
        allow_null=True,
        help_text="YYYY-MM-DD; empty while running.",
    )


class EmploymentDeliverySerializer(serializers.Serializer):
    employerKvk = serializers.CharField(
        max_length=20,
        required=False,
        allow_blank=True,
        help_text=(
            "The employer this delivery is for. A partner account delivers for its own organisation and may "
            "leave it out; civil affairs and the administrator name the employer."
        ),
    )
    rows = serializers.ListField(child=EmploymentRowSerializer(), allow_empty=False, max_length=MAX_ROWS)


class DeliveryResultSerializer(serializers.Serializer):
    deliveryId = serializers.IntegerField()
    rows = serializers.IntegerField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField(help_text="Existing employments that this delivery ended.")
    unchanged = serializers.IntegerField()


def _param(error: RowError) -> dict[str, str]:
    field = _CAMEL.get(error.column, error.column)
    if error.row:
        name = f"rows[{error.row - 1}].{field}" if field else f"rows[{error.row - 1}]"
    else:
        name = field or "rows"
    return {"name": name, "code": "invalid", "reason": error.message}


class EmploymentDeliveryView(APIView):
    """Deliver employments: all rows are written, or none and every problem is named."""

    permission_classes = [requires(Capability.DELIVER_DATA)]

    @extend_schema(
        summary="Deliver a list of employments (all rows or none)",
        request=EmploymentDeliverySerializer,
        responses={
            201: DeliveryResultSerializer,
            400: OpenApiResponse(description="Problems, each in invalidParams as rows[i].field"),
            403: OpenApiResponse(description="Not allowed to deliver for this employer"),
        },
    )
    def post(self, request: Request) -> Response:
        actor = api_actor(request)
        body = EmploymentDeliverySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        try:
            employer = selectors.delivering_employer(
                actor=actor, employer_kvk=data.get("employerKvk", "").strip()
            )
        except ValidationError as error:
            raise exceptions.ValidationError({"employerKvk": error.message_dict["employer_kvk"]}) from None
        rows = [
            (index + 1, {snake: (row.get(camel) or "").strip() for camel, snake in EMPLOYMENT_FIELDS.items()})
            for index, row in enumerate(data["rows"])
        ]
        context = selectors.employer_delivery_context(
            actor=actor, kind=DeliveryKind.EMPLOYMENTS, employer=employer, channel=DeliveryChannel.API
        ).with_data(json.dumps(request.data, sort_keys=True, default=str).encode())
        importer = EmploymentImporter(context)
        try:
            result = run_rows(actor=actor, importer=importer, rows=rows)
        except ImportRejected as rejected:
            return problem_response(
                status_code=status.HTTP_400_BAD_REQUEST,
                detail=f"Er is niets geleverd: {len(rejected.errors)} probleem/problemen in de rijen.",
                code="paramsValidation",
                instance=request.get_full_path(),
                invalid_params=[_param(error) for error in rejected.errors],
            )
        assert importer.delivery is not None
        payload: dict[str, Any] = {
            "deliveryId": importer.delivery.pk,
            "rows": len(rows),
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
        }
        return Response(DeliveryResultSerializer(payload).data, status=status.HTTP_201_CREATED)
