"""Status workflows: one table per kind of record says which status may follow which.

A ``Workflow`` holds the table (status → the statuses allowed next) and the statuses a new record may
start in. ``WorkflowModel`` applies it to a model's ``status``: the status as loaded is remembered, and
every write that changes it (``save()``, ``full_clean()``, ``core.concurrency.save_versioned``) is
checked against the table, so no service, form or API can move a record along a step the table does not
have. A write that leaves the status as it was is not checked.

Bulk writes (``QuerySet.update``, ``bulk_create``, ``bulk_update``) bypass the model; only data
generators use them for statuses, and they write statuses the table can reach.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, ClassVar, Self

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.functional import Promise


@dataclass(frozen=True)
class Workflow:
    """The allowed status steps of one kind of record.

    Messages are lazy translatable strings: ``refused`` gets ``current``, ``status`` (the one asked
    for) and ``allowed`` (the statuses it may go to instead); ``refused_from`` overrides it for a
    status (a terminal one needs it: there is nothing allowed to name); ``start_refused`` (needed when
    not every status is a start) gets ``status`` and ``allowed`` (the start statuses).
    """

    name: str
    choices: type[models.TextChoices]
    table: Mapping[str, frozenset[str]]
    start: frozenset[str]
    refused: Promise
    start_refused: Promise | None = None
    refused_from: Mapping[str, Promise] = field(default_factory=dict)
    field: str = "status"

    def __post_init__(self) -> None:
        # A status missing from the table would silently become a dead end: name every one.
        values = set(self.choices.values)
        if set(self.table) != values:
            raise ValueError(f"workflow {self.name}: the table must list exactly {sorted(values)}")
        for current, targets in self.table.items():
            if not targets <= values or current in targets:
                raise ValueError(f"workflow {self.name}: bad steps from {current!r}")
            if not targets and current not in self.refused_from:
                raise ValueError(f"workflow {self.name}: {current!r} is terminal and needs a refused_from")
        if not self.start or not self.start <= values:
            raise ValueError(f"workflow {self.name}: bad start statuses")
        if self.start != values and self.start_refused is None:
            raise ValueError(
                f"workflow {self.name}: a workflow with fixed start statuses needs start_refused"
            )

    def allows(self, current: str, status: str) -> bool:
        return status in self.table.get(current, frozenset())

    def next(self, current: str) -> list[str]:
        """The statuses ``current`` may go to, in the order of the choices."""
        allowed = self.table.get(current, frozenset())
        return [value for value in self.choices.values if value in allowed]

    def label(self, status: str) -> str:
        return str(self.choices(status).label) if status in self.choices.values else str(status)

    def _listed(self, statuses: list[str]) -> str:
        return ", ".join(self.label(status) for status in statuses)

    def check(self, current: str, status: str) -> None:
        """Refuse ``current → status`` when the table does not have that step (staying is no step)."""
        if status == current or self.allows(current, status):
            return
        params = {
            "current": self.label(current),
            "status": self.label(status),
            "allowed": self._listed(self.next(current)),
        }
        template = self.refused_from.get(current, self.refused)
        raise ValidationError({self.field: str(template) % params}, code="transition")

    def check_start(self, status: str) -> None:
        if status not in self.start:
            assert self.start_refused is not None  # __post_init__
            start = [value for value in self.choices.values if value in self.start]
            params = {"status": self.label(status), "allowed": self._listed(start)}
            raise ValidationError({self.field: str(self.start_refused) % params}, code="transition")

    def path(self, status: str) -> list[str]:
        """The shortest way from a start status to ``status``, both included (for data generators)."""
        queue = deque([[start] for start in self.choices.values if start in self.start])
        seen = set(self.start)
        while queue:
            steps = queue.popleft()
            if steps[-1] == status:
                return steps
            for following in self.next(steps[-1]):
                if following not in seen:
                    seen.add(following)
                    queue.append([*steps, following])
        raise ValueError(f"workflow {self.name}: {status!r} cannot be reached")


class _Unknown(Enum):
    """Not known (deferred, or written by a bulk path); an enum member, so it survives pickling."""

    TOKEN = 0


_UNKNOWN = _Unknown.TOKEN


class WorkflowModel(models.Model):
    """A model whose status moves only along its ``workflow``'s table.

    ``_stored_status`` is the status as it was read from (or last written to) the database; it is the
    ``current`` of every check. Unknown when the field was deferred or the row written by a bulk path:
    then it is read from the database when needed.
    """

    workflow: ClassVar[Workflow]

    class Meta:
        abstract = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._stored_status: str | _Unknown = _UNKNOWN

    def save(self, *args: Any, **kwargs: Any) -> None:
        update_fields = kwargs.get("update_fields")
        writes_status = update_fields is None or self.workflow.field in update_fields
        if writes_status:
            self.check_status_change()
        super().save(*args, **kwargs)
        if writes_status:
            self.status_written()

    @classmethod
    def from_db(
        cls, db: str | None, field_names: Collection[str], values: Collection[Any], **kwargs: Any
    ) -> Self:
        instance = super().from_db(db, field_names, values, **kwargs)
        instance._remember_status()
        return instance

    def refresh_from_db(
        self, using: str | None = None, fields: Any = None, from_queryset: Any = None
    ) -> None:
        super().refresh_from_db(using=using, fields=fields, from_queryset=from_queryset)
        if fields is None or self.workflow.field in fields:
            self._remember_status()

    def _remember_status(self) -> None:
        self._stored_status = self.__dict__.get(self.workflow.field, _UNKNOWN)

    @property
    def stored_status(self) -> str | None:
        """The status in the database as this object knows it; ``None`` for a record not yet saved."""
        if self._stored_status is not _UNKNOWN:
            return self._stored_status
        if self._state.adding:
            return None
        stored: str | None = (
            type(self)
            ._base_manager.using(self._state.db)
            .filter(pk=self.pk)
            .values_list(self.workflow.field, flat=True)
            .first()
        )
        if stored is not None:
            self._stored_status = stored
        return stored

    def check_status_change(self) -> None:
        """Raise ValidationError({field: …}) when the status set on this object is not a step the
        workflow allows from the stored one (or, for a new record, not a start status)."""
        name = self.workflow.field
        if name not in self.__dict__:
            return  # deferred and never set: not changed
        status = self.__dict__[name]
        current = self.stored_status
        if current is None:
            self.workflow.check_start(status)
        else:
            self.workflow.check(current, status)

    def status_written(self) -> None:
        """The status on this object is now the stored one (called after a write that included it)."""
        self._remember_status()

    def clean(self) -> None:
        super().clean()
        self.check_status_change()
