from __future__ import annotations

from django.contrib.auth import authenticate
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ketenregie.api.problems import problem_response
from ketenregie.api.throttling import ScopedRateThrottle


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=256, style={"input_type": "password"})


class ObtainTokenView(APIView):
    """Exchange a username and password for a token bound to that user (lockout applies here too)."""

    authentication_classes: list[type] = []
    permission_classes: list[type] = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token"

    @extend_schema(
        summary="Exchange username and password for an API token",
        request=TokenRequestSerializer,
        responses=inline_serializer("TokenResponse", {"token": serializers.CharField()}),
    )
    def post(self, request: Request) -> Response:
        body = TokenRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        user = authenticate(
            request._request,
            username=body.validated_data["username"],
            password=body.validated_data["password"],
        )
        if user is None or not user.is_active:
            return problem_response(
                status_code=401,
                detail="Gebruikersnaam of wachtwoord klopt niet, of het account is tijdelijk geblokkeerd.",
                code="invalidCredentials",
                instance=request.get_full_path(),
            )
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})
