"""Writes for monitoring: keeping the catalogue in step with the code, computing values, and what
policy officers enter by hand (figures, commitments)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ketenregie.core import audit
from ketenregie.core.actor import Actor
from ketenregie.core.kpi import Period
from ketenregie.core.models import AuditAction, Municipality, Role
from ketenregie.core.permissions import Capability
from ketenregie.core.services import create_audited, ensure_same_municipality, update_versioned
from ketenregie.monitoring.indicators import MANUAL, computed_for
from ketenregie.monitoring.models import (
    Commitment,
    CommitmentStatus,
    Indicator,
    IndicatorSource,
    IndicatorValue,
    ManualValue,
)

COMMITMENT_FIELDS = (
    "kind",
    "number",
    "title",
    "adopted_on",
    "text",
    "owner",
    "due_on",
    "status",
    "response",
    "settlement_text",
    "settlement_proposed_on",
    "settled_on",
)


def monitoring_actor(municipality: Municipality) -> Actor:
    """Computing key figures reads counts only; it runs as the system, recorded as such."""
    return Actor.system(municipality, name="monitoring", roles=frozenset({Role.POLICY}))


@transaction.atomic
def sync_catalogue(*, municipality: Municipality) -> list[Indicator]:
    """Create or update the catalogue rows for every indicator the code defines.

    Names and definitions follow the code; the municipality's own choices (public, shared, plausible range,
    order) are kept once set.
    """
    indicators = []
    for definition in computed_for().values():
        indicator, created = Indicator.objects.get_or_create(
            municipality=municipality,
            code=definition.code,
            defaults={
                "name": str(definition.name),
                "definition": str(definition.definition),
                "unit": definition.unit,
                "source": IndicatorSource.COMPUTED,
                "selector": definition.selector,
                "direction": definition.direction,
                "order": definition.order,
                "is_public": definition.public,
            },
        )
        if not created:
            Indicator.objects.filter(pk=indicator.pk).update(
                name=str(definition.name),
                definition=str(definition.definition),
                unit=definition.unit,
                source=IndicatorSource.COMPUTED,
                selector=definition.selector,
            )
        indicators.append(indicator)
    for manual in MANUAL.values():
        indicator, created = Indicator.objects.get_or_create(
            municipality=municipality,
            code=manual.code,
            defaults={
                "name": str(manual.name),
                "definition": str(manual.definition),
                "unit": manual.unit,
                "source": IndicatorSource.MANUAL,
                "source_organisation": manual.source_organisation,
                "direction": manual.direction,
                "plausible_min": manual.plausible_min,
                "plausible_max": manual.plausible_max,
                "order": manual.order,
                "is_public": manual.public,
            },
        )
        if not created:
            Indicator.objects.filter(pk=indicator.pk).update(
                name=str(manual.name), definition=str(manual.definition)
            )
        indicators.append(indicator)
    return indicators


def refresh_values(
    *,
    municipality: Municipality,
    years: Iterable[int],
    progress: Callable[[str], None] = lambda message: None,
) -> int:
    """Compute every computed indicator for the years and store the values, with the breakdown per
    neighbourhood for the dashboard's map and the report's priority neighbourhoods.

    A figure of a year that was computed after the year had ended is settled: it is what was reported,
    and it stays. Computing it again later would count without the records the retention purge has
    removed since, and change a figure the council already has."""
    actor = monitoring_actor(municipality)
    definitions = computed_for()
    catalogue = {i.code: i for i in sync_catalogue(municipality=municipality)}
    today = timezone.localdate()
    stored = 0
    for year in years:
        period = Period.year(year)
        if period.start > today:
            continue
        settled = _settled_codes(municipality, period)
        for code, definition in definitions.items():
            if code in settled:
                continue
            result = definition(actor=actor, period=period)
            rows = [
                IndicatorValue(
                    municipality=municipality,
                    indicator=catalogue[code],
                    period_start=period.start,
                    period_end=period.end,
                    value=result.value,
                )
            ]
            rows += [
                IndicatorValue(
                    municipality=municipality,
                    indicator=catalogue[code],
                    period_start=period.start,
                    period_end=period.end,
                    neighbourhood_id=neighbourhood,
                    value=value,
                )
                for neighbourhood, value in result.by_neighbourhood.items()
            ]
            with transaction.atomic():
                IndicatorValue.objects.filter(
                    indicator=catalogue[code], period_start=period.start, period_end=period.end
                ).delete()
                IndicatorValue.objects.bulk_create(rows)
            stored += len(rows)
        progress(f"  {municipality.name} {year}: computed")
    return stored


def _settled_codes(municipality: Municipality, period: Period) -> set[str]:
    ended = timezone.make_aware(dt.datetime.combine(period.end, dt.time.min))
    return set(
        IndicatorValue.objects.filter(
            municipality=municipality,
            period_start=period.start,
            period_end=period.end,
            neighbourhood__isnull=True,
            computed_at__gte=ended,
        ).values_list("indicator__code", flat=True)
    )


def settle_reported_years(*, municipality: Municipality) -> list[int]:
    """Settle every ended year that has stored figures computed while it was still running: compute
    them once more, now the year is complete. The retention purge calls this before it removes
    anything, so a figure already shown is settled from complete records, never from what is left."""
    today = timezone.localdate()
    started = IndicatorValue.objects.filter(
        municipality=municipality, neighbourhood__isnull=True, period_end__lte=today
    )
    years = sorted(
        {
            value.period_start.year
            for value in started.only("period_start", "period_end", "computed_at")
            if value.period_start == Period.year(value.period_start.year).start
            and value.period_end == Period.year(value.period_start.year).end
            and timezone.localdate(value.computed_at) < value.period_end
        }
    )
    if years:
        refresh_values(municipality=municipality, years=years)
    return years


@transaction.atomic
def manual_value_record(
    *,
    actor: Actor,
    indicator: Indicator,
    period: Period,
    value: Decimal,
    source_note: str,
    confirm_outside_range: bool = False,
) -> ManualValue:
    """Record a figure entered by hand. A value outside the plausible range needs an explicit confirmation."""
    actor.require(Capability.EDIT_MONITORING)
    ensure_same_municipality(actor, indicator)
    if indicator.source != IndicatorSource.MANUAL:
        raise ValidationError(
            _("%(name)s is computed from the registers; it cannot be entered by hand.")
            % {"name": indicator.name},
            code="computed",
        )
    if period.end <= period.start:
        raise ValidationError({"period_end": _("The period must end after it starts.")})
    if not indicator.is_plausible(value) and not confirm_outside_range:
        raise ValidationError(
            _(
                "%(value)s lies outside the plausible range of %(name)s (%(low)s to %(high)s). "
                "Check the figure, and confirm it if it is right."
            )
            % {
                "value": value,
                "name": indicator.name,
                "low": indicator.plausible_min if indicator.plausible_min is not None else "–",
                "high": indicator.plausible_max if indicator.plausible_max is not None else "–",
            },
            code="implausible",
        )
    existing = ManualValue.objects.filter(
        indicator=indicator, period_start=period.start, period_end=period.end
    ).first()
    fields: dict[str, Any] = {
        "value": value,
        "source_note": source_note,
        "confirmed_outside_range": not indicator.is_plausible(value),
        "entered_by": actor.username,
    }
    if existing is not None:
        return update_versioned(
            actor, existing, expected_version=existing.version, changes=fields, allowed=fields.keys()
        )
    record = ManualValue(
        municipality=actor.municipality,
        indicator=indicator,
        period_start=period.start,
        period_end=period.end,
        **fields,
    )
    record.full_clean()
    record.save()
    audit.record_change(actor, instance=record, action=AuditAction.CREATE, changed_fields=list(fields))
    return record


def _check_commitment_dates(fields: dict[str, Any]) -> None:
    errors: dict[str, str] = {}
    adopted: dt.date | None = fields.get("adopted_on")
    for name in ("due_on", "settlement_proposed_on", "settled_on"):
        value = fields.get(name)
        if value is not None and adopted is not None and value < adopted:
            errors[name] = _("This date lies before the date the commitment was made.")
    if fields.get("status") == CommitmentStatus.SETTLED and not fields.get("settled_on"):
        errors["settled_on"] = _("A settled commitment needs the date the council settled it.")
    if fields.get("status") == CommitmentStatus.PROPOSED_SETTLED and not fields.get("settlement_text"):
        errors["settlement_text"] = _("Write the proposed settlement that goes to the council.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def commitment_create(*, actor: Actor, **fields: Any) -> Commitment:
    actor.require(Capability.EDIT_MONITORING)
    _check_commitment_dates(fields)
    return create_audited(actor, Commitment, allowed=COMMITMENT_FIELDS, **fields)


@transaction.atomic
def commitment_update(
    *, actor: Actor, commitment: Commitment, expected_version: int, **changes: Any
) -> Commitment:
    actor.require(Capability.EDIT_MONITORING)
    merged = {name: getattr(commitment, name) for name in COMMITMENT_FIELDS} | changes
    _check_commitment_dates(merged)
    return update_versioned(
        actor, commitment, expected_version=expected_version, changes=changes, allowed=COMMITMENT_FIELDS
    )
