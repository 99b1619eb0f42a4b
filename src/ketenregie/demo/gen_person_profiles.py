"""Issue 12, part 4 in the demo: some labour-migrant profiles confirmed by civil affairs, the rest left
as delivered (unconfirmed); some employments ended on the person page. Through the same services as
the staff pages, a bounded number so the demo stays quick; deterministic (the context's seeded rng)."""

from __future__ import annotations

import datetime as dt

from ketenregie.core.actor import Actor
from ketenregie.core.models import Role
from ketenregie.demo.context import GenerationContext
from ketenregie.employers import services as employer_services
from ketenregie.employers.models import Employment
from ketenregie.people import services as people_services
from ketenregie.people.models import LabourMigrant

MAX_CONFIRMED = 120
MAX_ENDED = 25


def build_person_profiles(ctx: GenerationContext) -> None:
    actor = Actor.system(ctx.municipality, name="seed", roles=frozenset({Role.CIVIL_AFFAIRS}))
    migrants = list(LabourMigrant.objects.filter(municipality=ctx.municipality).order_by("person_id"))
    # Roughly a third checked by staff; the others wait, as profiles delivered by employers do.
    chosen = [m for m in migrants if ctx.rng.random() < 1 / 3][:MAX_CONFIRMED]
    for migrant in chosen:
        people_services.labour_migrant_confirm(actor=actor, migrant=migrant, expected_version=migrant.version)
    open_employments = list(
        Employment.objects.filter(municipality=ctx.municipality, ends_on__isnull=True).order_by("pk")
    )
    ended = 0
    for employment in open_employments:
        if ended >= MAX_ENDED or ctx.rng.random() > 0.05:
            continue
        ends_on = max(employment.starts_on, ctx.reference_date - dt.timedelta(days=ctx.rng.randint(5, 60)))
        employer_services.employment_end(actor=actor, employment=employment, ends_on=ends_on)
        ended += 1
    ctx.count("labour_migrants_confirmed", len(chosen))
    ctx.count("employments_ended_by_staff", ended)
    ctx.progress(
        f"  labour-migrant profiles confirmed: {len(chosen)} of {len(migrants)}; employments ended: {ended}"
    )
