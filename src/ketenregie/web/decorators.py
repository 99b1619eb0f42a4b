"""Access control for staff views: login, an active membership, and a capability."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _

from ketenregie.core.actor import Actor
from ketenregie.core.middleware import get_actor
from ketenregie.core.permissions import Capability

View = TypeVar("View", bound=Callable[..., HttpResponseBase])


def staff_view(
    *capabilities: Capability,
) -> Callable[[Callable[..., HttpResponseBase]], Callable[..., HttpResponseBase]]:
    """Wrap a view that takes ``(request, actor, ...)``; refuse anyone who lacks a capability."""

    def decorator(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            actor = get_actor(request)
            if actor is None:
                raise PermissionDenied(_("Your account has no active role in any organisation."))
            for capability in capabilities:
                actor.require(capability)
            return view(request, actor, *args, **kwargs)

        return wrapped

    return decorator


def actor_of(request: HttpRequest) -> Actor:
    actor = get_actor(request)
    if actor is None:
        raise PermissionDenied(_("Your account has no active role in any organisation."))
    return actor
