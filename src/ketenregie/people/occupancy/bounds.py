"""From a person's address holdings (verblijfplaatsen) to the days on which they certainly or
possibly lived at each: the BRP Bewoning rules for partly or wholly unknown start dates, suspended
records and 'vastgesteld verblijft niet op adres', worked out once per person and stored on each
Residence so that SQL can count occupants without repeating the rules.

The rules, as the specification's flowcharts and scenarios define them:

* A start date is an uncertainty period ``[earliest, latest]``: one day when known, a month or a
  year when partly unknown, unbounded when wholly unknown (00000000).
* The holdings of a person follow each other in the order the BRP records them. A known start of
  the previous holding bounds the uncertainty of the next from below (the next started at least a
  day later); a partly unknown previous start bounds it by its own first day. Likewise a known start
  of the next holding bounds this holding's uncertainty from above (at most the day before), and a
  partly unknown next start bounds it by its own last day.
* On a day inside the (bounded) uncertainty of its own start, or inside the uncertainty of the next
  holding's start, a person is a *possible* resident (mogelijke bewoner); between the two a
  resident; before or after neither. On the day a known start falls, the person lives there.
* A record suspended for reason F or W never counts; one suspended for any other reason counts no
  longer from the suspension date. A last holding with investigation code 089999 ('vastgesteld
  verblijft niet op adres') counts no longer from the day the investigation started.

Stored per Residence (all dates, ``None`` meaning unbounded):

* ``starts_on`` – first day the person possibly lives there; ``starts_on_latest`` – last day the stay
  can have started;
* ``ends_on`` – first day the person possibly no longer lives there (the earliest-known end);
* ``certain_from`` – only when it differs from ``starts_on``: first day the person certainly lives
  there (``NEVER`` when never);
* ``possible_until`` – only when it differs from ``ends_on``: first day the person certainly no
  longer lives there (``NEVER`` when open-ended).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from ketenregie.people.brp_dates import UNKNOWN, BrpDate

NEVER = dt.date(9999, 12, 31)
ONE_DAY = dt.timedelta(days=1)
VOID_REASONS = frozenset({"F", "W"})
NOT_LIVING_THERE = "9999"  # the last four digits of 089999 / 589999


# Named tuples, not frozen dataclasses: an import makes millions of these, and a named tuple is
# made without setting each field through object.__setattr__ as a frozen dataclass does.
class Holding(NamedTuple):
    """What the rules need of one address holding, in the person's order."""

    start: BrpDate
    investigation_code: str = ""
    investigation_start: BrpDate | None = None


@dataclass(frozen=True)
class Suspension:
    reason: str
    on: dt.date | None


class Bounds(NamedTuple):
    starts_on: dt.date | None
    starts_on_latest: dt.date | None
    ends_on: dt.date | None
    certain_from: dt.date | None
    possible_until: dt.date | None


def _later(a: dt.date | None, b: dt.date | None) -> dt.date | None:
    if a is None:
        return b
    if b is None:
        return a
    return max(a, b)


def _earlier(a: dt.date | None, b: dt.date | None) -> dt.date | None:
    """The earlier of two ends, where None is 'open' (no end)."""
    if a is None:
        return b
    if b is None:
        return a
    return min(a, b)


def _uncertainty(holdings: Sequence[Holding]) -> list[tuple[dt.date | None, dt.date | None]]:
    """Each start's uncertainty period, narrowed by its neighbours' starts (None: unbounded)."""
    lo = [h.start.earliest for h in holdings]
    hi = [h.start.latest for h in holdings]
    known = [h.start.is_complete for h in holdings]
    for i in range(1, len(holdings)):
        if known[i]:
            continue
        previous = lo[i - 1]
        bound = (previous + ONE_DAY) if known[i - 1] and previous else previous
        lo[i] = _later(lo[i], bound)
    for i in range(len(holdings) - 2, -1, -1):
        if known[i]:
            continue
        following = lo[i + 1] if known[i + 1] else hi[i + 1]
        bound = (following - ONE_DAY) if known[i + 1] and following else following
        current = hi[i]
        if bound is not None and (current is None or bound < current):
            hi[i] = bound
    for i in range(len(holdings)):
        # Contradictory neighbours (dates out of order): keep the period non-empty.
        low, high = lo[i], hi[i]
        if low is not None and high is not None and high < low:
            hi[i] = low
    return list(zip(lo, hi, strict=True))


def derive_bounds(holdings: Sequence[Holding], *, suspension: Suspension | None = None) -> list[Bounds]:
    """The stored bounds of each holding of one person, in the same order."""
    periods = _uncertainty(holdings)
    void = suspension is not None and suspension.reason in VOID_REASONS
    cap = suspension.on if suspension is not None and not void else None
    result: list[Bounds] = []
    for i, holding in enumerate(holdings):
        lo, hi = periods[i]
        known = holding.start.is_complete
        certain_start: dt.date = (lo or dt.date.min) if known else (hi + ONE_DAY if hi is not None else NEVER)
        if i + 1 < len(holdings):
            next_lo, next_hi = periods[i + 1]
            if holdings[i + 1].start.is_complete:
                certain_end, possible_end = next_lo, next_lo
            else:
                # Before the next start's uncertainty the person is still certainly here; during it,
                # possibly; None as a lower bound means the next start could be any day.
                certain_end = next_lo if next_lo is not None else dt.date.min
                possible_end = next_hi + ONE_DAY if next_hi is not None else None
            own_cap = cap
        else:
            certain_end, possible_end = None, None
            own_cap = _earlier(cap, _not_living_there_from(holding))
        if own_cap is not None:
            certain_end = _earlier(certain_end, own_cap)
            possible_end = _earlier(possible_end, own_cap)
        if void:
            certain_end = possible_end = lo if lo is not None else dt.date.min
        result.append(_stored(lo, hi, certain_start, certain_end, possible_end))
    return result


def _not_living_there_from(holding: Holding) -> dt.date | None:
    """089999: the municipality established that the person no longer lives here (ZN)."""
    if holding.investigation_code[2:] == NOT_LIVING_THERE and holding.investigation_start is not None:
        return holding.investigation_start.earliest
    return None


def _stored(
    lo: dt.date | None,
    hi: dt.date | None,
    certain_start: dt.date,
    certain_end: dt.date | None,
    possible_end: dt.date | None,
) -> Bounds:
    ends_on = certain_end
    if ends_on is not None and lo is not None and ends_on < lo:
        ends_on = lo
    if possible_end is not None and lo is not None and possible_end < lo:
        possible_end = lo
    # Stored only where it differs from the end; NEVER stands for 'open', which None cannot say here.
    possible_until = None if possible_end == ends_on else (possible_end or NEVER)
    return Bounds(
        starts_on=lo,
        starts_on_latest=hi,
        ends_on=ends_on,
        certain_from=None if certain_start == lo else certain_start,
        possible_until=possible_until,
    )


def holding_from_raw(
    start_raw: str,
    *,
    starts_on: dt.date | None = None,
    investigation_code: str = "",
    investigation_start_raw: str = "",
) -> Holding:
    """A holding from stored fields: the raw BRP date when there is one, else the known start."""
    if start_raw:
        start = BrpDate(start_raw)
    elif starts_on is not None:
        start = BrpDate.from_date(starts_on)
    else:
        start = BrpDate(UNKNOWN)
    return Holding(
        start=start,
        investigation_code=investigation_code,
        investigation_start=BrpDate(investigation_start_raw) if investigation_start_raw else None,
    )


def apply_bounds(residences: Sequence[Any], *, suspension: Suspension | None = None) -> list[Any]:
    """Set the stored bounds on a person's Residence objects (in their BRP order); returns those
    whose bounds changed. The objects are not saved here."""
    holdings = [
        holding_from_raw(
            r.starts_on_raw,
            starts_on=r.starts_on,
            investigation_code=r.investigation_code,
            investigation_start_raw=r.investigation_start_raw,
        )
        for r in residences
    ]
    changed = []
    for residence, bounds in zip(residences, derive_bounds(holdings, suspension=suspension), strict=True):
        values = {
            "starts_on": bounds.starts_on,
            "starts_on_latest": bounds.starts_on_latest,
            "ends_on": bounds.ends_on,
            "certain_from": bounds.certain_from,
            "possible_until": bounds.possible_until,
        }
        if any(getattr(residence, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(residence, name, value)
            changed.append(residence)
    return changed


BOUND_FIELDS = ("starts_on", "starts_on_latest", "ends_on", "certain_from", "possible_until")
