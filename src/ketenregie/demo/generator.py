"""The synthetic municipality: deterministic for a profile, seed, scale and reference date."""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.db import connection, transaction
from django.utils import timezone

from ketenregie.core.models import Municipality, Norms, TenantModel
from ketenregie.demo import (
    gen_brp,
    gen_cases,
    gen_deliveries,
    gen_employment_deliveries,
    gen_infopoint,
    gen_monitoring,
    gen_people,
    gen_person_profiles,
    gen_places,
    gen_portal,
    gen_registry_checks,
    gen_retention,
    gen_risk,
    gen_signals,
    gen_verification,
    gen_work,
)
from ketenregie.demo.accounts import ensure_organisations
from ketenregie.demo.context import GenerationContext
from ketenregie.demo.models import SeedRun
from ketenregie.demo.profiles import PROFILES, Profile

# A fixed reference date keeps 'same seed, same data' true on every day; pass another to move the data.
DEFAULT_REFERENCE_DATE = dt.date(2026, 11, 1)


def tenant_models() -> list[Any]:
    return [model for model in apps.get_models() if issubclass(model, TenantModel)]


def wipe_municipality_data(municipality: Municipality) -> int:
    """Remove every register record of one municipality; organisations, users and the audit trail stay.

    Foreign keys are deferred to commit on both PostgreSQL and SQLite, so the order of deletion does
    not matter inside the transaction; a raw delete avoids loading a million rows into Python.
    """
    removed = 0
    for model in tenant_models():
        for field in model._meta.many_to_many:
            through: Any = field.remote_field.through
            source = next(f.name for f in through._meta.fields if f.related_model is model)
            removed += through.objects.filter(**{f"{source}__municipality": municipality})._raw_delete(
                connection.alias
            )
    for model in tenant_models():
        removed += model.objects.filter(municipality=municipality)._raw_delete(connection.alias)
    return removed


def ensure_municipality(profile: Profile) -> Municipality:
    municipality, _ = Municipality.objects.update_or_create(
        code=profile.cbs_code,
        defaults={
            "name": profile.name,
            "labour_market_region": profile.labour_market_region,
            "riec_region": profile.riec_region,
        },
    )
    Norms.objects.get_or_create(municipality=municipality)
    ensure_organisations(municipality)
    return municipality


def seed_municipality(
    *,
    profile_key: str,
    seed: int,
    scale: float,
    reference_date: dt.date = DEFAULT_REFERENCE_DATE,
    progress: Callable[[str], None] = lambda message: None,
) -> SeedRun:
    if profile_key not in PROFILES:
        raise ValueError(f"unknown profile {profile_key!r}; choose from {', '.join(sorted(PROFILES))}")
    if not 0 < scale <= 2:
        raise ValueError("scale must be above 0 and at most 2")
    profile = PROFILES[profile_key]
    started = time.monotonic()
    with transaction.atomic():
        municipality = ensure_municipality(profile)
        removed = wipe_municipality_data(municipality)
        if removed:
            progress(f"Removed {removed:,} earlier records of {profile.name}")
        run = SeedRun.objects.create(
            municipality=municipality, profile=profile.key, seed=seed, scale=scale, started_at=timezone.now()
        )
        ctx = GenerationContext(
            profile=profile,
            municipality=municipality,
            rng=random.Random(f"{profile.key}:{seed}"),
            scale=scale,
            reference_date=reference_date,
            progress=progress,
        )
        steps: list[tuple[str, Callable[[], object]]] = [
            ("places", lambda: gen_places.build_places(ctx)),
            ("labour migrants", lambda: gen_people.build_migrants(ctx)),
            ("transit address", lambda: gen_people.build_transit_address(ctx)),
            ("residents", lambda: gen_people.build_natives(ctx)),
        ]
        for index, (label, step) in enumerate(steps, start=1):
            progress(f"[{index}/12] {label}")
            step()
        progress("[5/12] employers and violations")
        workforce = gen_work.build_employers(ctx)
        progress("[6/12] housing locations")
        providers = gen_work.build_housing(ctx, workforce)
        progress("[7/12] employments and covenant")
        gen_work.build_employments(ctx, workforce, providers)
        gen_work.build_covenant(ctx, workforce)
        gen_registry_checks.build_registry_checks(ctx)
        progress("  deliveries from agencies and a housing provider (some rows in review)")
        gen_deliveries.build_deliveries(ctx)
        gen_person_profiles.build_person_profiles(ctx)
        progress("  BRP cases: unknown start dates, secrecy, investigation, suspension, postal address")
        gen_brp.build_brp_cases(ctx)
        progress("[8/12] data-sharing agreements and meldingen")
        enforcement = gen_signals.build_signals(ctx)
        progress("[9/12] cases, findings, measures and hand-overs")
        gen_cases.build_cases(ctx, enforcement)
        progress("[10/12] risk scoring and control lists")
        gen_risk.build_risk(ctx, enforcement)
        progress("[11/12] information point and portal")
        gen_infopoint.build_infopoint(ctx)
        gen_portal.build_portal(ctx)
        gen_verification.build_verification(ctx)
        progress("  retention: the periods, two legal holds and a dry run")
        gen_retention.build_retention(ctx)
        progress("[12/12] monitoring")
        gen_monitoring.build_monitoring(ctx)
        progress("  deliveries of employments and occupants")
        gen_employment_deliveries.build_employment_deliveries(ctx)
        run.finished_at = timezone.now()
        run.counts = {
            **ctx.counts,
            "seconds": round(time.monotonic() - started, 1),
            "reference_date": reference_date.isoformat(),
        }
        run.save(update_fields=["finished_at", "counts"])
    if connection.vendor == "postgresql":
        # Statistics for the planner, and the visibility map so counts can use index-only scans.
        # VACUUM cannot run inside a transaction (as when a test or a caller wraps the seed in one).
        command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
        with connection.cursor() as cursor:
            for model in tenant_models():
                cursor.execute(f'{command} "{model._meta.db_table}"')
    return run
