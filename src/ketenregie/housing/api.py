from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from ketenregie.api.base import api_actor, query_bool, requires
from ketenregie.core.permissions import Capability
from ketenregie.housing import selectors
from ketenregie.housing.models import HousingLocation, HousingPermit, LocationKind, QualityMark
from ketenregie.housing.selectors import LocationFilter, QualityMarkState


class QualityMarkSerializer(serializers.ModelSerializer):
    certificateNumber = serializers.CharField(source="certificate_number")
    validFrom = serializers.DateField(source="valid_from")
    validUntil = serializers.DateField(source="valid_until")

    class Meta:
        model = QualityMark
        fields = ["scheme", "certificateNumber", "validFrom", "validUntil"]


class PermitSerializer(serializers.ModelSerializer):
    validFrom = serializers.DateField(source="valid_from", allow_null=True)
    validUntil = serializers.DateField(source="valid_until", allow_null=True)
    maxPersons = serializers.IntegerField(source="max_persons", allow_null=True)

    class Meta:
        model = HousingPermit
        fields = ["number", "status", "validFrom", "validUntil", "maxPersons"]


class HousingLocationSerializer(serializers.ModelSerializer):
    capacityPersons = serializers.IntegerField(source="capacity_persons")
    providerId = serializers.IntegerField(source="provider_id", allow_null=True)
    providerName = serializers.SerializerMethodField()
    addressIds = serializers.SerializerMethodField()
    hasValidQualityMark = serializers.BooleanField(source="has_valid_mark", read_only=True)
    hasValidPermit = serializers.BooleanField(source="has_valid_permit", read_only=True)
    qualityMarks = QualityMarkSerializer(source="quality_marks", many=True, read_only=True)
    permits = PermitSerializer(many=True, read_only=True)

    class Meta:
        model = HousingLocation
        fields = [
            "id",
            "name",
            "kind",
            "providerId",
            "providerName",
            "capacityPersons",
            "addressIds",
            "hasValidQualityMark",
            "hasValidPermit",
            "qualityMarks",
            "permits",
        ]

    def get_providerName(self, location: HousingLocation) -> str:
        return location.provider.name if location.provider else location.provider_name

    def get_addressIds(self, location: HousingLocation) -> list[int]:
        return [address.pk for address in location.addresses.all()]


@extend_schema_view(
    list=extend_schema(
        summary="Housing locations of the caller's municipality",
        parameters=[
            OpenApiParameter("q", str),
            OpenApiParameter("kind", str, enum=LocationKind.values),
            OpenApiParameter(
                "qualityMark",
                str,
                enum=[QualityMarkState.VALID, QualityMarkState.EXPIRING, QualityMarkState.NONE],
            ),
            OpenApiParameter("validPermit", bool),
        ],
    ),
    retrieve=extend_schema(summary="One housing location with its quality marks and permits"),
)
class HousingLocationViewSet(viewsets.ReadOnlyModelViewSet):
    lookup_value_converter = "int"
    serializer_class = HousingLocationSerializer
    permission_classes = [requires(Capability.VIEW_REGISTERS)]
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[HousingLocation]:
        params = self.request.query_params
        quality_mark = params.get("qualityMark", "")
        if quality_mark not in {"", QualityMarkState.VALID, QualityMarkState.EXPIRING, QualityMarkState.NONE}:
            raise serializers.ValidationError({"qualityMark": ["Kies valid, expiring of none."]})
        return selectors.location_list(
            actor=api_actor(self.request),
            filters=LocationFilter(
                search=params.get("q", ""),
                kind=params.get("kind", ""),
                quality_mark=quality_mark,
                has_valid_permit=query_bool(params, "validPermit"),
            ),
        ).prefetch_related("quality_marks", "permits", "addresses")
