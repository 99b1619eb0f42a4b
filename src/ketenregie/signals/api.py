"""Meldingen through the API. ``POST /api/v1/signals`` is open to the public (the portal) without login,
rate-limited per client; everything else needs a role that handles meldingen."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view, inline_serializer
from rest_framework import exceptions, mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle

from ketenregie.api.base import api_actor, requires
from ketenregie.api.concurrency import if_match_version
from ketenregie.api.throttling import AnonRateThrottle, UserRateThrottle
from ketenregie.core.permissions import Capability
from ketenregie.core.selectors import municipality_by_code
from ketenregie.signals import selectors, services
from ketenregie.signals.api_serializers import (
    SignalChangeSerializer,
    SignalReceiptSerializer,
    SignalSerializer,
    SignalSubmitSerializer,
    SuggestSerializer,
)
from ketenregie.signals.intake import signal_create_initial
from ketenregie.signals.models import Signal, SignalChannel, SignalStatus
from ketenregie.signals.selectors import QUEUES, SignalFilter

if TYPE_CHECKING:
    from ketenregie.core.models import Municipality
    from ketenregie.signals.models import SignalCategory


class SignalSubmitThrottle(AnonRateThrottle):
    """Anonymous meldingen per client address; logged-in callers have the ordinary user rate."""

    scope = "signal_submit"


@extend_schema_view(
    list=extend_schema(
        summary="Meldingen of the caller's municipality (the triage queue by default)",
        parameters=[
            OpenApiParameter("queue", str, enum=list(QUEUES), description="Default: open, by deadline."),
            OpenApiParameter("channel", str, enum=SignalChannel.values),
        ],
    ),
    retrieve=extend_schema(
        summary="One melding, without the reporter's contact details; ETag carries its version"
    ),
)
class SignalViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    lookup_value_converter = "int"
    serializer_class = SignalSerializer
    filter_backends: list[Any] = []
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_permissions(self) -> list[Any]:
        if self.action == "create":
            return [permissions.AllowAny()]
        if self.action == "partial_update":
            return [requires(Capability.HANDLE_SIGNALS)()]
        if self.action == "suggest":
            return [requires(Capability.SUBMIT_SIGNALS)()]
        if self.action == "reporter":
            return [requires(Capability.VIEW_SIGNAL_REPORTERS)()]
        return [requires(Capability.VIEW_SIGNALS)()]

    def get_throttles(self) -> list[BaseThrottle]:
        if self.action == "create":
            return [SignalSubmitThrottle(), AnonRateThrottle(), UserRateThrottle()]
        return super().get_throttles()

    # Paged by key: the linked-meldingen count and the joins are computed for one page only.
    load_page_rows = staticmethod(selectors.load_signal_rows)

    def get_queryset(self) -> QuerySet[Signal]:
        params = self.request.query_params
        return selectors.signal_keys(
            actor=api_actor(self.request),
            filters=SignalFilter(queue=params.get("queue", "open"), channel=params.get("channel", "")),
        )

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        signal = selectors.signal_get(actor=api_actor(request), signal_id=int(kwargs["pk"]))
        response = Response(self.get_serializer(signal).data)
        response["ETag"] = f'"{signal.version}"'
        return response

    @extend_schema(
        summary="Submit a melding (open to the public without login; rate-limited)",
        request=SignalSubmitSerializer,
        responses={201: SignalReceiptSerializer},
    )
    def create(self, request: Request) -> Response:
        body = SignalSubmitSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        actor = api_actor(request) if request.user is not None and request.user.is_authenticated else None
        if actor is not None and not actor.can(Capability.SUBMIT_SIGNALS):
            raise exceptions.PermissionDenied("Uw rol kan geen meldingen registreren.")
        municipality = actor.municipality if actor else self._municipality(data.get("municipality"))
        category = self._category(municipality, data.get("category", ""))
        # A ValidationError of the intake is answered 400 by the API's one exception handler.
        signal = signal_create_initial(body.intake(municipality, category), actor=actor)
        return Response(SignalReceiptSerializer(signal).data, status=status.HTTP_201_CREATED)

    @staticmethod
    def _municipality(code: str | None) -> Municipality:
        if not code:
            raise exceptions.ValidationError({"municipality": ["Geef de CBS-code van de gemeente."]})
        try:
            return municipality_by_code(code)
        except Http404:
            raise exceptions.ValidationError({"municipality": ["Onbekende gemeentecode."]}) from None

    @staticmethod
    def _category(municipality: Municipality, code: str) -> SignalCategory | None:
        if not code:
            return None
        category = selectors.category_by_code(municipality=municipality, code=code)
        if category is None:
            raise exceptions.ValidationError({"category": [f"Onbekende categorie '{code}'."]})
        return category

    @extend_schema(
        summary="Triage, resolve the address, or close with a result; send If-Match with the ETag you read",
        request=SignalChangeSerializer,
        responses=SignalSerializer,
        parameters=[OpenApiParameter("If-Match", str, OpenApiParameter.HEADER, required=True)],
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        actor = api_actor(request)
        signal = selectors.signal_get(actor=actor, signal_id=int(pk))
        expected = if_match_version(request)
        if isinstance(expected, Response):
            return expected
        body = SignalChangeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        if "addressId" in data:
            from ketenregie.places.selectors import address_get

            address = address_get(actor=actor, address_id=data["addressId"])
            signal = services.signal_resolve_address(
                actor=actor, signal=signal, expected_version=expected, address=address
            )
            expected = signal.version
        if "category" in data or data.get("status") == SignalStatus.TRIAGED:
            category = self._category(actor.municipality, data.get("category", "")) or signal.category
            signal = services.signal_triage(
                actor=actor,
                signal=signal,
                expected_version=expected,
                category=category,
                assigned_to=signal.assigned_to,
            )
            expected = signal.version
        if data.get("status") == SignalStatus.CLOSED:
            if "result" not in data:
                raise exceptions.ValidationError({"result": ["Sluiten vraagt om een resultaat."]})
            signal = services.signal_close(
                actor=actor,
                signal=signal,
                expected_version=expected,
                result=data["result"],
                note=data.get("resultNote", ""),
            )
        fresh = selectors.signal_get(actor=actor, signal_id=signal.pk)
        response = Response(self.get_serializer(fresh).data)
        response["ETag"] = f'"{fresh.version}"'
        return response

    @extend_schema(
        summary="Suggest a category for a text (never applied by itself)",
        request=SuggestSerializer,
        responses=inline_serializer(
            "CategorySuggestion",
            {
                "category": serializers.CharField(allow_null=True),
                "confidence": serializers.FloatField(allow_null=True),
            },
        ),
    )
    @action(detail=False, methods=["post"])
    def suggest(self, request: Request) -> Response:
        body = SuggestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        suggestion = selectors.signal_suggest(actor=api_actor(request), text=body.validated_data["text"])
        if suggestion is None:
            return Response({"category": None, "confidence": None})
        return Response({"category": suggestion.category.code, "confidence": round(suggestion.confidence, 3)})

    @extend_schema(
        summary="The reporter's contact details (recorded in the audit trail)",
        responses=inline_serializer(
            "SignalReporter",
            {
                "name": serializers.CharField(),
                "email": serializers.CharField(),
                "phone": serializers.CharField(),
                "language": serializers.CharField(),
                "organisation": serializers.CharField(),
            },
        ),
    )
    @action(detail=True, methods=["get"])
    def reporter(self, request: Request, pk: str) -> Response:
        actor = api_actor(request)
        signal = selectors.signal_get(actor=actor, signal_id=int(pk))
        contact = selectors.signal_reporter(actor=actor, signal=signal, context="api_signal_reporter")
        response = Response(
            {
                "name": contact.name,
                "email": contact.email,
                "phone": contact.phone,
                "language": contact.language,
                "organisation": contact.organisation,
            }
        )
        response["Cache-Control"] = "no-store"
        return response
