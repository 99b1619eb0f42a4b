"""Key figures of the information points, for monitoring: the selectors' counts over a period."""

from __future__ import annotations

from ketenregie.core.actor import Actor
from ketenregie.core.kpi import KpiResult, Period
from ketenregie.infopoint import selectors


def unique_visitors(*, actor: Actor, period: Period) -> KpiResult:
    return KpiResult.of(selectors.unique_visitors(actor=actor, start=period.start, end=period.last_day))


def digid_helped(*, actor: Actor, period: Period) -> KpiResult:
    return KpiResult.of(selectors.digid_helped(actor=actor, start=period.start, end=period.last_day))


def information_meetings(*, actor: Actor, period: Period) -> KpiResult:
    return KpiResult.of(selectors.meetings_held(actor=actor, start=period.start, end=period.last_day))


def group_registration_moments(*, actor: Actor, period: Period) -> KpiResult:
    return KpiResult.of(
        selectors.group_registration_moments(actor=actor, start=period.start, end=period.last_day)
    )


def course_participants_formal(*, actor: Actor, period: Period) -> KpiResult:
    return KpiResult.of(
        selectors.course_participants(actor=actor, start=period.start, end=period.last_day).formal
    )


def course_participants_non_formal(*, actor: Actor, period: Period) -> KpiResult:
    participants = selectors.course_participants(actor=actor, start=period.start, end=period.last_day)
    return KpiResult.of(participants.non_formal)


def key_figures(*, actor: Actor, period: Period) -> KpiResult:
    return KpiResult.of(selectors.key_figures_active(actor=actor, start=period.start, end=period.last_day))
