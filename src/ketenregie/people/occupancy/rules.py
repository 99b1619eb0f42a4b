"""Who lived at an addressable object on a day (BewoningMetPeildatum) and which compositions of
residents it had in a period (BewoningMetPeriode), from the stored bounds of each stay.

Pure functions over plain values, so the scenarios of the specification can be checked without a
database; ``ketenregie.people.occupancy.queries`` feeds them from the register.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

from ketenregie.people.occupancy.bounds import NEVER, VOID_REASONS

# More than this many residents and possible residents together: the API names none of them.
MANY_RESIDENTS = 100
# Investigation codes (category 08 or 58) that put the residence data itself in doubt: the whole
# category, the group address holding, the address function, the start date, the group address and
# the addressable object id. Other codes, and 9999 (established not living there), give no marker.
INVESTIGATION_MARKED = frozenset({"0000", "1000", "1010", "1030", "1100", "1180"})


class State(IntEnum):
    NONE = 0
    POSSIBLE = 1
    CERTAIN = 2


@dataclass(frozen=True)
class Stay:
    """One living-address holding of a person at the queried object, with its stored bounds."""

    person_key: Hashable
    starts_on: dt.date | None
    ends_on: dt.date | None
    certain_from: dt.date | None = None
    possible_until: dt.date | None = None
    in_investigation: bool = False
    suspension_reason: str = ""
    suspended_on: dt.date | None = None
    residence: Any = None

    @property
    def certain_window(self) -> tuple[dt.date, dt.date]:
        start = self.certain_from if self.certain_from is not None else (self.starts_on or dt.date.min)
        end = self.ends_on or dt.date.max
        return self._capped(start, end)

    @property
    def possible_window(self) -> tuple[dt.date, dt.date]:
        start = self.starts_on or dt.date.min
        if self.possible_until is not None:
            end = dt.date.max if self.possible_until == NEVER else self.possible_until
        else:
            end = self.ends_on or dt.date.max
        return self._capped(start, end)

    def _capped(self, start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
        """The person-level suspension applies whatever the stored bounds say (see bounds.py)."""
        if start == NEVER:
            return start, start
        if self.suspension_reason in VOID_REASONS:
            return start, start
        if self.suspension_reason and self.suspended_on is not None:
            end = min(end, self.suspended_on)
        return start, max(start, end)

    def state_on(self, day: dt.date) -> State:
        start, end = self.certain_window
        if start <= day < end:
            return State.CERTAIN
        start, end = self.possible_window
        if start <= day < end:
            return State.POSSIBLE
        return State.NONE

    def boundaries(self) -> set[dt.date]:
        return {*self.certain_window, *self.possible_window}


def investigation_marks(code: str, ended: bool) -> bool:
    """Whether a residence's investigation code gives the bewoner its ``inOnderzoek`` marker."""
    return bool(code) and not ended and code[:2] in {"08", "58"} and code[2:] in INVESTIGATION_MARKED


@dataclass
class Occupant:
    person_key: Hashable
    state: State
    in_investigation: bool
    stays: list[Stay] = field(default_factory=list)


@dataclass
class Composition:
    """The residents of one stretch of days [van, tot) in which nobody arrives or leaves."""

    van: dt.date
    tot: dt.date
    occupants: list[Occupant]

    @property
    def residents(self) -> list[Occupant]:
        return [o for o in self.occupants if o.state == State.CERTAIN]

    @property
    def possible_residents(self) -> list[Occupant]:
        return [o for o in self.occupants if o.state == State.POSSIBLE]

    @property
    def has_many_residents(self) -> bool:
        return len(self.occupants) > MANY_RESIDENTS

    def key(self) -> tuple[Any, ...]:
        """What the API shows of this stretch: compositions with equal keys merge."""
        if self.has_many_residents:
            return ("many",)
        return tuple(sorted((str(o.person_key), int(o.state), o.in_investigation) for o in self.occupants))


def occupants_on(stays: Iterable[Stay], day: dt.date) -> list[Occupant]:
    """Each person with their best state on ``day`` (a resident beats a possible resident)."""
    best: dict[Hashable, Occupant] = {}
    for stay in stays:
        state = stay.state_on(day)
        if state == State.NONE:
            continue
        current = best.get(stay.person_key)
        if current is None or state > current.state:
            best[stay.person_key] = Occupant(stay.person_key, state, stay.in_investigation, [stay])
        elif state == current.state:
            current.in_investigation = current.in_investigation or stay.in_investigation
            current.stays.append(stay)
    return list(best.values())


def compositions(stays: Sequence[Stay], van: dt.date, tot: dt.date) -> list[Composition]:
    """The compositions of residents in [van, tot): split where anyone arrives or leaves, merged
    where what the API shows stays the same, and without the stretches in which nobody lived there."""
    if tot <= van:
        return []
    cuts = {van, tot}
    for stay in stays:
        cuts.update(day for day in stay.boundaries() if van < day < tot)
    days = sorted(cuts)
    result: list[Composition] = []
    for start, end in itertools.pairwise(days):
        occupants = occupants_on(stays, start)
        if not occupants:
            continue
        composition = Composition(start, end, occupants)
        previous = result[-1] if result else None
        if previous is not None and previous.tot == start and previous.key() == composition.key():
            previous.tot = end
            continue
        result.append(composition)
    return result


def composition_on(stays: Sequence[Stay], day: dt.date) -> Composition | None:
    """The residents on one day (peildatum): the composition of [day, day + 1)."""
    found = compositions(stays, day, day + dt.timedelta(days=1))
    return found[0] if found else None
