"""The kinds of task there are: each app declares its own in its ``tasks`` module with ``task_kind``.

A kind names the capability needed to start it (and to see its runs), checks its parameters before
anything is queued, and does the work with the starter's actor and a progress callback. What it returns
is stored as the run's result (ids and links, never personal data).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _

from ketenregie.core.actor import Actor
from ketenregie.core.permissions import Capability


class Progress(Protocol):
    def __call__(self, done: int, total: int, message: str = "") -> None: ...


Work = Callable[..., dict[str, Any]]


def no_params(params: Mapping[str, Any]) -> dict[str, Any]:
    if params:
        raise ValidationError(
            _("This task takes no parameters, not %(names)s.") % {"names": ", ".join(sorted(params))}
        )
    return {}


@dataclass(frozen=True)
class TaskKind:
    name: str
    label: str | Promise
    capability: Capability
    work: Work
    # Turns what the caller gave into JSON-safe parameters, or refuses with a ValidationError.
    clean_params: Callable[[Mapping[str, Any]], dict[str, Any]] = no_params
    # Where the staff application and the API show what a finished run produced.
    page_url: Callable[[Mapping[str, Any]], str | None] | None = None
    api_url: Callable[[Mapping[str, Any]], str | None] | None = None


_KINDS: dict[str, TaskKind] = {}
_discovered: list[bool] = []


def _discover() -> None:
    """Import every app's ``tasks`` module once, when a kind is first asked for: at start-up it would
    load every app's services (and their libraries) into each command, however small."""
    if not _discovered:
        autodiscover_modules("tasks")
        _discovered.append(True)


def task_kind(
    name: str,
    *,
    label: str | Promise,
    capability: Capability,
    clean_params: Callable[[Mapping[str, Any]], dict[str, Any]] = no_params,
    page_url: Callable[[Mapping[str, Any]], str | None] | None = None,
    api_url: Callable[[Mapping[str, Any]], str | None] | None = None,
) -> Callable[[Work], Work]:
    """Declare ``work(actor, progress, **params) -> result`` as the task kind ``name``."""

    def register(work: Work) -> Work:
        existing = _KINDS.get(name)
        if existing is not None and existing.work.__qualname__ != work.__qualname__:
            raise ValueError(f"task kind {name!r} is declared twice")
        _KINDS[name] = TaskKind(
            name=name,
            label=label,
            capability=capability,
            work=work,
            clean_params=clean_params,
            page_url=page_url,
            api_url=api_url,
        )
        return work

    return register


def kind_get(name: str) -> TaskKind:
    _discover()
    try:
        return _KINDS[name]
    except KeyError:
        raise ValidationError(
            {"kind": _("There is no task of the kind %(kind)s.") % {"kind": name}}
        ) from None


def kinds() -> list[TaskKind]:
    _discover()
    return sorted(_KINDS.values(), key=lambda kind: kind.name)


def kinds_for(actor: Actor) -> list[str]:
    """The kinds the actor may start, and so whose runs they see."""
    return [kind.name for kind in kinds() if actor.can(kind.capability)]
