"""Optimistic locking for edits: the second of two concurrent writers gets a conflict, not a silent win."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ConcurrentEditError(Exception):
    message = _(
        "Someone else changed this record after you opened it. Nothing was saved; reload the page to see "
        "their change and make yours again."
    )

    def __init__(self, instance: models.Model) -> None:
        super().__init__(str(self.message))
        self.instance = instance


def save_versioned(instance: models.Model, *, expected_version: int, fields: list[str]) -> None:
    """Write ``fields`` of ``instance`` only if the stored version is still ``expected_version``."""
    model = type(instance)
    values: dict[str, Any] = {name: getattr(instance, name) for name in fields}
    if any(f.name == "updated_at" for f in model._meta.get_fields()):
        values["updated_at"] = timezone.now()
    updated = model._default_manager.filter(pk=instance.pk, version=expected_version).update(
        version=F("version") + 1, **values
    )
    if updated == 0:
        raise ConcurrentEditError(instance)
    instance.version = expected_version + 1  # type: ignore[attr-defined]
