"""Step 10 of the generator: a risk run as of the reference date and the control lists made from it.

One list per priority neighbourhood and a municipality-wide top 50; from the latter two addresses
became house visits and one was set aside, and three addresses of the first neighbourhood's list were
planned as one integral control, so every state of a list entry can be seen in the demo.
"""

from __future__ import annotations

import dataclasses

from django.utils import translation

from ketenregie.core.actor import Actor
from ketenregie.core.models import Role
from ketenregie.demo.context import GenerationContext
from ketenregie.demo.gen_signals import EnforcementWorld
from ketenregie.operations.models import TaskStatus
from ketenregie.operations.services import task_run_here
from ketenregie.places.models import Neighbourhood
from ketenregie.risk import services
from ketenregie.risk.models import EntryStatus, RiskRun

NEIGHBOURHOOD_LIST_SIZE = 20
MUNICIPALITY_LIST_SIZE = 50


def build_risk(ctx: GenerationContext, world: EnforcementWorld) -> None:
    with translation.override("nl"):
        _build_risk(ctx, world)


def _build_risk(ctx: GenerationContext, world: EnforcementWorld) -> None:
    actor = dataclasses.replace(
        Actor.system(ctx.municipality, name="demo", roles=frozenset({Role.ENFORCEMENT, Role.ADMIN})),
        organisation=world.organisations[Role.ENFORCEMENT],
    )
    day = ctx.reference_date
    # Made as a task, as the staff page makes it, so the demo's task list shows a finished run.
    task = task_run_here(actor, "risk_run", as_of=day)
    if task.status != TaskStatus.DONE:
        raise RuntimeError(f"the demo's risk run failed: {task.error}")
    run = RiskRun.objects.get(pk=task.result["run_id"])
    lists = [
        services.control_list_create(
            actor=actor, run=run, top_n=NEIGHBOURHOOD_LIST_SIZE, neighbourhood=neighbourhood, on=day
        )
        for neighbourhood in Neighbourhood.objects.filter(
            municipality=ctx.municipality, is_priority=True
        ).order_by("name")
    ]
    overall = services.control_list_create(actor=actor, run=run, top_n=MUNICIPALITY_LIST_SIZE, on=day)
    entries = list(overall.entries.order_by("rank")[:3])
    for entry in entries[:2]:
        services.control_list_open_case(actor=actor, entry=entry, opened_on=day)
    if len(entries) == 3:
        services.control_list_entry_set_aside(
            actor=actor,
            entry=entries[2],
            reason="Eigenaar heeft zelf een controle aangevraagd; bezoek volgt via de woningcorporatie.",
            expected_version=entries[2].version,
        )
    if lists:
        chosen = list(lists[0].entries.filter(status=EntryStatus.OPEN).order_by("rank")[:3])
        if chosen:
            services.control_list_plan_integral_control(actor=actor, entries=chosen, opened_on=day)
    ctx.count("risk_scored_addresses", run.scored_address_count)
    ctx.count("control_lists", len(lists) + 1)
    ctx.progress(
        f"  risk run {run.reference}: {run.scored_address_count:,} of {run.address_count:,} addresses with a "
        f"score, in {run.duration_ms:,} ms; {len(lists) + 1} control lists"
    )
