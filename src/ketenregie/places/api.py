from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from ketenregie.api.base import api_actor, query_bool, requires
from ketenregie.core.permissions import Capability
from ketenregie.places import selectors
from ketenregie.places.models import Address, Neighbourhood
from ketenregie.places.selectors import AddressFilter


class NeighbourhoodSerializer(serializers.ModelSerializer):
    class Meta:
        model = Neighbourhood
        fields = ["code", "name"]


class AddressSerializer(serializers.ModelSerializer):
    bagObjectId = serializers.CharField(source="bag_object_id")
    bagAddressId = serializers.CharField(source="bag_address_id")
    houseNumber = serializers.IntegerField(source="house_number")
    houseLetter = serializers.CharField(source="house_letter")
    houseNumberAddition = serializers.CharField(source="house_number_addition")
    floorArea = serializers.IntegerField(
        source="floor_area_m2",
        allow_null=True,
        help_text="Gebruiksoppervlakte in m²; null when unknown.",
    )
    usePurposes = serializers.ListField(source="use_purposes", child=serializers.CharField())
    bagStatus = serializers.CharField(source="bag_status")
    isComplete = serializers.BooleanField(source="is_complete")
    registeredPersons = serializers.IntegerField(
        source="registered_persons",
        read_only=True,
        help_text=(
            "People living here today: the BRP address or a reported stay address (which takes "
            "precedence), each person counted at one address."
        ),
    )
    neighbourhood = NeighbourhoodSerializer(allow_null=True)

    class Meta:
        model = Address
        fields = [
            "id",
            "bagObjectId",
            "bagAddressId",
            "street",
            "houseNumber",
            "houseLetter",
            "houseNumberAddition",
            "postcode",
            "town",
            "neighbourhood",
            "floorArea",
            "usePurposes",
            "bagStatus",
            "latitude",
            "longitude",
            "isComplete",
            "registeredPersons",
        ]


@extend_schema_view(
    list=extend_schema(
        summary="Addresses of the caller's municipality",
        parameters=[
            OpenApiParameter("q", str, description="Street and number, postcode (and number) or a BAG id."),
            OpenApiParameter("neighbourhood", str, description="CBS neighbourhood code, e.g. BU05990101."),
            OpenApiParameter(
                "habitable", bool, description="Only addresses with a residential or lodging use."
            ),
            OpenApiParameter(
                "overNorm", bool, description="More registered people than the floor-area norm allows."
            ),
        ],
    ),
    retrieve=extend_schema(summary="One address"),
)
class AddressViewSet(viewsets.ReadOnlyModelViewSet):
    lookup_value_converter = "int"
    load_page_rows = staticmethod(selectors.load_address_rows)
    serializer_class = AddressSerializer
    permission_classes = [requires(Capability.VIEW_REGISTERS)]
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Address]:
        params = self.request.query_params
        actor = api_actor(self.request)
        neighbourhood_id = None
        if params.get("neighbourhood"):
            match = selectors.neighbourhoods(actor=actor).filter(code=params["neighbourhood"]).first()
            neighbourhood_id = match.pk if match else -1
        keys_or_rows = selectors.address_keys if self.action == "list" else selectors.address_list
        return keys_or_rows(
            actor=actor,
            filters=AddressFilter(
                search=params.get("q", ""),
                neighbourhood_id=neighbourhood_id,
                habitable=query_bool(params, "habitable"),
                over_norm=query_bool(params, "overNorm"),
            ),
        )
