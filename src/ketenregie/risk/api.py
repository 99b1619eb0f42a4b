"""Read-only API of risk selection: the runs, and the ranked addresses of a run with their explanation."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from ketenregie.api.base import api_actor, requires
from ketenregie.api.viewsets import ApiViewSet
from ketenregie.core.permissions import Capability
from ketenregie.core.validators import parse_id, parse_number
from ketenregie.operations.api import ACCEPTED, LOCATION_HEADER, accepted
from ketenregie.operations.services import task_start
from ketenregie.risk import selectors
from ketenregie.risk.explain import explain, rule_names
from ketenregie.risk.models import AddressRiskScore, RiskRun
from ketenregie.risk.selectors import ScoreFilter


class RiskRunSerializer(serializers.ModelSerializer):
    asOf = serializers.DateField(source="as_of")
    createdAt = serializers.DateTimeField(source="created_at")
    createdBy = serializers.CharField(source="created_by_name")
    rulesVersion = serializers.IntegerField(source="rules_version")
    addressCount = serializers.IntegerField(source="address_count")
    scoredAddressCount = serializers.IntegerField(source="scored_address_count")
    employerCount = serializers.IntegerField(source="employer_count")
    scoredEmployerCount = serializers.IntegerField(source="scored_employer_count")
    durationMs = serializers.IntegerField(source="duration_ms")

    class Meta:
        model = RiskRun
        fields = [
            "id",
            "reference",
            "asOf",
            "createdAt",
            "createdBy",
            "rulesVersion",
            "rules",
            "addressCount",
            "scoredAddressCount",
            "employerCount",
            "scoredEmployerCount",
            "durationMs",
        ]


class ContributionSerializer(serializers.Serializer):
    key = serializers.CharField()
    points = serializers.IntegerField()
    text = serializers.CharField()


class AddressRiskScoreSerializer(serializers.ModelSerializer):
    runId = serializers.IntegerField(source="run_id")
    # Declared, not derived from the model: the model's integer range depends on the database, and the
    # committed schema must not.
    rank = serializers.IntegerField(min_value=1, read_only=True)
    score = serializers.IntegerField(min_value=0, read_only=True)
    addressId = serializers.IntegerField(source="address_id")
    address = serializers.CharField(source="address.label")
    neighbourhoodCode = serializers.CharField(source="neighbourhood.code", default=None, allow_null=True)
    contributions = serializers.SerializerMethodField()

    class Meta:
        model = AddressRiskScore
        fields = ["runId", "rank", "score", "addressId", "address", "neighbourhoodCode", "contributions"]

    @extend_schema_field(ContributionSerializer(many=True))
    def get_contributions(self, score: AddressRiskScore) -> list[dict[str, Any]]:
        """The lines of the explanation; their points add up to the score."""
        return [
            {"key": line.key, "points": line.points, "text": line.text}
            for line in explain(score.contributions)
        ]


class RiskRunStartSerializer(serializers.Serializer):
    asOf = serializers.DateField(
        source="as_of", required=False, help_text="The reference date of the scores; today when left out."
    )


@extend_schema_view(
    list=extend_schema(summary="Risk runs of the caller's municipality, newest first"),
    retrieve=extend_schema(summary="One risk run with the rules it used"),
    create=extend_schema(
        summary="Start a risk run: 202 with the task's URL in Location; the task names the run when done",
        request=RiskRunStartSerializer,
        responses=ACCEPTED,
        parameters=[LOCATION_HEADER],
    ),
)
class RiskRunViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    serializer_class = RiskRunSerializer
    default_permission = requires(Capability.VIEW_RISK_RUNS)
    action_capabilities = {"create": Capability.RUN_RISK}

    def get_queryset(self) -> QuerySet[RiskRun]:
        return selectors.runs(actor=self.actor)

    def create(self, request: Request) -> Response:
        body = self.body(RiskRunStartSerializer)
        return accepted(request, task_start(self.actor, "risk_run", **body))


@extend_schema_view(
    list=extend_schema(
        summary="Addresses of a risk run by rank, each with the contributions that make up its score",
        parameters=[
            OpenApiParameter("run", OpenApiTypes.INT, description="run id; the latest run when left out"),
            OpenApiParameter("neighbourhood", str, description="CBS neighbourhood code, e.g. BU05990101"),
            OpenApiParameter("rule", str, enum=list(rule_names())),
            OpenApiParameter("minScore", OpenApiTypes.INT),
        ],
    ),
)
class AddressRiskScoreViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = AddressRiskScoreSerializer
    permission_classes = [requires(Capability.VIEW_RISK)]
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[AddressRiskScore]:
        actor = api_actor(self.request)
        params = self.request.query_params
        run_id = params.get("run")
        if run_id is not None and parse_id(run_id) is None:
            raise serializers.ValidationError({"run": ["Geef het nummer van een run."]})
        rule = params.get("rule", "")
        if rule and rule not in rule_names():
            raise serializers.ValidationError({"rule": [f"Onbekende regel '{rule}'."]})
        min_score = params.get("minScore")
        if min_score is not None and parse_number(min_score) is None:
            raise serializers.ValidationError({"minScore": ["Geef een geheel getal van 0 of meer."]})
        neighbourhood = params.get("neighbourhood", "")
        neighbourhood_id = None
        if neighbourhood:
            found = selectors.neighbourhoods(actor=actor).filter(code=neighbourhood).first()
            if found is None:
                raise serializers.ValidationError(
                    {"neighbourhood": [f"Onbekende buurtcode '{neighbourhood}'."]}
                )
            neighbourhood_id = found.pk
        try:
            run = selectors.run_get(actor=actor, run_id=run_id)
        except Http404:
            raise NotFound("Deze run bestaat niet.") from None
        if run is None:
            return AddressRiskScore.objects.none()
        filters = ScoreFilter(
            neighbourhood_id=neighbourhood_id, rule=rule, min_score=int(min_score) if min_score else None
        )
        return selectors.address_scores(actor=actor, run=run, filters=filters).select_related(
            "address", "neighbourhood"
        )
