"""Deliveries as JSON: ``POST /api/v1/labour-migrants`` and ``POST /api/v1/employments``.

Both endpoints are one edge (``DeliveryView``): the body's rows become the rows a CSV file would give
(camelCase fields → the importer's columns, numbered as the lines of that file) and go through the same
all-or-nothing runner and importer, so the checks and messages are those of a file. Every problem comes
back as problem+json ``invalidParams`` named ``rows[i].camelField`` (``i`` counted from 0): a missing
required field, an unknown field and a refused value alike. Who delivers as whom is
``deliveries.services.delivery_context_for``, as for the command and the upload page.

A partner (an employer's, agency's or housing provider's account) learns only that its rows were
accepted and how many: whether a row matched a known person, changed the register or waits for
review would tell it what the register holds about someone it names (one row with a BSN is
enough to ask "does this person live here?"). Civil affairs and the administrator see the counts.
Refusals cannot hide everything (an employment needs a person in the register, so a refused row says
the BSN is unknown), so a partner's refusals are worded without confirming register content, every
refused delivery is kept as a ``RefusedDelivery`` (counts only) and a partner account delivers at most
``API_DELIVERY_RATE`` times (30 an hour by default) through this endpoint.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import exceptions, serializers, status, throttling
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ketenregie.api.base import api_actor, requires
from ketenregie.api.problems import api_name
from ketenregie.api.throttling import AnonRateThrottle, ClientAddressMixin, UserRateThrottle
from ketenregie.core.imports import ImportConflict, ImportRejected, RowError, run_rows
from ketenregie.core.permissions import Capability
from ketenregie.deliveries.employments import EmploymentImporter
from ketenregie.deliveries.imports import LabourMigrantImporter
from ketenregie.deliveries.models import DeliveryChannel, DeliveryKind, DeliveryObligation, DeliverySource
from ketenregie.deliveries.services import delivery_context_for, delivery_refused_record

MAX_ROWS = 50_000
# Rows are numbered as the lines of the equivalent CSV file (the header is line 1).
FIRST_ROW = 2


# OpenAPI documentation of the bodies. The values are checked by the importer, not by these
# serializers, so that a file and a request get the same messages.


class DeliveryHeaderSerializer(serializers.Serializer):
    """Who delivers, as what and under which obligation: the same for every delivery kind."""

    employerKvk = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=20,
        help_text="The delivering employer, agency or housing provider. A partner account always "
        "delivers as its own organisation and may leave this out; civil affairs and the administrator "
        "name it.",
    )
    source = serializers.ChoiceField(  # type: ignore[assignment]
        choices=DeliverySource.choices,
        required=False,
        allow_blank=True,
        help_text="The deliverer kind; by default from the employer (a temp agency delivers as agency).",
    )
    obligation = serializers.ChoiceField(
        choices=DeliveryObligation.choices,
        required=False,
        allow_blank=True,
        help_text="By default the covenant when the employer is an active covenant member, else voluntary.",
    )


@extend_schema_field({"type": "string", "format": "date"})
class DateText(serializers.CharField):
    """A date as YYYY-MM-DD, read as text: the importer checks it and names the row and column.

    Empty is the same as not given. It is accepted here rather than with ``allow_blank``, which would
    document the field as "a date or an empty string" and hide the date format from the NL API Design
    Rules' date check.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, **kwargs)

    def run_validation(self, data: Any = serializers.empty) -> Any:
        if data == "":
            return ""
        return super().run_validation(data)


class DeliveredRowSerializer(serializers.Serializer):
    """One worker. Dates are YYYY-MM-DD; nationality an ISO 3166-1 alpha-2 code."""

    bsn = serializers.CharField(required=False, allow_blank=True)
    surname = serializers.CharField()
    givenNames = serializers.CharField(required=False, allow_blank=True)
    birthDate = DateText(help_text="Needed without a BSN.")
    nationality = serializers.CharField(help_text="ISO 3166-1 alpha-2, e.g. PL (not “Polen”).")
    arrivalDate = DateText()
    postcode = serializers.CharField()
    houseNumber = serializers.IntegerField()
    houseLetter = serializers.CharField(required=False, allow_blank=True)
    houseNumberAddition = serializers.CharField(required=False, allow_blank=True)
    email = serializers.CharField(required=False, allow_blank=True)
    phone = serializers.CharField(required=False, allow_blank=True)
    source = serializers.ChoiceField(  # type: ignore[assignment]
        choices=DeliverySource.choices, required=False, allow_blank=True
    )


class LabourMigrantDeliverySerializer(DeliveryHeaderSerializer):
    rows = DeliveredRowSerializer(many=True)


class EmploymentRowSerializer(serializers.Serializer):
    """One employment. Dates are YYYY-MM-DD."""

    bsn = serializers.CharField(help_text="Burgerservicenummer of a person in the register.")
    employerKvk = serializers.CharField(help_text="KvK number of the employer (8 digits).")
    hirerKvk = serializers.CharField(
        required=False, allow_blank=True, help_text="KvK number of the hirer (inlener), if any."
    )
    startsOn = serializers.CharField(help_text="YYYY-MM-DD")
    endsOn = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, help_text="YYYY-MM-DD; empty while running."
    )


class EmploymentDeliverySerializer(DeliveryHeaderSerializer):
    rows = EmploymentRowSerializer(many=True)


class DeliveryResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    rowCount = serializers.IntegerField()
    createdCount = serializers.IntegerField(required=False, help_text="Not shown to partners.")
    updatedCount = serializers.IntegerField(
        required=False, help_text="Not shown to partners. For employments: those this delivery ended."
    )
    unchangedCount = serializers.IntegerField(required=False, help_text="Not shown to partners.")
    reviewCount = serializers.IntegerField(required=False, help_text="Not shown to partners.")


# The edge both endpoints share.


class DeliveryConflict(exceptions.APIException):
    """Another delivery wrote the same people at the same moment: nothing of this one was written."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


def _param(index: int | None, field: str = "") -> str:
    if index is None:
        return api_name(field) if field else "rows"
    return f"rows[{index}].{api_name(field)}" if field else f"rows[{index}]"


def rows_from_body(
    rows: list[Any], *, columns: Sequence[str], required: Sequence[str]
) -> tuple[list[tuple[int, dict[str, str]]], dict[str, list[str]]]:
    """The body's rows as the importer's rows (every column present, text, stripped), and the problems
    no importer can judge: a row that is no object, an unknown field, a value that is no scalar, a
    required field that is missing or empty."""
    fields = {api_name(column): column for column in columns}
    converted: list[tuple[int, dict[str, str]]] = []
    problems: dict[str, list[str]] = {}
    for index, row in enumerate(rows):
        if not isinstance(row, dict):
            problems[_param(index)] = [_("Give an object with the row's fields.")]
            continue
        for key, value in row.items():
            if key not in fields:
                problems[f"rows[{index}].{key}"] = [
                    _("Unknown field. Allowed: %(fields)s.") % {"fields": ", ".join(fields)}
                ]
            elif isinstance(value, (dict, list)):
                problems[f"rows[{index}].{key}"] = [_("Give a single value.")]
        values = {
            column: "" if row.get(name) is None else str(row.get(name)).strip()
            for name, column in fields.items()
        }
        for column in required:
            if not values[column] and _param(index, column) not in problems:
                problems[_param(index, column)] = [_("This field is required.")]
        converted.append((index + FIRST_ROW, values))
    return converted, problems


def row_problems(errors: Sequence[RowError]) -> dict[str, list[str]]:
    """The importer's refusals, named as the request named the values."""
    problems: dict[str, list[str]] = {}
    for error in errors:
        index = error.row - FIRST_ROW if error.row >= FIRST_ROW else None
        problems.setdefault(_param(index, error.column), []).append(error.message)
    return problems


class DeliveryRateThrottle(ClientAddressMixin, throttling.SimpleRateThrottle):
    """Deliveries per partner account, accepted or refused alike: probing the register one row at a
    time costs a delivery each. Civil affairs and the administrator, who import registers and see
    the register anyway, are not counted."""

    scope = "delivery"

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        if request.user is None or not request.user.is_authenticated:
            return None
        if api_actor(request).can(Capability.IMPORT_REGISTERS):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}


class DeliveryView(APIView):
    """A delivery of one kind: all rows are written, or none and every problem is named."""

    permission_classes = [requires(Capability.DELIVER_DATA)]
    throttle_classes = [AnonRateThrottle, UserRateThrottle, DeliveryRateThrottle]
    kind: str
    importer_class: type[Any]
    columns: Sequence[str]

    @property
    def max_body_bytes(self) -> int:
        """A delivery is a file's worth of rows: the upload limit, not the API's (api.parsers)."""
        return int(settings.IMPORT_MAX_BYTES)

    def deliver(self, request: Request) -> Response:
        actor = api_actor(request)
        body = request.data if isinstance(request.data, dict) else {}
        rows = body.get("rows")
        if not isinstance(rows, list) or not rows:
            raise exceptions.ValidationError({"rows": [_("Give a list of at least one row.")]})
        if len(rows) > MAX_ROWS:
            raise exceptions.ValidationError(
                {"rows": [_("At most %(count)d rows per delivery.") % {"count": MAX_ROWS}]}
            )
        header = DeliveryHeaderSerializer(data={k: v for k, v in body.items() if k != "rows"})
        header.is_valid(raise_exception=True)
        context = delivery_context_for(
            actor=actor,
            kind=self.kind,
            channel=DeliveryChannel.API,
            employer_kvk=header.validated_data.get("employerKvk", ""),
            source=header.validated_data.get("source", ""),
            obligation=header.validated_data.get("obligation", ""),
        ).with_data(json.dumps(rows, sort_keys=True, default=str).encode())
        importer_rows, problems = rows_from_body(
            rows, columns=self.columns, required=self.importer_class.required_columns
        )
        if problems:
            # Refused before the runner, but once the deliverer is known: a trace like every refusal.
            delivery_refused_record(
                actor=actor, context=context, row_count=len(rows), error_count=len(problems)
            )
            raise exceptions.ValidationError(problems)
        importer = self.importer_class(context)
        try:
            result = run_rows(actor=actor, importer=importer, rows=importer_rows)
        except ImportRejected as rejected:
            delivery_refused_record(
                actor=actor, context=context, row_count=len(importer_rows), error_count=len(rejected.errors)
            )
            raise exceptions.ValidationError(row_problems(rejected.errors)) from None
        except ImportConflict as conflict:
            raise DeliveryConflict(str(conflict)) from None
        delivery = importer.delivery
        assert delivery is not None
        answer: dict[str, int] = {"id": delivery.pk, "rowCount": delivery.row_count}
        if actor.can(Capability.IMPORT_REGISTERS):
            answer |= {
                "createdCount": result.created,
                "updatedCount": result.updated,
                "unchangedCount": result.unchanged,
                "reviewCount": getattr(importer, "review_count", 0),
            }
        return Response(answer, status=status.HTTP_201_CREATED)


_RESPONSES = {
    201: DeliveryResultSerializer,
    400: OpenApiResponse(
        description="Nothing delivered: every problem as application/problem+json invalidParams, "
        "named rows[i].field (or employerKvk, source, obligation)."
    ),
    403: OpenApiResponse(description="The role does not deliver, or not as this employer."),
    409: OpenApiResponse(
        description="Another delivery changed the same people at the same time; deliver again."
    ),
}


class LabourMigrantDeliveryView(DeliveryView):
    kind = DeliveryKind.LABOUR_MIGRANTS
    importer_class = LabourMigrantImporter
    columns = (*LabourMigrantImporter.required_columns, *LabourMigrantImporter.optional_columns)

    @extend_schema(
        operation_id="labourMigrantsDeliver",
        summary="Deliver a list of labour migrants and where they stay",
        description=(
            "All rows or none. Each row is matched to the register by BSN, or by surname, given names "
            "and date of birth; an uncertain match waits for civil affairs. The delivered address "
            "becomes a stay address (not verified). A partner sees only the delivery id and row count."
        ),
        request=LabourMigrantDeliverySerializer,
        responses=_RESPONSES,
        tags=["deliveries"],
    )
    def post(self, request: Request) -> Response:
        return self.deliver(request)


class EmploymentDeliveryView(DeliveryView):
    kind = DeliveryKind.EMPLOYMENTS
    importer_class = EmploymentImporter
    columns = (*EmploymentImporter.required_columns, *EmploymentImporter.optional_columns)

    @extend_schema(
        operation_id="employmentsDeliver",
        summary="Deliver a list of employments",
        description=(
            "All rows or none. Each person must be in the register (by BSN); employer and hirer must be "
            "known employers. A later delivery with an end date ends the employment it names, it never "
            "adds a second one. A partner sees only the delivery id and row count."
        ),
        request=EmploymentDeliverySerializer,
        responses=_RESPONSES,
        tags=["deliveries"],
    )
    def post(self, request: Request) -> Response:
        return self.deliver(request)
