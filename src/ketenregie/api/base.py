"""Shared pieces of the API: who is calling, and what their roles allow."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, permissions, serializers
from rest_framework.request import Request

from ketenregie.core.actor import Actor, actor_for_user
from ketenregie.core.countries import country_code
from ketenregie.core.permissions import Capability
from ketenregie.core.validators import MAX_ID


def api_actor(request: Request) -> Actor:
    """The actor for a token- or session-authenticated API request."""
    cached = getattr(request, "_ketenregie_actor", None)
    if cached is not None:
        return cached
    user = request.user
    if user is None or not user.is_authenticated:
        raise exceptions.NotAuthenticated()
    actor = actor_for_user(user)
    if actor is None:
        raise exceptions.PermissionDenied("Dit account heeft geen actieve rol in een organisatie.")
    request._ketenregie_actor = actor  # type: ignore[attr-defined]
    return actor


def requires(*capabilities: Capability) -> type[permissions.BasePermission]:
    class HasCapabilities(permissions.BasePermission):
        message = "Uw rol geeft geen toegang tot deze gegevens."

        def has_permission(self, request: Request, view: Any) -> bool:
            if request.user is None or not request.user.is_authenticated:
                return False
            actor = api_actor(request)
            return all(actor.can(capability) for capability in capabilities)

    HasCapabilities.__name__ = "Requires" + "".join(c.value.title().replace("_", "") for c in capabilities)
    return HasCapabilities


def query_bool(params: Any, name: str) -> bool | None:
    """A boolean query parameter; anything but true/false/1/0 is a 400 naming the parameter."""
    value = params.get(name)
    if value is None or value == "":
        return None
    if value.lower() in {"true", "1"}:
        return True
    if value.lower() in {"false", "0"}:
        return False
    raise exceptions.ValidationError({name: [f"'{value}' is geen boolean; gebruik true of false."]})


# The database's ids are bigints; a larger number can name nothing, and must not reach a query.


class IdField(serializers.IntegerField):
    """An id in a request body: a positive whole number within the database's bigint range."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)
        self.error_messages = {
            **self.error_messages,
            "invalid": "Geef een id: een positief geheel getal.",
            "min_value": "Een id is een positief geheel getal.",
            "max_value": "Geen bestaand id: het getal is te groot.",
            "max_string_length": "Geen bestaand id: het getal is te groot.",
        }


class CountryField(serializers.CharField):
    """An ISO 3166-1 alpha-2 code in a request, read by ``core.countries.country_code``: "pl" is PL,
    a name such as "Polen" is refused with the code it probably means."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 60)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> str:
        text: str = super().to_internal_value(data)
        if not text:
            return ""
        try:
            return country_code(text)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages, code="invalid") from error


def query_country(params: Any, name: str) -> str:
    """A country code in a query string; a bad one is a 400 naming the parameter, not an empty list."""
    value = str(params.get(name, "") or "")
    if not value:
        return ""
    try:
        return country_code(value)
    except DjangoValidationError as error:
        raise serializers.ValidationError({name: error.messages}) from error
