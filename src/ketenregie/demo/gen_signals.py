"""Step 8 of the generator: data-sharing agreements and several years of meldingen.

Calibrated on Rotterdam 2024 (seed 003): 387 meldingen of possible overcrowding a year, 25 of them
confirmed. The other categories are estimates in proportion. Meldingen land partly on the planted
addresses (where an investigation finds the violation) and mostly elsewhere (where it does not), so the
confirmation rate follows the figures. Before a planted condition began, the few confirmed meldingen
land on other addresses whose violation was remedied: the history does not contradict the ground truth.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import timezone

from ketenregie.cases.models import CaseKind, DataSharingAgreement
from ketenregie.core.models import Organisation, OrganisationKind, Role
from ketenregie.demo.accounts import ensure_organisations
from ketenregie.demo.context import GenerationContext, bulk_create
from ketenregie.demo.models import PlantedCondition, PlantedConditionKind
from ketenregie.demo.names import GIVEN_NAMES, SURNAMES
from ketenregie.demo.signal_texts import signal_text
from ketenregie.signals import classifier
from ketenregie.signals.models import (
    Signal,
    SignalCategory,
    SignalChannel,
    SignalClassifier,
    SignalStatus,
)
from ketenregie.signals.services import due_on_for, ensure_default_categories

# Meldingen a year at scale 1 for Rotterdam; other profiles in proportion to their labour migrants.
YEARLY_SIGNALS: dict[str, int] = {
    "overcrowding": 387,
    "housing_fraud": 220,
    "nuisance": 310,
    "unsafe_housing": 90,
    "labour_exploitation": 70,
    "homelessness": 85,
    "other": 110,
}
# Share confirmed after investigation (overcrowding: 25 of 387, from the seed; the rest estimated).
CONFIRMED_SHARE: dict[str, float] = {
    "overcrowding": 25 / 387,
    "housing_fraud": 0.25,
    "unsafe_housing": 0.3,
    "labour_exploitation": 0.3,
}
# Share of meldingen that get a visit or an address investigation (the confirmed ones always do).
INVESTIGATED_SHARE: dict[str, float] = {
    "overcrowding": 0.45,
    "housing_fraud": 0.5,
    "unsafe_housing": 0.6,
    "labour_exploitation": 0.6,
}
# Which planted conditions confirm a melding of a category.
CONFIRMING_KINDS: dict[str, tuple[str, ...]] = {
    "overcrowding": (PlantedConditionKind.OVERCROWDING, PlantedConditionKind.NON_RESIDENTIAL_USE),
    "housing_fraud": (PlantedConditionKind.REGISTERED_ELSEWHERE, PlantedConditionKind.UNREGISTERED_OCCUPANTS),
    "unsafe_housing": (PlantedConditionKind.NON_RESIDENTIAL_USE, PlantedConditionKind.OVERCROWDING),
    "labour_exploitation": (PlantedConditionKind.EXPLOITATION, PlantedConditionKind.OVERCROWDING),
}
CHANNELS = (
    (SignalChannel.PORTAL, 0.4),
    (SignalChannel.PHONE, 0.25),
    (SignalChannel.EMAIL, 0.15),
    (SignalChannel.DESK, 0.05),
    (SignalChannel.PARTNER, 0.1),
    (SignalChannel.STAFF, 0.05),
)
HISTORY_YEARS = 3  # full years before the reference year, so back-tests can replay the past
DUPLICATE_SHARE = 0.07  # a neighbour reports the same thing again within a few days


@dataclass
class Planted:
    address_id: int
    kinds: set[str]
    since: dt.date
    actual_occupants: int


@dataclass
class EnforcementWorld:
    """What the meldingen step hands to the cases step."""

    start: dt.date
    organisations: dict[str, Organisation]
    agreements: dict[str, DataSharingAgreement]
    planted: dict[int, Planted]
    decoys: list[int]
    # (signal, main category, confirmed, investigated) for every melding that is not a duplicate.
    investigations: list[tuple[Signal, str, bool, bool]] = field(default_factory=list)
    historic_violations: set[int] = field(default_factory=set)
    size: float = 1.0

    def planted_active(self, kinds: tuple[str, ...], on: dt.date) -> list[int]:
        return sorted(p.address_id for p in self.planted.values() if p.since <= on and p.kinds & set(kinds))


def stochastic_round(ctx: GenerationContext, value: float) -> int:
    """Round so that the expected value is kept: 0.35 a year becomes 1 in about a third of the years."""
    whole = math.floor(value)
    return whole + (1 if ctx.rng.random() < value - whole else 0)


def yearly(ctx: GenerationContext, world: EnforcementWorld, figure: float, year: int) -> int:
    """A yearly figure scaled to the profile and the part of ``year`` before the reference date."""
    first, last = dt.date(year, 1, 1), min(dt.date(year, 12, 31), ctx.reference_date)
    if last < first:
        return 0
    fraction = ((last - first).days + 1) / 365
    return stochastic_round(ctx, figure * world.size * ctx.scale * fraction)


def moment(ctx: GenerationContext, day: dt.date, *, office_hours: bool = False) -> dt.datetime:
    hour = ctx.rng.randint(8, 17) if office_hours else ctx.rng.choice((7, 9, 10, 12, 14, 16, 19, 21, 22, 23))
    naive = dt.datetime.combine(day, dt.time(hour, ctx.rng.randint(0, 59)))
    return timezone.make_aware(naive)


def build_agreements(
    ctx: GenerationContext,
) -> tuple[dict[str, Organisation], dict[str, DataSharingAgreement]]:
    organisations = ensure_organisations(ctx.municipality)
    ref = ctx.reference_date
    specs: tuple[tuple[str, str, str, str, list[str], list[str], dt.date, dt.date | None], ...] = (
        (
            OrganisationKind.NLA,
            "Convenant integrale aanpak arbeidsuitbuiting",
            "Samen signalen van arbeidsuitbuiting en misstanden bij huisvesting van arbeidsmigranten "
            "opsporen en aanpakken.",
            "Art. 64 Wet SUWI; art. 5:20 Awb; convenant integrale aanpak arbeidsuitbuiting",
            ["signals", "findings", "persons", "measures", "attachments"],
            [],
            dt.date(ref.year - 4, 1, 1),
            None,
        ),
        (
            OrganisationKind.POLICE,
            "RIEC-convenant: politie",
            "Gezamenlijke integrale controles; signalen van mensenhandel en ondermijning.",
            "Art. 16 en 20 Wet politiegegevens; RIEC-convenant",
            ["findings", "persons"],
            [CaseKind.INTEGRAL_CONTROL, CaseKind.HOUSE_VISIT],
            dt.date(ref.year - 4, 1, 1),
            None,
        ),
        (
            OrganisationKind.TAX_OFFICE,
            "RIEC-convenant: Belastingdienst",
            "Fiscale signalen bij integrale controles (verhuur, loonheffingen).",
            "Art. 43c Uitvoeringsregeling AWR; RIEC-convenant",
            ["findings"],
            [CaseKind.INTEGRAL_CONTROL],
            dt.date(ref.year - 4, 1, 1),
            None,
        ),
        (
            OrganisationKind.RIEC,
            "RIEC-convenant: casusoverleg",
            "Bespreking van casussen met signalen van ondermijning in het RIEC-casusoverleg.",
            "RIEC-convenant; art. 5:20 Awb",
            ["signals", "findings", "persons", "measures"],
            [],
            dt.date(ref.year - 4, 1, 1),
            None,
        ),
        (
            OrganisationKind.HOUSING_CORPORATION,
            "Convenant woonfraude (verlopen)",
            "Aanpak van woonfraude en illegale onderverhuur in sociale huurwoningen.",
            "Convenant woonfraude; art. 10 Wet bescherming persoonsgegevens (oud)",
            ["findings", "measures"],
            [CaseKind.ADDRESS_INVESTIGATION, CaseKind.HOUSE_VISIT],
            dt.date(ref.year - 7, 1, 1),
            dt.date(ref.year - 2, 12, 31),
        ),
    )
    agreements: dict[str, DataSharingAgreement] = {}
    for kind, name, purpose, basis, categories, kinds, start, end in specs:
        agreement = DataSharingAgreement.objects.create(
            municipality=ctx.municipality,
            name=name,
            reference=f"CONV-{start.year}-{len(agreements) + 1:02d}",
            purpose=purpose,
            legal_basis=basis,
            data_categories=categories,
            case_kinds=kinds,
            valid_from=start,
            valid_until=end,
        )
        agreement.parties.set([organisations[kind]])
        agreements[str(kind)] = agreement
    ctx.count("agreements", len(agreements))
    return organisations, agreements


def load_planted(ctx: GenerationContext) -> dict[int, Planted]:
    planted: dict[int, Planted] = {}
    rows = (
        PlantedCondition.objects.filter(municipality=ctx.municipality)
        .order_by("address_id", "pk")
        .values_list("address_id", "kind", "since", "actual_occupants")
    )
    for address_id, kind, since, occupants in rows:
        entry = planted.setdefault(address_id, Planted(address_id, set(), since, occupants))
        entry.kinds.add(kind)
        entry.since = min(entry.since, since)
        entry.actual_occupants = max(entry.actual_occupants, occupants)
    return planted


def build_signals(ctx: GenerationContext) -> EnforcementWorld:
    rng, ref = ctx.rng, ctx.reference_date
    organisations, agreements = build_agreements(ctx)
    categories = ensure_default_categories(ctx.municipality)
    children: dict[str, list[SignalCategory]] = {}
    for category in categories.values():
        if category.parent_id is not None and category.parent is not None:
            children.setdefault(category.parent.code, []).append(category)
    planted = load_planted(ctx)
    decoys = sorted(
        a.pk
        for a in ctx.addresses
        if a.habitable and a.pk not in planted and (a.pk in ctx.migrant_addresses or a.priority)
    )
    world = EnforcementWorld(
        start=dt.date(ref.year - HISTORY_YEARS, 1, 1),
        organisations=organisations,
        agreements=agreements,
        planted=planted,
        decoys=decoys,
        size=ctx.profile.labour_migrants / 45_000,
    )
    # Planted addresses a melding has confirmed, so each is found once (then the violation is handled).
    used: set[int] = set()
    signals: list[Signal] = []
    plan: dict[int, tuple[str, bool, bool]] = {}
    for year in range(world.start.year, ref.year + 1):
        for code, figure in YEARLY_SIGNALS.items():
            # The yearly figure includes the neighbours' second meldingen added below.
            count = yearly(ctx, world, figure / (1 + DUPLICATE_SHARE), year)
            # Exactly the calibrated share is confirmed (25 of 387), not a random number around it.
            confirmed_ones = set(rng.sample(range(count), k=round(count * CONFIRMED_SHARE.get(code, 0.0))))
            for index in range(count):
                day = ctx.date_between(
                    dt.date(year, 1, 1), min(dt.date(year, 12, 31), ref - dt.timedelta(days=1))
                )
                confirmed = index in confirmed_ones
                address_id = _address_for(ctx, world, code, confirmed, day, used)
                investigated = confirmed or rng.random() < INVESTIGATED_SHARE.get(code, 0.0)
                signal = _signal(ctx, code, categories, children, day, address_id)
                signals.append(signal)
                plan[id(signal)] = (code, confirmed, investigated)
    # Neighbours report the same thing: about one in fifteen meldingen is followed by another one.
    for signal in list(signals):
        if signal.address_id is not None and rng.random() < DUPLICATE_SHARE:
            day = min(
                signal.received_at.date() + dt.timedelta(days=rng.randint(1, 6)), ref - dt.timedelta(days=1)
            )
            code, confirmed, investigated = plan[id(signal)]
            again = _signal(ctx, code, categories, children, day, signal.address_id)
            signals.append(again)
            plan[id(again)] = (code, False, False)
    signals.sort(key=lambda s: s.received_at)
    created = bulk_create(Signal, signals)
    _link_duplicates(ctx, created)
    for signal in created:
        code, confirmed, investigated = plan[id(signal)]
        if signal.duplicate_of_id is None:
            world.investigations.append((signal, code, confirmed, investigated))
    ctx.count("meldingen", len(created))
    ctx.progress(f"  meldingen: {len(created):,} since {world.start:%Y}")
    return world


def _address_for(
    ctx: GenerationContext, world: EnforcementWorld, code: str, confirmed: bool, day: dt.date, used: set[int]
) -> int | None:
    rng = ctx.rng
    if not confirmed and rng.random() < 0.04:
        return None  # an address nobody could match: flagged for resolution
    if confirmed:
        candidates = [pk for pk in world.planted_active(CONFIRMING_KINDS[code], day) if pk not in used]
        if candidates:
            choice = rng.choice(candidates)
            used.add(choice)
            return choice
        # Before the planted conditions began: a violation that was remedied afterwards (once per address).
        choice = rng.choice(
            [pk for pk in world.decoys if pk not in world.historic_violations] or world.decoys
        )
        world.historic_violations.add(choice)
        return choice
    return rng.choice(world.decoys) if world.decoys else None


def _signal(
    ctx: GenerationContext,
    code: str,
    categories: dict[str, SignalCategory],
    children: dict[str, list[SignalCategory]],
    day: dt.date,
    address_id: int | None,
) -> Signal:
    rng = ctx.rng
    category = rng.choice(children[code]) if children.get(code) and rng.random() < 0.6 else categories[code]
    received = moment(ctx, day)
    channel = ctx.weighted(CHANNELS)
    contact = rng.random()
    name = email = phone = ""
    if contact < 0.7 and channel != SignalChannel.STAFF:
        surname = rng.choice(SURNAMES["NL"])
        name = f"{rng.choice(GIVEN_NAMES['NL'])} {surname}"
        if contact < 0.55:
            email = f"{surname.lower().replace(' ', '')}{rng.randint(1, 999)}@example.nl"
        else:
            phone = f"06{rng.randint(10_000_000, 99_999_999)}"
    return Signal(
        municipality=ctx.municipality,
        received_at=received,
        channel=channel,
        category=category,
        description=signal_text(rng, code),
        address_id=address_id,
        location_text=""
        if address_id
        else rng.choice(("bij het station", "achter de supermarkt", "de flat op de hoek")),
        needs_address=address_id is None,
        reporter_name=name,
        reporter_email=email,
        reporter_phone=phone,
        reporter_language="nl",
        due_on=due_on_for(category, received),
        status=SignalStatus.NEW,
    )


def _link_duplicates(ctx: GenerationContext, signals: list[Signal]) -> None:
    """A second melding at an address with an open one of the same main category is linked to it."""
    open_at: dict[tuple[int, str], Signal] = {}
    duplicates: list[Signal] = []
    for signal in signals:
        if signal.address_id is None:
            continue
        key = (signal.address_id, signal.category.top_code)
        first = open_at.get(key)
        if first is not None and signal.received_at.date() <= first.due_on:
            signal.duplicate_of_id = first.pk
            duplicates.append(signal)
        else:
            open_at[key] = signal
    Signal.objects.bulk_update(duplicates, ["duplicate_of"], batch_size=2000)
    ctx.count("linked_meldingen", len(duplicates))


def close_signal(signal: Signal, *, result: str, closed_at: dt.datetime, triaged_at: dt.datetime) -> None:
    signal.status = SignalStatus.CLOSED
    signal.result = result
    signal.closed_at = closed_at
    signal.triaged_at = triaged_at
    if signal.reporter_email:
        signal.reporter_informed_at = closed_at


def finish_signals(ctx: GenerationContext, world: EnforcementWorld, decide: Callable[[Signal], None]) -> None:
    """Set status and result of every melding (``decide`` handles those not closed by a case), close
    linked ones with their first, train the classifier and suggest categories for the open ones."""
    signals = list(
        Signal.objects.filter(municipality=ctx.municipality)
        .select_related("category__parent")
        .order_by("received_at", "pk")
    )
    by_pk = {s.pk: s for s in signals}
    for signal in signals:
        if signal.duplicate_of_id is None:
            decide(signal)
    for signal in signals:
        if signal.duplicate_of_id is not None:
            first = by_pk[signal.duplicate_of_id]
            if first.status == SignalStatus.CLOSED and first.closed_at:
                close_signal(
                    signal,
                    result=first.result,
                    closed_at=first.closed_at,
                    triaged_at=first.triaged_at or first.closed_at,
                )
            else:
                signal.status, signal.triaged_at = first.status, first.triaged_at
    for signal in signals:
        # A bulk write skips save(): each status is checked against the meldingen table here instead.
        signal.check_status_change()
    Signal.objects.bulk_update(
        signals,
        ["status", "result", "closed_at", "triaged_at", "reporter_informed_at", "needs_address"],
        batch_size=2000,
    )
    _train(ctx, signals)


def _train(ctx: GenerationContext, signals: list[Signal]) -> None:
    labelled = [s for s in signals if s.status != SignalStatus.NEW]
    try:
        result = classifier.train([s.description for s in labelled], [s.category.top_code for s in labelled])
    except ValueError:
        ctx.progress("  too few triaged meldingen to train the category classifier")
        return
    stored = SignalClassifier.objects.create(
        municipality=ctx.municipality,
        trained_at=timezone.make_aware(dt.datetime.combine(ctx.reference_date, dt.time(6, 0))),
        samples=result.samples,
        held_out=result.held_out,
        accuracy=result.accuracy,
        labels=result.model.labels,
        model={**result.model.to_json(), "per_label_accuracy": result.per_label},
    )
    pending = [s for s in signals if s.status in (SignalStatus.NEW, SignalStatus.TRIAGED)]
    categories = {
        c.code: c for c in SignalCategory.objects.filter(municipality=ctx.municipality, parent__isnull=True)
    }
    for signal, (code, confidence) in zip(
        pending, result.model.predict([s.description for s in pending]), strict=True
    ):
        signal.suggested_category = categories.get(code)
        signal.suggestion_confidence = round(confidence, 3)
    Signal.objects.bulk_update(pending, ["suggested_category", "suggestion_confidence"], batch_size=2000)
    ctx.counts["classifier_accuracy_permille"] = round((stored.accuracy or 0) * 1000)
    ctx.progress(
        f"  category classifier: {stored.samples:,} triaged meldingen, "
        f"accuracy {100 * (stored.accuracy or 0):.1f}% on {stored.held_out:,} held out"
    )


def enforcement_department(world: EnforcementWorld) -> Organisation:
    return world.organisations[Role.ENFORCEMENT]
