"""Step 9 of the generator, second half: writing the planned cases with their findings, forms, measures,
hand-overs and timelines, and deciding the outcome of each melding. See ``gen_cases`` for the plan."""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from ketenregie.cases.models import (
    Case,
    CaseAddress,
    CaseEvent,
    CaseEventKind,
    CaseKind,
    CaseOrigin,
    CaseParticipant,
    CaseResult,
    CaseStatus,
    DataCategory,
    Finding,
    FirstRegistrationForm,
    Handover,
    Measure,
    MeasureKind,
    MeasureStatus,
    ParticipantRole,
    RegistrationFormStatus,
    VisitStatus,
)
from ketenregie.core.models import Norms, OrganisationKind, Role
from ketenregie.demo.context import GenerationContext, bulk_create
from ketenregie.demo.gen_signals import EnforcementWorld, close_signal, moment, yearly
from ketenregie.demo.models import PlantedConditionKind
from ketenregie.demo.names import GIVEN_NAMES, SURNAMES
from ketenregie.people.models import AddressFunction, Residence
from ketenregie.signals.models import Signal, SignalResult, SignalStatus

SIGNAL_RESULT: dict[str, str] = {
    CaseResult.VIOLATION: SignalResult.CONFIRMED,
    CaseResult.HANDED_OVER: SignalResult.REFERRED,
    CaseResult.NO_VIOLATION: SignalResult.NOT_CONFIRMED,
    CaseResult.NO_ACCESS: SignalResult.INSUFFICIENT,
}


@dataclass
class Plan:
    kind: str
    opened_on: dt.date
    visit_on: dt.date
    close_after: int
    signal: Signal | None = None
    category: str = ""
    partners: tuple[str, ...] = ()
    visits: list[int] = field(default_factory=list)
    site_violation: set[int] = field(default_factory=set)
    title: str = ""
    handover: bool = False
    # Addresses whose violation predates the planted ground truth and was remedied afterwards.
    historic: set[int] = field(default_factory=set)


class Occupancy:
    """Registered residents per address on a day, from the residence records (counts only)."""

    def __init__(self, address_ids: set[int]) -> None:
        self.periods: dict[int, list[tuple[dt.date | None, dt.date | None]]] = defaultdict(list)
        rows = Residence.objects.filter(address_id__in=address_ids, address_function=AddressFunction.LIVING)
        for address_id, starts_on, ends_on in rows.values_list(
            "address_id", "starts_on", "ends_on"
        ).iterator():
            self.periods[address_id].append((starts_on, ends_on))

    def on(self, address_id: int, day: dt.date) -> int:
        return sum(
            1
            for start, end in self.periods.get(address_id, ())
            if (start is None or start <= day) and (end is None or end > day)
        )


class CaseBuilder:
    def __init__(
        self,
        ctx: GenerationContext,
        world: EnforcementWorld,
        occupancy: Occupancy,
        labels: Mapping[int, tuple[str, int, str, str, str | None, int | None]],
    ) -> None:
        self.ctx, self.world, self.occupancy, self.labels = ctx, world, occupancy, labels
        self.norm = Decimal(Norms.objects.get(municipality=ctx.municipality).floor_area_per_person_m2)
        self.owner = world.organisations[Role.ENFORCEMENT]
        self.cases: list[tuple[Case, Plan]] = []
        self.decisions: dict[int, tuple[str, str, dt.datetime | None, dt.datetime | None]] = {}

    def label(self, address_id: int) -> str:
        street, number, letter, addition, _n, _area = self.labels[address_id]
        return f"{street} {number}{letter}{'-' + addition if addition else ''}"

    def add(self, plan: Plan) -> None:
        ref = self.ctx.reference_date
        closed_on = plan.visit_on + dt.timedelta(days=plan.close_after)
        if plan.visit_on > ref:
            status, closed = CaseStatus.PLANNED, None
        elif closed_on >= ref:
            status, closed = CaseStatus.INVESTIGATING, None
        else:
            status, closed = CaseStatus.CLOSED, closed_on
        if not plan.title:
            what = "Adresonderzoek" if plan.kind == CaseKind.ADDRESS_INVESTIGATION else "Huisbezoek"
            plan.title = f"{what} {self.label(plan.visits[0])}"
        case = Case(
            municipality=self.ctx.municipality,
            kind=plan.kind,
            title=plan.title,
            origin=CaseOrigin.SIGNAL if plan.signal else CaseOrigin.DIRECT,
            opened_on=plan.opened_on,
            planned_on=plan.visit_on if plan.kind != CaseKind.ADDRESS_INVESTIGATION else None,
            closed_on=closed,
            status=status,
            owner=self.owner,
        )
        self.cases.append((case, plan))

    def flush(self) -> None:
        ctx, world = self.ctx, self.world
        created = bulk_create(Case, [case for case, _plan in self.cases])
        for case in created:
            # bulk_create skips save() and its workflow check: the statuses written (planned, in
            # investigation, closed) are ones the case table reaches; the later step to enforcement is
            # checked against the table before it is written.
            case.status_written()
        participants, stops, findings, events = [], [], [], []
        links = []
        for case, plan in self.cases:
            participants.append(
                CaseParticipant(
                    municipality=ctx.municipality,
                    case=case,
                    organisation=self.owner,
                    role=ParticipantRole.LEAD,
                    added_on=case.opened_on,
                )
            )
            events.append(
                self._event(
                    case, case.opened_on, CaseEventKind.OPENED, f"Zaak geopend: {case.get_kind_display()}."
                )
            )
            for key in plan.partners:
                organisation = world.organisations[key]
                agreement = world.agreements.get(str(key))
                if agreement is not None and not (
                    agreement.is_valid_on(case.opened_on) and agreement.covers_kind(case.kind)
                ):
                    continue
                participants.append(
                    CaseParticipant(
                        municipality=ctx.municipality,
                        case=case,
                        organisation=organisation,
                        agreement=agreement,
                        added_on=case.opened_on,
                    )
                )
                events.append(
                    self._event(
                        case, case.opened_on, CaseEventKind.PARTICIPANT, f"{organisation.name} neemt deel."
                    )
                )
            if plan.signal is not None:
                links.append(Case.signals.through(case_id=case.pk, signal_id=plan.signal.pk))
                events.append(
                    self._event(
                        case,
                        case.opened_on,
                        CaseEventKind.SIGNAL,
                        f"Melding {plan.signal.reference} gekoppeld.",
                    )
                )
            visited = case.status != CaseStatus.PLANNED
            for position, address_id in enumerate(plan.visits, start=1):
                stops.append(
                    CaseAddress(
                        municipality=ctx.municipality,
                        case=case,
                        address_id=address_id,
                        position=position,
                        visit_status=VisitStatus.VISITED if visited else VisitStatus.PLANNED,
                        planned_time=dt.time(8 + (position - 1) // 4, 15 * ((position - 1) % 4)),
                    )
                )
                if visited:
                    findings.append((case, plan, self._finding(case, plan, address_id)))
            events.append(
                self._event(
                    case, case.opened_on, CaseEventKind.ADDRESS, f"{len(plan.visits)} adres(sen) toegevoegd."
                )
            )
        bulk_create(CaseParticipant, participants)
        bulk_create(CaseAddress, stops)
        Case.signals.through.objects.bulk_create(links, batch_size=5000)
        created_findings = bulk_create(Finding, [finding for _case, _plan, finding in findings])
        for case, _plan, finding in findings:
            events.append(
                self._event(
                    case,
                    finding.found_on,
                    CaseEventKind.FINDING,
                    f"Constatering bij {self.label(finding.address_id)}: "
                    + ("overtreding vastgesteld." if finding.violation_found else "geen overtreding."),
                    DataCategory.FINDINGS,
                )
            )
        forms = self._registration_forms(findings)
        measures, handovers = self._measures(findings)
        for case, plan in self.cases:
            if case.status == CaseStatus.CLOSED:
                case_findings = [f for c, _p, f in findings if c is case]
                handed = any(h.case_id == case.pk for h in handovers)
                violation = any(f.violation_found for f in case_findings)
                # A violation the municipality established stays the result, also when it was handed over.
                case.result = (
                    CaseResult.VIOLATION
                    if violation
                    else (CaseResult.HANDED_OVER if handed else CaseResult.NO_VIOLATION)
                )
                events.append(
                    self._event(
                        case,
                        case.closed_on,
                        CaseEventKind.CLOSED,
                        f"Zaak gesloten: {case.get_result_display()}.",
                    )
                )
            elif case.status == CaseStatus.INVESTIGATING and any(m.case_id == case.pk for m in measures):
                case.status = CaseStatus.ENFORCEMENT
            if plan.signal is not None:
                self._decide_signal(case, plan)
        for case, _plan in self.cases:
            case.check_status_change()
        Case.objects.bulk_update([c for c, _p in self.cases], ["result", "status"], batch_size=2000)
        for form in forms:
            events.append(
                self._event(
                    form.case,
                    form.drawn_up_on,
                    CaseEventKind.REGISTRATION,
                    f"Eerste vestigingsformulier opgemaakt bij {self.label(form.address_id)}.",
                    DataCategory.PERSONS,
                )
            )
        for measure in measures:
            events.append(
                self._event(
                    measure.case,
                    measure.issued_on,
                    CaseEventKind.MEASURE,
                    f"Maatregel: {measure.get_kind_display()}.",
                    DataCategory.MEASURES,
                )
            )
        for handover in handovers:
            events.append(
                self._event(
                    handover.case,
                    timezone.localtime(handover.handed_over_at).date(),
                    CaseEventKind.HANDOVER,
                    f"Dossier overgedragen aan {handover.to_organisation.name}.",
                )
            )
        bulk_create(CaseEvent, events)
        ctx.count("cases", len(created))
        ctx.count("findings", len(created_findings))
        ctx.count("findings_with_violation", sum(1 for f in created_findings if f.violation_found))

    def _event(
        self, case: Case, day: dt.date | None, kind: str, summary: str, category: str = ""
    ) -> CaseEvent:
        return CaseEvent(
            municipality=self.ctx.municipality,
            case=case,
            occurred_at=moment(self.ctx, day or case.opened_on, office_hours=True),
            kind=kind,
            data_category=category,
            summary=summary[:300],
            username="demo",
            organisation_name=self.owner.name,
        )

    def _finding(self, case: Case, plan: Plan, address_id: int) -> Finding:
        rng, world = self.ctx.rng, self.world
        day = plan.visit_on
        _street, _number, _letter, _addition, _n, area = self.labels[address_id]
        registered = self.occupancy.on(address_id, day)
        finding = Finding(
            municipality=self.ctx.municipality,
            case=case,
            address_id=address_id,
            found_on=day,
            recorded_by_organisation=world.organisations[OrganisationKind.NLA]
            if plan.kind == CaseKind.SITE_CONTROL
            else self.owner,
            floor_area_m2=area,
            norm_m2_per_person=self.norm,
            persons_registered=registered,
        )
        planted = world.planted.get(address_id)
        if plan.kind == CaseKind.SITE_CONTROL:
            finding.floor_area_m2 = finding.persons_registered = None
            finding.persons_found = rng.randint(6, 40)
            if address_id in plan.site_violation:
                finding.other_violation = True
                finding.exploitation_signals = rng.random() < 0.5
                finding.notes = "Werknemers zonder geldige papieren; loonstroken ontbreken."
        elif planted is not None and planted.since <= day:
            kinds = planted.kinds
            finding.persons_found = planted.actual_occupants
            if PlantedConditionKind.REGISTERED_ELSEWHERE in kinds:
                finding.registered_not_living = max(1, registered - planted.actual_occupants)
            if kinds & {
                PlantedConditionKind.UNREGISTERED_OCCUPANTS,
                PlantedConditionKind.NON_RESIDENTIAL_USE,
            }:
                finding.unregistered_persons = max(1, planted.actual_occupants - registered)
            finding.other_violation = PlantedConditionKind.NON_RESIDENTIAL_USE in kinds
            finding.exploitation_signals = PlantedConditionKind.EXPLOITATION in kinds
            finding.fire_safety_issue = rng.random() < 0.3
            finding.notes = (
                "Matrassen in meerdere kamers." if PlantedConditionKind.OVERCROWDING in kinds else ""
            )
        elif address_id in plan.historic:
            finding.persons_found = math.ceil((area or 60) / float(self.norm)) + rng.randint(1, 3)
            finding.unregistered_persons = min(finding.persons_found, rng.randint(1, 3))
        else:
            finding.persons_found = registered
        if plan.kind == CaseKind.VACANCY_CHECK:
            finding.inhabited = bool(finding.persons_found)
        finding.evaluate()
        return finding

    def _registration_forms(self, findings: list[tuple[Case, Plan, Finding]]) -> list[FirstRegistrationForm]:
        rng = self.ctx.rng
        by_year: dict[int, list[Finding]] = defaultdict(list)
        for _case, _plan, finding in findings:
            if finding.unregistered_persons:
                by_year[finding.found_on.year].append(finding)
        forms: list[FirstRegistrationForm] = []
        for year, candidates in sorted(by_year.items()):
            target = yearly(self.ctx, self.world, 142, year)
            for finding in candidates:
                for _ in range(min(finding.unregistered_persons, max(0, target))):
                    nationality = self.ctx.weighted((("PL", 0.5), ("RO", 0.3), ("BG", 0.15), ("HU", 0.05)))
                    forms.append(
                        FirstRegistrationForm(
                            municipality=self.ctx.municipality,
                            finding=finding,
                            case=finding.case,
                            address_id=finding.address_id,
                            given_names=rng.choice(GIVEN_NAMES[nationality]),
                            surname=rng.choice(SURNAMES[nationality]),
                            birth_date=dt.date(
                                rng.randint(1965, 2004), rng.randint(1, 12), rng.randint(1, 28)
                            ),
                            nationality=nationality,
                            previous_country=nationality,
                            arrival_date=finding.found_on - dt.timedelta(days=rng.randint(20, 400)),
                            drawn_up_on=finding.found_on,
                            status=RegistrationFormStatus.PROCESSED
                            if finding.found_on < self.ctx.reference_date - dt.timedelta(days=30)
                            else RegistrationFormStatus.DRAWN_UP,
                            processed_on=finding.found_on + dt.timedelta(days=rng.randint(3, 20))
                            if finding.found_on < self.ctx.reference_date - dt.timedelta(days=30)
                            else None,
                        )
                    )
                    target -= 1
        bulk_create(FirstRegistrationForm, forms)
        self.ctx.count("first_registration_forms", len(forms))
        return forms

    def _measures(self, findings: list[tuple[Case, Plan, Finding]]) -> tuple[list[Measure], list[Handover]]:
        rng, ref, world = self.ctx.rng, self.ctx.reference_date, self.world
        nla = world.organisations[OrganisationKind.NLA]
        measures: list[Measure] = []
        handover_candidates: dict[int, list[tuple[Case, Finding]]] = defaultdict(list)
        for case, plan, finding in findings:
            if not finding.violation_found:
                continue
            if plan.handover or finding.exploitation_signals or plan.kind == CaseKind.SITE_CONTROL:
                handover_candidates[finding.found_on.year].append((case, finding))
            if plan.kind in (CaseKind.SITE_CONTROL, CaseKind.ADDRESS_INVESTIGATION):
                continue
            issued = finding.found_on + dt.timedelta(days=rng.randint(3, 14))
            if issued > ref:
                continue
            kind = (
                MeasureKind.PENALTY_ORDER
                if finding.fire_safety_issue
                else self.ctx.weighted(
                    (
                        (MeasureKind.WARNING, 0.35),
                        (MeasureKind.INTENTION, 0.35),
                        (MeasureKind.PENALTY_ORDER, 0.3),
                    )
                )
            )
            amount = Decimal(rng.randrange(1000, 7500, 250)) if kind == MeasureKind.PENALTY_ORDER else None
            old = issued < ref - dt.timedelta(days=60)
            measures.append(
                Measure(
                    municipality=self.ctx.municipality,
                    case=case,
                    address_id=finding.address_id,
                    kind=kind,
                    addressee="Eigenaar / verhuurder",
                    issued_on=issued,
                    amount=amount,
                    max_amount=amount * 10 if amount else None,
                    deadline=issued + dt.timedelta(days=28) if kind != MeasureKind.WARNING else None,
                    status=(MeasureStatus.FORFEITED if rng.random() < 0.15 else MeasureStatus.COMPLIED)
                    if old
                    else MeasureStatus.ISSUED,
                )
            )
        handovers: list[tuple[Case, Finding]] = []
        for year, candidates in sorted(handover_candidates.items()):
            handovers += candidates[: max(0, yearly(self.ctx, world, 23, year))]
        handover_measures = [
            Measure(
                municipality=self.ctx.municipality,
                case=case,
                address_id=finding.address_id,
                kind=MeasureKind.HANDOVER,
                handed_to=nla,
                issued_on=min(ref, finding.found_on + dt.timedelta(days=rng.randint(2, 10))),
                status=MeasureStatus.ISSUED,
                notes="Signalen van arbeidsuitbuiting",
            )
            for case, finding in handovers
        ]
        created = bulk_create(Measure, measures + handover_measures)
        agreement = world.agreements[str(OrganisationKind.NLA)]
        records = bulk_create(
            Handover,
            [
                Handover(
                    municipality=self.ctx.municipality,
                    case=measure.case,
                    to_organisation=nla,
                    agreement=agreement,
                    measure=measure,
                    handed_over_at=moment(self.ctx, measure.issued_on, office_hours=True),
                    legal_basis=agreement.legal_basis,
                    purpose=agreement.purpose,
                    data_categories=sorted(agreement.categories),
                    note="Synthetische geschiedenis: het dossier zelf is niet bewaard.",
                )
                for measure in created[len(measures) :]
            ],
        )
        self.ctx.count("measures", len(measures))
        self.ctx.count("handovers", len(records))
        return created, records

    def _decide_signal(self, case: Case, plan: Plan) -> None:
        assert plan.signal is not None
        signal = plan.signal
        triaged = signal.received_at + dt.timedelta(hours=self.ctx.rng.randint(2, 40))
        if case.status == CaseStatus.CLOSED and case.closed_on:
            closed = moment(self.ctx, case.closed_on, office_hours=True)
            self.decisions[signal.pk] = (SignalStatus.CLOSED, SIGNAL_RESULT[case.result], closed, triaged)
        else:
            self.decisions[signal.pk] = (SignalStatus.INVESTIGATING, "", None, triaged)

    def decide(self, signal: Signal) -> None:
        """The final status of a melding: from its case, or by its age when no case was opened."""
        rng, ref = self.ctx.rng, self.ctx.reference_date
        decision = self.decisions.get(signal.pk)
        if decision is not None:
            status, result, closed, triaged = decision
            if closed is not None:
                close_signal(signal, result=result, closed_at=closed, triaged_at=triaged or closed)
            else:
                signal.status, signal.triaged_at = status, triaged
            signal.needs_address = False
            return
        received = signal.received_at
        age = (ref - received.date()).days
        deadline = signal.category.deadline_days
        if age > 45 or (age > deadline and rng.random() < 0.8):
            code = signal.category.top_code
            if signal.address_id is None:
                result = SignalResult.INSUFFICIENT
            elif code in ("nuisance", "homelessness"):
                result = SignalResult.REFERRED if rng.random() < 0.7 else SignalResult.NOT_CONFIRMED
            elif code == "other":
                result = self.ctx.weighted(
                    (
                        (SignalResult.INSUFFICIENT, 0.4),
                        (SignalResult.REFERRED, 0.3),
                        (SignalResult.NOT_CONFIRMED, 0.3),
                    )
                )
            else:
                result = SignalResult.NOT_CONFIRMED if rng.random() < 0.7 else SignalResult.INSUFFICIENT
            closed = received + dt.timedelta(days=rng.uniform(0.5, deadline * 1.3))
            latest = timezone.make_aware(dt.datetime.combine(ref - dt.timedelta(days=1), dt.time(17, 0)))
            close_signal(
                signal,
                result=result,
                closed_at=min(closed, latest),
                triaged_at=received + dt.timedelta(hours=6),
            )
            signal.needs_address = False
        elif age >= 3:
            signal.status, signal.triaged_at = SignalStatus.TRIAGED, received + dt.timedelta(hours=20)
