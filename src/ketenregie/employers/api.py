from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from ketenregie.api.base import api_actor, query_bool, requires
from ketenregie.api.concurrency import expected_version, versioned_response
from ketenregie.api.viewsets import ApiViewSet
from ketenregie.core.permissions import Capability
from ketenregie.core.validators import validate_kvk_number
from ketenregie.employers import selectors, services
from ketenregie.employers.models import Employer, EmployerKind
from ketenregie.employers.selectors import EmployerFilter


class EmployerSerializer(serializers.ModelSerializer):
    kvkNumber = serializers.CharField(source="kvk_number", validators=[validate_kvk_number])
    snaCertified = serializers.BooleanField(source="sna_certified", required=False)
    snaCertifiedSince = serializers.DateField(
        source="sna_certified_since",
        allow_null=True,
        required=False,
    )
    branchMembership = serializers.CharField(
        source="branch_membership",
        required=False,
        allow_blank=True,
    )
    wttaStatus = serializers.CharField(source="wtta_status", required=False)
    currentWorkers = serializers.IntegerField(source="current_workers", read_only=True)
    provenViolations = serializers.IntegerField(source="proven_violations", read_only=True)

    class Meta:
        model = Employer
        fields = [
            "id",
            "kvkNumber",
            "name",
            "kind",
            "sector",
            "snaCertified",
            "snaCertifiedSince",
            "branchMembership",
            "wttaStatus",
            "currentWorkers",
            "provenViolations",
            "version",
        ]
        read_only_fields = ["version"]
        # Uniqueness per municipality is the service's business: it knows the tenant.
        validators: list[Any] = []


@extend_schema_view(
    list=extend_schema(
        summary="Employers of the caller's municipality",
        parameters=[
            OpenApiParameter("q", str, description="Name, or an 8-digit KvK number."),
            OpenApiParameter("kind", str, enum=EmployerKind.values),
            OpenApiParameter("snaCertified", bool),
            OpenApiParameter("hasProvenViolation", bool),
        ],
    ),
    retrieve=extend_schema(summary="One employer; the ETag header carries its version"),
    create=extend_schema(summary="Register an employer"),
    partial_update=extend_schema(
        summary="Change an employer; send If-Match with the ETag you read",
        parameters=[OpenApiParameter("If-Match", str, OpenApiParameter.HEADER, required=True)],
    ),
)
class EmployerViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, ApiViewSet):
    serializer_class = EmployerSerializer
    default_permission = requires(Capability.VIEW_REGISTERS)
    action_capabilities = dict.fromkeys(["create", "partial_update"], Capability.EDIT_EMPLOYERS)

    def get_queryset(self) -> QuerySet[Employer]:
        params = self.request.query_params
        return selectors.employer_list(
            actor=api_actor(self.request),
            filters=EmployerFilter(
                search=params.get("q", ""),
                kind=params.get("kind", ""),
                sna_certified=query_bool(params, "snaCertified"),
                has_proven_violation=query_bool(params, "hasProvenViolation"),
            ),
        )

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().retrieve(request, *args, **kwargs)
        response["ETag"] = f'"{response.data["version"]}"'
        return response

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        employer = services.employer_create(actor=api_actor(self.request), **serializer.validated_data)
        serializer.instance = selectors.employer_list(
            actor=api_actor(self.request), filters=EmployerFilter()
        ).get(pk=employer.pk)

    def partial_update(self, request: Request, pk: str) -> Response:
        actor = api_actor(request)
        employer = selectors.employer_get(actor=actor, employer_id=int(pk))
        version = expected_version(request)
        serializer = self.get_serializer(employer, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.employer_update(
            actor=actor, employer=employer, expected_version=version, **serializer.validated_data
        )
        fresh = self.get_queryset().get(pk=employer.pk)
        return versioned_response(self.get_serializer(fresh).data, fresh.version)
