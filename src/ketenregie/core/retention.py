"""Small tools the owning apps share when they remove records whose retention period has passed.

The retention app decides what is due and when; each app finds and removes its own records with these,
so the rules of what belongs together stay with the app that owns the models.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.files.storage import default_storage
from django.db import models, transaction
from django.utils import timezone

log = logging.getLogger(__name__)

BATCH = 1000


def day_after(cutoff: dt.date) -> dt.datetime:
    """The first moment after the cutoff day, local time: a timestamp is 'on or before the cutoff' when it
    is earlier than this."""
    return timezone.make_aware(dt.datetime.combine(cutoff + dt.timedelta(days=1), dt.time.min))


def batches(ids: Sequence[int], size: int = BATCH) -> Iterable[Sequence[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def delete_queryset(records: models.QuerySet[Any]) -> int:
    """Delete with Django's cascade; the number of the queryset's own records removed."""
    _count, per_model = records.delete()
    return per_model.get(records.model._meta.label, 0)


def delete_files_on_commit(names: Iterable[str]) -> None:
    """Remove stored files once the deletion of their records is committed: a rolled-back purge keeps
    both the records and their files."""
    paths = [name for name in names if name]
    if not paths:
        return

    def remove() -> None:
        for name in paths:
            try:
                default_storage.delete(name)
            except OSError:
                # The record is gone; a file that cannot be removed is logged for the administrator.
                log.warning("retention: could not remove stored file %s", name)

    transaction.on_commit(remove)
