"""Two deliveries at the same moment (issue 12): they are written one after the other, so the second
matches what the first wrote. Needs real transactions and PostgreSQL's advisory locks."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from ketenregie.core.actor import Actor
from ketenregie.core.models import Municipality
from ketenregie.people.models import Person
from ketenregie.places.models import Address
from tests.test_deliveries_labour_migrants import deliver, places

__all__ = ["places"]

pytestmark = pytest.mark.django_db(transaction=True)


def deliver_twice_at_once(actor: Actor, row: str) -> list[Any]:
    start = threading.Barrier(2)
    outcomes: list[Any] = []

    def one() -> None:
        try:
            start.wait()
            outcomes.append(deliver(actor, row)[0])
        except Exception as error:
            outcomes.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=one) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite serialises writers itself")
@pytest.mark.parametrize("bsn", ["", "111222333"])
def test_two_concurrent_deliveries_of_the_same_new_worker_make_one_person(
    actor_for: Callable[[str], Actor], municipality: Municipality, places: list[Address], bsn: str
) -> None:
    outcomes = deliver_twice_at_once(
        actor_for("civil_affairs"), f"{bsn};Nowak;Anna;1990-05-17;PL;;3077AW;2;;;\n"
    )
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert sorted(o.created for o in outcomes) == [0, 1]
    assert Person.objects.filter(municipality=municipality).count() == 1
