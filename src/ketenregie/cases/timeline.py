"""Writing the case timeline: every service that changes a case adds a line here, next to the audit event."""

from __future__ import annotations

from collections.abc import Sequence

from ketenregie.cases.models import Case, CaseEvent
from ketenregie.core.actor import Actor


def record(
    actor: Actor,
    case: Case,
    *,
    kind: str,
    summary: str,
    data_category: str = "",
    fields: Sequence[str] = (),
) -> CaseEvent:
    """Append a line; ``data_category`` says which agreement category a reader needs to see it."""
    return CaseEvent.objects.create(
        municipality=case.municipality,
        case=case,
        kind=kind,
        summary=summary[:300],
        data_category=data_category,
        username=actor.username,
        organisation_name=actor.organisation.name if actor.organisation else "",
        fields=sorted(fields),
    )
