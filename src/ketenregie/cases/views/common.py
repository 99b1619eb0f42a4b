from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _

from ketenregie.cases.access import require_case_access
from ketenregie.core.middleware import get_actor
from ketenregie.core.permissions import Capability


def case_view(
    *capabilities: Capability,
) -> Callable[[Callable[..., HttpResponseBase]], Callable[..., HttpResponseBase]]:
    """Like ``staff_view``: logged in, an active membership, access to casework (all cases or shared
    ones), and every capability given."""

    def decorator(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            actor = get_actor(request)
            if actor is None:
                raise PermissionDenied(_("Your account has no active role in any organisation."))
            require_case_access(actor)
            for capability in capabilities:
                actor.require(capability)
            return view(request, actor, *args, **kwargs)

        return wrapped

    return decorator


def is_htmx(request: HttpRequest) -> bool:
    return bool(request.headers.get("HX-Request"))
