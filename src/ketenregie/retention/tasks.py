"""The retention purge as a task (operations.registry), started nightly by the scheduler."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ketenregie.core.actor import Actor
from ketenregie.core.permissions import Capability
from ketenregie.operations.registry import Progress, task_kind
from ketenregie.retention import services


@task_kind(
    "retention_purge",
    label=gettext_lazy("Removing what has passed its retention period"),
    capability=Capability.MANAGE_RETENTION,
)
def retention_purge(actor: Actor, progress: Progress) -> dict[str, Any]:
    progress(0, 2, _("Removing what is due"))
    result = services.retention_purge(actor=actor)
    # Events of no municipality fall under no policy; each night's first run removes those that are
    # due, the other municipalities' runs find none left.
    unassigned = services.purge_unassigned_audit_events()
    progress(2, 2, _("Removed %(count)s records") % {"count": result.total_removed})
    return {
        "purge_run_id": result.run.pk if result.run is not None else None,
        "removed": result.total_removed,
        "unassigned_audit_events_removed": unassigned["removed"],
    }
