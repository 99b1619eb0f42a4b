"""The one base of the API's viewsets: who may call which action, and bodies read with the caller.

A viewset says per action which capability it needs, reads its body through ``body`` (so id fields
resolve through the owning apps' selectors with the caller as context, see ``api.fields``), calls a
service and answers. It catches nothing: refusals, validation errors and edit conflicts become
problem+json in ``api.problems``.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rest_framework import permissions, serializers, viewsets

from ketenregie.api.base import api_actor, requires
from ketenregie.core.actor import Actor
from ketenregie.core.permissions import Capability


class ApiViewSet(viewsets.GenericViewSet):
    lookup_value_converter = "int"
    filter_backends: list[Any] = []
    http_method_names = ["get", "post", "patch", "head", "options"]
    # The capability each action needs; an action not named needs ``default_permission``, one in
    # ``public_actions`` nothing (it is throttled instead).
    action_capabilities: ClassVar[dict[str, Capability]] = {}
    default_permission: ClassVar[type[permissions.BasePermission]] = permissions.IsAuthenticated
    public_actions: ClassVar[frozenset[str]] = frozenset()

    def get_permissions(self) -> list[Any]:
        if self.action in self.public_actions:
            return [permissions.AllowAny()]
        capability = self.action_capabilities.get(self.action or "")
        if capability is not None:
            return [requires(capability)()]
        return [self.default_permission()]

    @property
    def actor(self) -> Actor:
        return api_actor(self.request)

    def body(self, serializer_class: type[serializers.Serializer[Any]], **context: Any) -> dict[str, Any]:
        """The request body as ``serializer_class`` validates it; ``context`` reaches its id fields."""
        serializer = serializer_class(
            data=self.request.data, context={"request": self.request, "actor": self.actor, **context}
        )
        serializer.is_valid(raise_exception=True)
        # A service's error on ``address`` is about the body's ``addressId``: the handler names it so.
        names = {field.source: name for name, field in serializer.fields.items() if field.source != name}
        self.request.api_field_names = {  # type: ignore[attr-defined]
            **getattr(self.request, "api_field_names", {}),
            **names,
        }
        return dict(serializer.validated_data)
