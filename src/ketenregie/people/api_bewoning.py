"""``POST /api/v1/brp/bewoningen``: the BRP Bewoning API 2.1.0 answered from this register, so tools
written for the national API can ask it the same questions. Only roles that may see personal data
may ask; every person named is recorded in the audit trail."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiResponse, PolymorphicProxySerializer, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ketenregie.api.base import api_actor, requires
from ketenregie.api.problems import PROBLEM_CONTENT_TYPE
from ketenregie.core.permissions import Capability
from ketenregie.people.bewoning_errors import BewoningNegotiation, bewoning_exception_handler
from ketenregie.people.occupancy.queries import bewoningen
from ketenregie.people.occupancy.request import OBJECT_PATTERN, PEILDATUM, PERIODE, parse_request, problem


class BewoningMetPeildatumSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=[PEILDATUM])
    peildatum = serializers.DateField(help_text="De datum waarover de bewoning wordt opgevraagd.")
    adresseerbaarObjectIdentificatie = serializers.RegexField(OBJECT_PATTERN)


class BewoningMetPeriodeSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=[PERIODE])
    datumVan = serializers.DateField(help_text="Begin van de periode (inclusief).")
    datumTot = serializers.DateField(help_text="Einde van de periode (exclusief).")
    adresseerbaarObjectIdentificatie = serializers.RegexField(OBJECT_PATTERN)


class PeriodeSerializer(serializers.Serializer):
    datumVan = serializers.DateField()
    datumTot = serializers.DateField()


class NaamSerializer(serializers.Serializer):
    volledigeNaam = serializers.CharField()


class DatumSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["Datum", "JaarMaandDatum", "JaarDatum", "DatumOnbekend"])
    langFormaat = serializers.CharField()
    datum = serializers.DateField(required=False)
    jaar = serializers.IntegerField(required=False)
    maand = serializers.IntegerField(required=False)
    onbekend = serializers.BooleanField(required=False)


class GeboorteSerializer(serializers.Serializer):
    datum = DatumSerializer()


class BewonerSerializer(serializers.Serializer):
    burgerservicenummer = serializers.CharField(required=False)
    geheimhoudingPersoonsgegevens = serializers.BooleanField(required=False)
    inOnderzoek = serializers.BooleanField(required=False)
    naam = NaamSerializer(required=False)
    geboorte = GeboorteSerializer(required=False)


class BewoningSerializer(serializers.Serializer):
    adresseerbaarObjectIdentificatie = serializers.CharField()
    periode = PeriodeSerializer()
    bewoners = BewonerSerializer(many=True)
    mogelijkeBewoners = BewonerSerializer(many=True)
    indicatieVeelBewoners = serializers.BooleanField(required=False)


class BewoningenQueryResponseSerializer(serializers.Serializer):
    bewoningen = BewoningSerializer(many=True)


class BewoningProblemsMixin:
    """Errors in the BRP Bewoning API's own shape and codes (people.bewoning_errors), not the
    general problem+json of the rest of the API."""

    content_negotiation_class: Any = BewoningNegotiation

    def get_exception_handler(self) -> Any:
        return bewoning_exception_handler


class BewoningenView(BewoningProblemsMixin, APIView):
    permission_classes = [requires(Capability.VIEW_PERSONAL_DATA)]

    @extend_schema(
        operation_id="Bewoningen",
        summary="Who lived at an addressable object on a date, or which compositions in a period",
        description=(
            "The BRP Bewoning API 2.1.0 (`POST /bewoningen`) answered from this register: residents "
            "(bewoners) and possible residents (mogelijkeBewoners) when a start date is partly unknown. "
            "Periods are half-open: datumTot is the first day not included."
        ),
        request=PolymorphicProxySerializer(
            component_name="BewoningenQuery",
            # Keyed by the value of `type`, so the discriminator maps each value to its body.
            serializers={PEILDATUM: BewoningMetPeildatumSerializer, PERIODE: BewoningMetPeriodeSerializer},
            resource_type_field_name="type",
        ),
        responses={
            200: BewoningenQueryResponseSerializer,
            400: OpenApiResponse(description="Invalid parameters, as application/problem+json."),
        },
        tags=["brp"],
    )
    def post(self, request: Request) -> Response:
        actor = api_actor(request)
        parsed, problems = parse_request(request.data)
        if parsed is None:
            return Response(
                problem(problems, instance=request.path), status=400, content_type=PROBLEM_CONTENT_TYPE
            )
        answer = bewoningen(
            actor=actor, object_id=parsed.object_id, van=parsed.van, tot=parsed.tot, context="bewoning_api"
        )
        body: dict[str, Any] = answer.to_api()
        return Response(body)


class BewoningenNotFoundView(BewoningProblemsMixin, APIView):
    """Any other path under /api/v1/brp/: a 404 in the BRP shape, whoever asks and however."""

    authentication_classes: list[Any] = []
    permission_classes: list[Any] = []
    schema = None

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        raise NotFound()
