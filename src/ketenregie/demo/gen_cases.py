"""Step 9 of the generator: cases, findings, first-registration forms, measures and hand-overs.

Calibrated on Rotterdam 2024 (seed 003), per year at scale 1: 7 integral controls with 207 house visits
and 61 homes with violations; 18 construction-site controls with 5 violations; 35 homes in Oud
Mathenesse checked for vacancy, 33 of them lived in; 142 first-registration forms; 23 dossiers to the
NLA. Findings follow the planted ground truth: a visit to a planted address finds its violation, a
visit elsewhere finds none (except the remedied violations from before the planted conditions began).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import translation

from ketenregie.cases.models import (
    CaseKind,
)
from ketenregie.core.models import OrganisationKind, Role
from ketenregie.demo.context import GenerationContext
from ketenregie.demo.gen_case_records import CaseBuilder, Occupancy, Plan
from ketenregie.demo.gen_signals import EnforcementWorld, finish_signals, stochastic_round, yearly
from ketenregie.demo.models import PlantedConditionKind
from ketenregie.employers.models import Employer, ViolationStatus
from ketenregie.places.models import Address

MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
          "oktober", "november", "december")  # fmt: skip


def build_cases(ctx: GenerationContext, world: EnforcementWorld) -> None:
    # Timelines are stored text: write them in the staff application's language, whatever the command's.
    with translation.override("nl"):
        _build_cases(ctx, world)


def _build_cases(ctx: GenerationContext, world: EnforcementWorld) -> None:
    plans = _plan_from_signals(ctx, world) + _plan_campaigns(ctx, world)
    involved = {pk for plan in plans for pk in plan.visits}
    labels = {
        row[0]: row[1:]
        for row in Address.objects.filter(pk__in=involved).values_list(
            "pk",
            "street",
            "house_number",
            "house_letter",
            "house_number_addition",
            "neighbourhood__name",
            "floor_area_m2",
        )
    }
    builder = CaseBuilder(ctx, world, Occupancy(involved), labels)
    for plan in plans:
        builder.add(plan)
    builder.flush()
    ctx.progress(
        f"  cases: {ctx.counts.get('cases', 0):,}, findings {ctx.counts.get('findings', 0):,} "
        f"({ctx.counts.get('findings_with_violation', 0):,} with a violation), "
        f"first-registration forms {ctx.counts.get('first_registration_forms', 0):,}, "
        f"hand-overs {ctx.counts.get('handovers', 0):,}"
    )
    finish_signals(ctx, world, builder.decide)


def _plan_from_signals(ctx: GenerationContext, world: EnforcementWorld) -> list[Plan]:
    rng = ctx.rng
    plans = []
    for signal, code, confirmed, investigated in world.investigations:
        if not investigated or signal.address_id is None:
            continue
        received = signal.received_at.date()
        opened = received + dt.timedelta(days=rng.randint(1, 5))
        kind = CaseKind.ADDRESS_INVESTIGATION if code == "housing_fraud" else CaseKind.HOUSE_VISIT
        partners: tuple[str, ...] = (Role.CIVIL_AFFAIRS,) if kind == CaseKind.ADDRESS_INVESTIGATION else ()
        if code == "labour_exploitation":
            partners = (OrganisationKind.NLA,)
        plans.append(
            Plan(
                kind=kind,
                opened_on=opened,
                visit_on=opened + dt.timedelta(days=rng.randint(3, 21)),
                close_after=rng.randint(5, 40),
                signal=signal,
                category=code,
                partners=partners,
                visits=[signal.address_id],
                handover=code == "labour_exploitation" and confirmed,
                historic={signal.address_id}
                if confirmed and not _planted_on(world, signal.address_id, opened)
                else set(),
            )
        )
    return plans


def _planted_on(world: EnforcementWorld, address_id: int, day: dt.date) -> bool:
    planted = world.planted.get(address_id)
    return planted is not None and planted.since <= day


def _plan_campaigns(ctx: GenerationContext, world: EnforcementWorld) -> list[Plan]:
    rng, ref = ctx.rng, ctx.reference_date
    plans: list[Plan] = []
    integral_partners = (OrganisationKind.NLA, OrganisationKind.POLICE, OrganisationKind.TAX_OFFICE)
    # Construction sites and workplaces: non-residential addresses, each with the employer checked there.
    employers = list(
        Employer.objects.filter(municipality=ctx.municipality).order_by("pk").values_list("pk", "name")
    )
    proven = set(
        Employer.objects.filter(
            municipality=ctx.municipality, violations__status=ViolationStatus.PROVEN
        ).values_list("pk", flat=True)
    )
    workplaces = sorted(a.pk for a in ctx.addresses if not a.habitable and a.pk not in world.planted)
    vacancy_area = _vacancy_area(ctx)
    for year in range(world.start.year, ref.year + 1):
        last = min(dt.date(year, 12, 31), ref - dt.timedelta(days=1))
        # Integral controls: a day, several partners, about thirty addresses of which about 30% in violation.
        controls = max(1, yearly(ctx, world, 7, year))
        visits, violations = yearly(ctx, world, 207, year), yearly(ctx, world, 61, year)
        for index in range(controls):
            day = ctx.date_between(dt.date(year, 1, 15), last)
            share = visits // controls + (1 if index < visits % controls else 0)
            bad = violations // controls + (1 if index < violations % controls else 0)
            addresses, historic = _pick_visits(ctx, world, day, max(share, 3), min(bad, max(share, 3)))
            plans.append(
                Plan(
                    kind=CaseKind.INTEGRAL_CONTROL,
                    opened_on=day - dt.timedelta(days=rng.randint(20, 40)),
                    visit_on=day,
                    close_after=rng.randint(20, 60),
                    partners=integral_partners + ((OrganisationKind.RIEC,) if rng.random() < 0.4 else ()),
                    visits=addresses,
                    historic=historic,
                    title=f"Integrale controle {day.day} {MONTHS[day.month - 1]} {day.year}",
                )
            )
        # Construction-site and workplace controls with the NLA.
        sites, site_violations = yearly(ctx, world, 18, year), yearly(ctx, world, 5, year)
        bad_sites = [e for e in employers if e[0] in proven]
        good_sites = [e for e in employers if e[0] not in proven]
        for index in range(sites):
            pool = bad_sites if index < site_violations and bad_sites else good_sites or bad_sites
            if not pool or not workplaces:
                break
            _employer, name = rng.choice(pool)
            address_id = rng.choice(workplaces)
            day = ctx.date_between(dt.date(year, 1, 10), last)
            plans.append(
                Plan(
                    kind=CaseKind.SITE_CONTROL,
                    opened_on=day - dt.timedelta(days=rng.randint(5, 20)),
                    visit_on=day,
                    close_after=rng.randint(10, 45),
                    partners=(OrganisationKind.NLA,),
                    visits=[address_id],
                    site_violation={address_id} if pool is bad_sites else set(),
                    title=f"Bouwplaatscontrole {name}"[:200],
                )
            )
        # Vacancy checks in one neighbourhood.
        homes = yearly(ctx, world, 35, year)
        if homes and vacancy_area.migrant_homes:
            day = ctx.date_between(dt.date(year, 2, 1), last)
            plans.append(
                Plan(
                    kind=CaseKind.VACANCY_CHECK,
                    opened_on=day - dt.timedelta(days=14),
                    visit_on=day,
                    close_after=rng.randint(10, 30),
                    partners=(Role.CIVIL_AFFAIRS,),
                    visits=vacancy_area.pick(ctx, world, day, homes),
                    title=f"Leegstandcontrole {vacancy_area.name} {year}",
                )
            )
    # One integral control still to come, so the planning page and the route list have something to show.
    upcoming = ref + dt.timedelta(days=12)
    plans.append(
        Plan(
            kind=CaseKind.INTEGRAL_CONTROL,
            opened_on=ref - dt.timedelta(days=10),
            visit_on=upcoming,
            close_after=30,
            partners=integral_partners,
            visits=_pick_visits(ctx, world, ref, max(8, yearly(ctx, world, 30, ref.year)), 0)[0],
            title=f"Integrale controle {upcoming.day} {MONTHS[upcoming.month - 1]} {upcoming.year}",
        )
    )
    return plans


@dataclass
class VacancyArea:
    name: str
    migrant_homes: list[int]
    homes: list[int]
    occupancy: Occupancy | None

    def pick(self, ctx: GenerationContext, world: EnforcementWorld, day: dt.date, count: int) -> list[int]:
        """Homes that look empty in the register: nearly all turn out lived in, as in Oud Mathenesse
        (35 checked, 33 lived in); the others are really empty on the day."""
        if self.occupancy is None:
            return []
        lived_in = [
            pk for pk in self.migrant_homes if self.occupancy.on(pk, day) or _planted_on(world, pk, day)
        ]
        empty = [
            pk for pk in self.homes if not self.occupancy.on(pk, day) and not _planted_on(world, pk, day)
        ]
        vacant = min(len(empty), stochastic_round(ctx, count * 2 / 35))
        picked = ctx.rng.sample(empty, k=vacant) + ctx.rng.sample(
            lived_in, k=min(count - vacant, len(lived_in))
        )
        ctx.rng.shuffle(picked)
        return picked


def _vacancy_area(ctx: GenerationContext) -> VacancyArea:
    preferred = "Oud Mathenesse" if "Oud Mathenesse" in ctx.profile.priority_neighbourhoods else ""
    names = dict(
        Address.objects.filter(municipality=ctx.municipality, neighbourhood__is_priority=True)
        .values_list("neighbourhood_id", "neighbourhood__name")
        .distinct()
    )
    chosen = next((pk for pk, name in sorted(names.items()) if name == preferred), min(names, default=None))
    if chosen is None:
        return VacancyArea("", [], [], None)
    # (AddressInfo.neighbourhood is the generator's own index, not the database id: ask the database.)
    homes = sorted(
        Address.objects.filter(neighbourhood_id=chosen, is_habitable_use=True).values_list("pk", flat=True)
    )
    migrant_homes = [pk for pk in homes if pk in ctx.migrant_addresses]
    return VacancyArea(names[chosen], migrant_homes, homes, Occupancy(set(homes)))


def _pick_visits(
    ctx: GenerationContext, world: EnforcementWorld, day: dt.date, count: int, bad: int
) -> tuple[list[int], set[int]]:
    """``count`` addresses of which ``bad`` in violation: planted ones while the ground truth reaches
    back to ``day``; before that, other migrant addresses whose violation was remedied afterwards."""
    rng = ctx.rng
    planted = world.planted_active(tuple(PlantedConditionKind.values), day)
    chosen = rng.sample(planted, k=min(bad, len(planted)))
    decoys = [pk for pk in world.decoys if pk not in world.historic_violations]
    historic = set(rng.sample(decoys, k=min(bad - len(chosen), len(decoys))))
    world.historic_violations |= historic
    rest = [pk for pk in decoys if pk not in historic]
    chosen += sorted(historic) + rng.sample(rest, k=min(count - len(chosen) - len(historic), len(rest)))
    rng.shuffle(chosen)
    return chosen, historic
