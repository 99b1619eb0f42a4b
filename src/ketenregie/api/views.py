from __future__ import annotations

from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_login_failed
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ketenregie.api.problems import problem_response
from ketenregie.api.throttling import ScopedRateThrottle
from ketenregie.core.actor import actor_for_user, request_user
from ketenregie.core.second_factor import second_factor_check
from ketenregie.core.tokens import token_create, token_revoke, tokens_of


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=256, style={"input_type": "password"})
    name = serializers.CharField(
        max_length=100,
        required=False,
        allow_blank=True,
        default="",
        help_text="A label to recognise the token by later.",
    )
    otpToken = serializers.CharField(
        max_length=12,
        required=False,
        allow_blank=True,
        default="",
        help_text="The code from the authenticator app; required for users who set up two-factor login.",
    )


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Send as `Authorization: Token <token>`; shown only this once.")
    expiresAt = serializers.DateTimeField()


class ApiTokenSerializer(serializers.Serializer):
    """One of the user's own tokens, without its key (which is not stored)."""

    # A plain serializer: the model's translated labels would make the schema depend on the language.
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True, help_text="The label given when the token was made.")
    prefix = serializers.CharField(
        read_only=True, help_text="The first characters of the key, to tell tokens apart."
    )
    createdAt = serializers.DateTimeField(source="created_at", read_only=True)
    expiresAt = serializers.DateTimeField(source="expires_at", read_only=True)
    lastUsedAt = serializers.DateTimeField(source="last_used_at", read_only=True, allow_null=True)


class ObtainTokenView(APIView):
    """Exchange a username and password for a token bound to that user (lockout applies here too)."""

    authentication_classes: list[type] = []
    permission_classes: list[type] = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token"

    @extend_schema(
        summary="Exchange username and password for an API token",
        request=TokenRequestSerializer,
        responses=TokenResponseSerializer,
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
        if not second_factor_check(user, body.validated_data["otpToken"]).passed:
            # A wrong or missing second factor counts towards the lockout, as at the web login.
            user_login_failed.send(
                sender=__name__, credentials={"username": user.get_username()}, request=request._request
            )
            return problem_response(
                status_code=401,
                detail="Dit account logt in met twee stappen: geef in otpToken de code uit de app.",
                code="secondFactorRequired",
                instance=request.get_full_path(),
            )
        token, key = token_create(user=user, name=body.validated_data["name"], actor=actor_for_user(user))
        # 200 as before the tokens expired, so existing clients keep working.
        return Response(TokenResponseSerializer({"token": key, "expiresAt": token.expires_at}).data)


class OwnTokensView(APIView):
    """The tokens of the user who asks, that still work; never their keys."""

    @extend_schema(summary="List your own API tokens", responses=ApiTokenSerializer(many=True))
    def get(self, request: Request) -> Response:
        return Response(ApiTokenSerializer(tokens_of(request_user(request)), many=True).data)


class OwnTokenView(APIView):
    @extend_schema(
        summary="Revoke one of your own API tokens",
        responses={204: OpenApiResponse(description="Revoked.")},
    )
    def delete(self, request: Request, token_id: int) -> Response:
        user = request_user(request)
        token_revoke(user=user, token_id=token_id, actor=actor_for_user(user))
        return Response(status=status.HTTP_204_NO_CONTENT)
