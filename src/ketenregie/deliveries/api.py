"""``POST /api/v1/labour-migrants/``: a delivery of labour migrants as JSON.

The rows go through the same all-or-nothing runner and importer as a CSV file (they are written as
one), so the checks and messages are the same; errors come back as ``rows[i].field``.

A partner (an employer's, agency's or housing provider's account) learns only that its rows were
accepted and how many: whether a row matched a known person, changed the register or waits for
review would tell it what the register holds about someone it names (one row with a BSN is
enough to ask "does this person live here?"). Civil affairs and the administrator see the counts.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ketenregie.api.base import api_actor, requires
from ketenregie.core.imports import ImportRejected, run_import
from ketenregie.core.permissions import Capability
from ketenregie.deliveries.imports import COLUMNS, LabourMigrantImporter
from ketenregie.deliveries.models import DeliveryChannel, DeliveryKind, DeliveryObligation, DeliverySource
from ketenregie.deliveries.services import delivery_context_for


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


FIELDS = {_camel(column): column for column in COLUMNS}
MAX_ROWS = 50_000


class DeliveredRowSerializer(serializers.Serializer):
    """One worker. Dates are YYYY-MM-DD; nationality an ISO 3166-1 alpha-2 code."""

    bsn = serializers.CharField(required=False, allow_blank=True)
    surname = serializers.CharField()
    givenNames = serializers.CharField(required=False, allow_blank=True)
    birthDate = serializers.CharField(required=False, allow_blank=True, help_text="Needed without a BSN.")
    nationality = serializers.CharField(help_text="ISO 3166-1 alpha-2, e.g. PL (not “Polen”).")
    arrivalDate = serializers.CharField(required=False, allow_blank=True)
    postcode = serializers.CharField()
    houseNumber = serializers.IntegerField()
    houseLetter = serializers.CharField(required=False, allow_blank=True)
    houseNumberAddition = serializers.CharField(required=False, allow_blank=True)
    email = serializers.CharField(required=False, allow_blank=True)
    phone = serializers.CharField(required=False, allow_blank=True)
    source = serializers.ChoiceField(  # type: ignore[assignment]
        choices=DeliverySource.choices, required=False, allow_blank=True
    )


class LabourMigrantDeliverySerializer(serializers.Serializer):
    rows = DeliveredRowSerializer(many=True)
    employerKvk = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="The delivering employer, agency or housing provider. A partner account always "
        "delivers as its own organisation and may leave this out.",
    )
    source = serializers.ChoiceField(  # type: ignore[assignment]
        choices=DeliverySource.choices, required=False, allow_blank=True
    )
    obligation = serializers.ChoiceField(choices=DeliveryObligation.choices, required=False, allow_blank=True)


class DeliveryResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    rowCount = serializers.IntegerField()
    createdCount = serializers.IntegerField(required=False, help_text="Not shown to partners.")
    updatedCount = serializers.IntegerField(required=False, help_text="Not shown to partners.")
    unchangedCount = serializers.IntegerField(required=False, help_text="Not shown to partners.")
    reviewCount = serializers.IntegerField(required=False, help_text="Not shown to partners.")


def _as_csv(rows: list[Any]) -> tuple[bytes, list[dict[str, str]]]:
    """The rows as the CSV file the runner reads; unknown or non-scalar fields are errors per row."""
    problems: list[dict[str, str]] = []
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(COLUMNS)
    for index, row in enumerate(rows):
        if not isinstance(row, dict):
            problems.append({"name": f"rows[{index}]", "code": "invalid", "reason": "Geef een object."})
            writer.writerow([""] * len(COLUMNS))
            continue
        for key, value in row.items():
            if key not in FIELDS:
                problems.append(
                    {"name": f"rows[{index}].{key}", "code": "unknown", "reason": "Onbekend veld."}
                )
            elif isinstance(value, (dict, list)):
                problems.append(
                    {"name": f"rows[{index}].{key}", "code": "invalid", "reason": "Geef een waarde."}
                )
        values = {FIELDS[k]: v for k, v in row.items() if k in FIELDS}
        writer.writerow(["" if values.get(c) is None else str(values.get(c, "")) for c in COLUMNS])
    return out.getvalue().encode(), problems


class LabourMigrantDeliveryView(APIView):
    permission_classes = [requires(Capability.DELIVER_DATA)]

    @extend_schema(
        operation_id="labourMigrantsDeliver",
        summary="Deliver a list of labour migrants and where they stay",
        description=(
            "All rows or none. Each row is matched to the register by BSN, or by surname, given names "
            "and date of birth; an uncertain match waits for civil affairs. The delivered address "
            "becomes a stay address (not verified). A partner sees only the delivery id and row count."
        ),
        request=LabourMigrantDeliverySerializer,
        responses={
            201: DeliveryResultSerializer,
            400: OpenApiResponse(description="Invalid rows, as application/problem+json (rows[i].field)."),
            403: OpenApiResponse(description="The role does not deliver, or not as this employer."),
        },
        tags=["deliveries"],
    )
    def post(self, request: Request) -> Response:
        actor = api_actor(request)
        body = request.data if isinstance(request.data, dict) else {}
        rows = body.get("rows")
        if not isinstance(rows, list) or not rows:
            raise exceptions.ValidationError({"rows": ["Geef een lijst met ten minste één rij."]})
        if len(rows) > MAX_ROWS:
            raise exceptions.ValidationError({"rows": [f"Ten hoogste {MAX_ROWS} rijen per levering."]})
        header = LabourMigrantDeliverySerializer(
            data={k: v for k, v in body.items() if k != "rows"} | {"rows": []}
        )
        header.is_valid(raise_exception=True)
        data, problems = _as_csv(rows)
        if problems:
            raise exceptions.ValidationError(_problems(problems))
        try:
            context = delivery_context_for(
                actor=actor,
                kind=DeliveryKind.LABOUR_MIGRANTS,
                channel=DeliveryChannel.API,
                employer_kvk=str(body.get("employerKvk") or ""),
                source=str(body.get("source") or ""),
                obligation=str(body.get("obligation") or ""),
            ).with_data(data)
        except DjangoValidationError as error:
            raise exceptions.ValidationError(
                {_camel(field): messages for field, messages in error.message_dict.items()}
            ) from None
        importer = LabourMigrantImporter(context)
        try:
            result = run_import(actor=actor, importer=importer, data=data)
        except ImportRejected as rejected:
            raise exceptions.ValidationError(
                _problems(
                    [
                        {
                            "name": f"rows[{error.row - 2}].{_camel(error.column)}"
                            if error.row >= 2 and error.column
                            else (f"rows[{error.row - 2}]" if error.row >= 2 else "rows"),
                            "code": "invalid",
                            "reason": error.message,
                        }
                        for error in rejected.errors
                    ]
                )
            ) from None
        delivery = importer.delivery
        assert delivery is not None
        answer: dict[str, int] = {"id": delivery.pk, "rowCount": delivery.row_count}
        if actor.can(Capability.IMPORT_REGISTERS):
            answer |= {
                "createdCount": result.created,
                "updatedCount": result.updated,
                "unchangedCount": result.unchanged,
                "reviewCount": importer.review_count,
            }
        return Response(answer, status=status.HTTP_201_CREATED)


def _problems(problems: list[dict[str, str]]) -> dict[str, list[str]]:
    """Problems keyed by their full name, so problem+json's invalidParams names them as given."""
    grouped: dict[str, list[str]] = {}
    for problem in problems:
        grouped.setdefault(problem["name"], []).append(problem["reason"])
    return grouped
