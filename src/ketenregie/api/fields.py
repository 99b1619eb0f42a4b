"""Ids in request bodies, resolved to records by the app that owns them.

A viewset never looks a record up itself: a body field names the owning app's selector, which checks
tenant and capability, and the viewset receives the record. An id that names nothing the caller may use
is refused with the same message whether or not it exists elsewhere, so the answer never tells.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from rest_framework import serializers
from rest_framework.fields import empty

from ketenregie.api.base import IdField

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

    StrOrPromise = str | _StrPromise

MAX_IDS = 500

# A resolver gets the serializer's context (the actor, and for nested records what they belong to)
# and the id; it answers the record or None.
Resolver = Callable[[Mapping[str, Any], int], Any]
ManyResolver = Callable[[Mapping[str, Any], Sequence[int]], Sequence[Any] | None]


class ResolvedIdField(IdField):
    """An id in a body; the validated value is the record the resolver found (resolved after the id's
    own checks, so the number's validators never see a record)."""

    def __init__(self, *, resolve: Resolver, unknown: StrOrPromise, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.resolve = resolve
        self.error_messages["unknown"] = unknown

    def run_validation(self, data: Any = empty) -> Any:
        pk = super().run_validation(data)
        if pk is None:
            return None
        record = self.resolve(self.context, pk)
        if record is None:
            self.fail("unknown")
        return record


class ResolvedCodeField(serializers.CharField):
    """A code in a body (a category, a kind of record); the validated value is the record it names.
    ``unknown`` may name the code as ``{code}``."""

    def __init__(
        self, *, resolve: Callable[[Mapping[str, Any], str], Any], unknown: StrOrPromise, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.resolve = resolve
        self.error_messages["unknown"] = unknown

    def run_validation(self, data: Any = empty) -> Any:
        code = super().run_validation(data)
        if code is None:
            return None
        record = self.resolve(self.context, code)
        if record is None:
            self.fail("unknown", code=code)
        return record


class ResolvedIdListField(serializers.ListField):
    """A list of ids in a body; the validated value is the records, all of them or a 400."""

    def __init__(self, *, resolve: ManyResolver, unknown: StrOrPromise, **kwargs: Any) -> None:
        kwargs.setdefault("child", IdField())
        # One query with the ids in it: a body cannot make it unbounded.
        kwargs.setdefault("max_length", MAX_IDS)
        super().__init__(**kwargs)
        self.resolve = resolve
        self.error_messages["unknown"] = unknown

    def run_validation(self, data: Any = empty) -> Any:
        ids = super().run_validation(data)
        if not ids:
            return []
        records = self.resolve(self.context, ids)
        if records is None:
            self.fail("unknown")
        return list(records)
