"""Meldingen through the API. ``POST /api/v1/signals`` is open to the public (the portal) without login,
rate-limited per client; everything else needs a role that handles meldingen. What each operation says
in the OpenAPI document is in ``signals.api_docs``."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle

from ketenregie.api.base import requires
from ketenregie.api.concurrency import expected_version, versioned_response
from ketenregie.api.throttling import AnonRateThrottle, UserRateThrottle
from ketenregie.api.viewsets import ApiViewSet
from ketenregie.core.permissions import Capability
from ketenregie.signals import selectors, services
from ketenregie.signals.api_docs import SIGNAL_OPERATIONS
from ketenregie.signals.api_serializers import (
    CategorySuggestionSerializer,
    SignalChangeSerializer,
    SignalReceiptSerializer,
    SignalReporterSerializer,
    SignalSerializer,
    SignalSubmitSerializer,
    SuggestSerializer,
)
from ketenregie.signals.intake import signal_create_initial
from ketenregie.signals.models import Signal
from ketenregie.signals.selectors import SignalFilter


class SignalSubmitThrottle(AnonRateThrottle):
    """Anonymous meldingen per client address; logged-in callers have the ordinary user rate."""

    scope = "signal_submit"


@extend_schema_view(**SIGNAL_OPERATIONS)
class SignalViewSet(mixins.ListModelMixin, ApiViewSet):
    serializer_class = SignalSerializer
    public_actions = frozenset({"create"})
    default_permission = requires(Capability.VIEW_SIGNALS)
    action_capabilities = {
        "partial_update": Capability.HANDLE_SIGNALS,
        "suggest": Capability.SUBMIT_SIGNALS,
        "reporter": Capability.VIEW_SIGNAL_REPORTERS,
    }
    # Paged by key: the linked-meldingen count and the joins are computed for one page only.
    load_page_rows = staticmethod(selectors.load_signal_rows)

    def get_throttles(self) -> list[BaseThrottle]:
        if self.action == "create":
            return [SignalSubmitThrottle(), AnonRateThrottle(), UserRateThrottle()]
        return super().get_throttles()

    def get_queryset(self) -> QuerySet[Signal]:
        params = self.request.query_params
        filters = SignalFilter(queue=params.get("queue", "open"), channel=params.get("channel", ""))
        return selectors.signal_keys(actor=self.actor, filters=filters)

    def _versioned(self, pk: int) -> Response:
        signal = selectors.signal_get(actor=self.actor, signal_id=pk)
        return versioned_response(self.get_serializer(signal).data, signal.version)

    def retrieve(self, request: Request, pk: str) -> Response:
        return self._versioned(int(pk))

    @extend_schema(
        summary="Submit a melding (open to the public without login; rate-limited)",
        request=SignalSubmitSerializer,
        responses={201: SignalReceiptSerializer},
    )
    def create(self, request: Request) -> Response:
        actor = self.actor if request.user is not None and request.user.is_authenticated else None
        if actor is not None and not actor.can(Capability.SUBMIT_SIGNALS):
            raise exceptions.PermissionDenied("Uw rol kan geen meldingen registreren.")
        body = SignalSubmitSerializer(data=request.data, context={"actor": actor})
        body.is_valid(raise_exception=True)
        # A ValidationError of the intake is answered 400 by the API's one exception handler.
        signal = signal_create_initial(body.intake(), actor=actor)
        return Response(SignalReceiptSerializer(signal).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str) -> Response:
        signal = selectors.signal_get(actor=self.actor, signal_id=int(pk))
        version = expected_version(request)
        services.signal_change(
            actor=self.actor, signal=signal, expected_version=version, **self.body(SignalChangeSerializer)
        )
        return self._versioned(signal.pk)

    @action(detail=False, methods=["post"])
    def suggest(self, request: Request) -> Response:
        text = self.body(SuggestSerializer)["text"]
        suggestion = selectors.signal_suggest(actor=self.actor, text=text)
        if suggestion is None:
            return Response({"category": None, "confidence": None})
        return Response(CategorySuggestionSerializer(suggestion).data)

    @action(detail=True, methods=["get"])
    def reporter(self, request: Request, pk: str) -> Response:
        signal = selectors.signal_get(actor=self.actor, signal_id=int(pk))
        contact = selectors.signal_reporter(actor=self.actor, signal=signal, context="api_signal_reporter")
        response = Response(SignalReporterSerializer(contact).data)
        response["Cache-Control"] = "no-store"
        return response
