"""Locks on things that have no row yet, such as 'the person with this name and date of birth'."""

from __future__ import annotations

import hashlib

from django.db import connection


def advisory_lock(key: str) -> None:
    """Hold a lock on ``key`` until the current transaction ends.

    PostgreSQL: a transaction-level advisory lock. SQLite needs none: its write transactions are
    IMMEDIATE here, so they run one at a time anyway.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("advisory_lock() only works inside transaction.atomic()")
    if connection.vendor != "postgresql":
        return
    number = int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big", signed=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [number])


def deliveries_lock(municipality_id: int) -> None:
    """Deliveries of people of one municipality run one at a time (matching, then writing), and a
    review decision waits for a running delivery: two deliveries of the same new worker make one
    person, and neither writes what it read before the other wrote."""
    advisory_lock(f"deliveries:{municipality_id}")


def retention_lock(municipality_id: int) -> None:
    """Held by a municipality's retention purge from its plan to its removal, and by what may save a
    case from it (a legal hold, reopening): one of them waits for the other."""
    advisory_lock(f"retention:{municipality_id}")
