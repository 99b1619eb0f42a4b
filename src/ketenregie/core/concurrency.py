"""Optimistic locking for edits: the second of two concurrent writers gets a conflict, not a silent win."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ketenregie.core.workflow import WorkflowModel


class ConcurrentEditError(Exception):
    message = _(
        "Someone else changed this record after you opened it. Nothing was saved; reload the page to see "
        "their change and make yours again."
    )

    def __init__(self, instance: models.Model) -> None:
        super().__init__(str(self.message))
        self.instance = instance


def save_versioned(instance: models.Model, *, expected_version: int, fields: list[str]) -> None:
    """Write ``fields`` of ``instance`` only if the stored version is still ``expected_version``.

    A status change of a ``WorkflowModel`` is checked against its workflow first, from the status the
    instance was read with; the write then also requires that status to be still stored, so the check
    cannot be outrun by a concurrent writer.
    """
    model = type(instance)
    values: dict[str, Any] = {name: getattr(instance, name) for name in fields}
    if any(f.name == "updated_at" for f in model._meta.get_fields()):
        values["updated_at"] = timezone.now()
    still: dict[str, Any] = {}
    workflow = instance if isinstance(instance, WorkflowModel) and instance.workflow.field in fields else None
    if workflow is not None:
        if workflow.version != expected_version:  # type: ignore[attr-defined]
            # The instance was read at another version: its stored status is not the one to check from.
            raise ConcurrentEditError(instance)
        workflow.check_status_change()
        still[workflow.workflow.field] = workflow.stored_status
    updated = model._default_manager.filter(pk=instance.pk, version=expected_version, **still).update(
        version=F("version") + 1, **values
    )
    if updated == 0:
        raise ConcurrentEditError(instance)
    instance.version = expected_version + 1  # type: ignore[attr-defined]
    if workflow is not None:
        workflow.status_written()
