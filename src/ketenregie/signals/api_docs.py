"""What the meldingen API's operations say in the OpenAPI document, kept apart from what they do."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema

from ketenregie.signals.api_serializers import (
    CategorySuggestionSerializer,
    SignalChangeSerializer,
    SignalReporterSerializer,
    SignalSerializer,
    SuggestSerializer,
)
from ketenregie.signals.models import SignalChannel
from ketenregie.signals.selectors import QUEUES

SIGNAL_OPERATIONS = {
    "list": extend_schema(
        summary="Meldingen of the caller's municipality (the triage queue by default)",
        parameters=[
            OpenApiParameter("queue", str, enum=list(QUEUES), description="Default: open, by deadline."),
            OpenApiParameter("channel", str, enum=SignalChannel.values),
        ],
    ),
    "retrieve": extend_schema(
        summary="One melding, without the reporter's contact details; ETag carries its version",
        responses=SignalSerializer,
    ),
    "partial_update": extend_schema(
        summary="Triage, resolve the address, or close with a result; send If-Match with the ETag you read",
        request=SignalChangeSerializer,
        responses=SignalSerializer,
        parameters=[OpenApiParameter("If-Match", str, OpenApiParameter.HEADER, required=True)],
    ),
    "suggest": extend_schema(
        summary="Suggest a category for a text (never applied by itself)",
        request=SuggestSerializer,
        responses=CategorySuggestionSerializer,
    ),
    "reporter": extend_schema(
        summary="The reporter's contact details (recorded in the audit trail)",
        responses=SignalReporterSerializer,
    ),
}
