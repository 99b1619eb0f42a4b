from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from ketenregie.core.middleware import get_actor
from ketenregie.core.permissions import Capability


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The actor and its capabilities, so templates show only the menu items a role can use."""
    actor = get_actor(request)
    if actor is None:
        return {"actor": None, "can": {}}
    return {"actor": actor, "can": {c.value: actor.can(c) for c in Capability}}
