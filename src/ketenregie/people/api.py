"""People through the API. Searching by BSN or name is a POST, so personal data stays out of URLs
(as in the Haal Centraal BRP APIs); every person returned is recorded in the audit trail."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from ketenregie.api.base import CountryField, api_actor, query_bool, query_country, requires
from ketenregie.api.pagination import PagePagination
from ketenregie.core.permissions import Capability
from ketenregie.core.validators import validate_bsn
from ketenregie.people import selectors
from ketenregie.people.models import LabourMigrant, Person, RegistrationStatus, Residence
from ketenregie.people.selectors import PersonFilter


class LabourMigrantSerializer(serializers.ModelSerializer):
    countryOfOrigin = serializers.CharField(source="country_of_origin")
    arrivalDate = serializers.DateField(source="arrival_date", allow_null=True)

    class Meta:
        model = LabourMigrant
        fields = ["countryOfOrigin", "arrivalDate", "sector"]


class PersonSerializer(serializers.ModelSerializer):
    givenNames = serializers.CharField(source="given_names")
    surnamePrefix = serializers.CharField(source="surname_prefix")
    birthDate = serializers.DateField(source="birth_date", allow_null=True)
    registrationStatus = serializers.ChoiceField(
        source="registration_status",
        choices=RegistrationStatus.choices,
    )
    isSecret = serializers.BooleanField(source="is_secret")
    labourMigrant = serializers.SerializerMethodField()

    class Meta:
        model = Person
        fields = [
            "id",
            "bsn",
            "givenNames",
            "surnamePrefix",
            "surname",
            "birthDate",
            "nationality",
            "registrationStatus",
            "languages",
            "phone",
            "email",
            "isSecret",
            "labourMigrant",
        ]

    def get_labourMigrant(self, person: Person) -> dict[str, Any] | None:
        migrant = getattr(person, "labour_migrant", None)
        return LabourMigrantSerializer(migrant).data if migrant else None


class ResidenceSerializer(serializers.ModelSerializer):
    addressId = serializers.IntegerField(source="address_id")
    startsOn = serializers.DateField(source="starts_on", allow_null=True)
    endsOn = serializers.DateField(
        source="ends_on",
        allow_null=True,
        help_text="First day no longer living here (exclusive); null while current.",
    )
    addressFunction = serializers.CharField(source="address_function")
    verificationStatus = serializers.CharField(source="verification_status")

    class Meta:
        model = Residence
        fields = ["addressId", "startsOn", "endsOn", "source", "verificationStatus", "addressFunction"]


class PersonDetailSerializer(PersonSerializer):
    residences = serializers.SerializerMethodField()

    class Meta(PersonSerializer.Meta):
        fields = [*PersonSerializer.Meta.fields, "residences"]

    @extend_schema_field(ResidenceSerializer(many=True))
    def get_residences(self, person: Person) -> list[dict[str, Any]]:
        return ResidenceSerializer(self.context["residences"], many=True).data  # type: ignore[return-value]


class PersonSearchSerializer(serializers.Serializer):
    bsn = serializers.CharField(required=False, validators=[validate_bsn])
    surname = serializers.CharField(required=False, max_length=200)
    nationality = CountryField(required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs.get("bsn") and not attrs.get("surname"):
            raise serializers.ValidationError("Geef een bsn of een surname.", code="required")
        return attrs


def _paginated(request: Request, page: Page, data: Any) -> Response:
    def link(number: int | None) -> str | None:
        if number is None:
            return None
        params = request.query_params.copy()
        params["page"] = str(number)
        return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")

    return Response(
        {
            "count": page.paginator.count,
            "next": link(page.next_page_number() if page.has_next() else None),
            "previous": link(page.previous_page_number() if page.has_previous() else None),
            "results": data,
        }
    )


def _page_size(request: Request) -> int:
    try:
        size = int(request.query_params.get("pageSize", PagePagination.page_size))
    except ValueError:
        raise serializers.ValidationError({"pageSize": ["Geef een geheel getal."]}) from None
    if not 1 <= size <= PagePagination.max_page_size:
        raise serializers.ValidationError({"pageSize": [f"Tussen 1 en {PagePagination.max_page_size}."]})
    return size


class PersonViewSet(viewsets.ViewSet):
    lookup_value_converter = "int"
    # The list and the search page by hand (the selector pages and audits), in this class's shape; set
    # here so the schema documents them as pages.
    pagination_class = PagePagination
    permission_classes = [requires(Capability.VIEW_PERSONAL_DATA)]
    serializer_class = PersonSerializer

    @extend_schema(
        summary="People of the caller's municipality (filters without personal data)",
        parameters=[
            OpenApiParameter("nationality", str, description="ISO 3166-1 alpha-2 code."),
            OpenApiParameter("registrationStatus", str, enum=RegistrationStatus.values),
            OpenApiParameter("labourMigrant", bool),
        ],
        responses=PersonSerializer(many=True),
    )
    def list(self, request: Request) -> Response:
        actor = api_actor(request)
        params = request.query_params
        filters = PersonFilter(
            nationality=query_country(params, "nationality"),
            registration_status=params.get("registrationStatus", ""),
            labour_migrant=query_bool(params, "labourMigrant"),
        )
        page = selectors.person_page(
            actor=actor, filters=filters, page_number=params.get("page"), page_size=_page_size(request)
        )
        return _paginated(
            request, page, PersonSerializer([row.person for row in page.object_list], many=True).data
        )

    @extend_schema(summary="One person with their residence history", responses=PersonDetailSerializer)
    def retrieve(self, request: Request, pk: str) -> Response:
        actor = api_actor(request)
        person = selectors.person_get(actor=actor, person_id=int(pk), context="api")
        residences = selectors.person_residences(actor=actor, person=person)
        return Response(PersonDetailSerializer(person, context={"residences": residences}).data)

    @extend_schema(
        summary="Find people by BSN or surname (POST keeps them out of URLs and logs)",
        request=PersonSearchSerializer,
        responses=PersonSerializer(many=True),
    )
    @action(detail=False, methods=["post"], url_path="search")
    def search(self, request: Request) -> Response:
        actor = api_actor(request)
        body = PersonSearchSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        filters = PersonFilter(
            search=data.get("bsn") or data.get("surname", ""), nationality=data.get("nationality", "")
        )
        page = selectors.person_page(
            actor=actor,
            filters=filters,
            page_number=request.query_params.get("page"),
            page_size=_page_size(request),
        )
        return _paginated(
            request, page, PersonSerializer([row.person for row in page.object_list], many=True).data
        )
