"""Reads of employers, their workers, violations and covenant membership."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from ketenregie.core import audit
from ketenregie.core.actor import Actor
from ketenregie.core.permissions import Capability
from ketenregie.employers.kvk_client import configured_client
from ketenregie.employers.models import (
    Covenant,
    CovenantMembership,
    Employer,
    EmployerKind,
    EmployerRegistryCheck,
    Employment,
    EscalationStep,
    MembershipStatus,
    RegistryCheckStatus,
    Violation,
    ViolationStatus,
)
from ketenregie.people.models import Person


@dataclass(frozen=True)
class EmployerFilter:
    search: str = ""
    kind: str = ""
    sna_certified: bool | None = None
    has_proven_violation: bool | None = None
    covenant_member: bool | None = None
    # The outcome of the KvK check: a RegistryCheckStatus value, "name_differs" or "unchecked".
    kvk_check: str = ""
    order: str = "name"


EMPLOYER_ORDERINGS = {
    "name": ["name", "id"],
    "-workers": ["-current_workers", "name", "id"],
    "-violations": ["-proven_violations", "name", "id"],
}


def _current(on: dt.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}starts_on__lte": on}) & (
        Q(**{f"{prefix}ends_on__isnull": True}) | Q(**{f"{prefix}ends_on__gt": on})
    )


def employer_list(*, actor: Actor, filters: EmployerFilter) -> QuerySet[Employer]:
    actor.require(Capability.VIEW_REGISTERS)
    today = timezone.localdate()
    employers = Employer.objects.filter(municipality=actor.municipality)
    search = filters.search.strip()
    if search.isdigit() and len(search) == 8:
        employers = employers.filter(kvk_number=search)
    elif search:
        employers = employers.filter(name__icontains=search)
    if filters.kind:
        employers = employers.filter(kind=filters.kind)
    if filters.sna_certified is not None:
        employers = employers.filter(sna_certified=filters.sna_certified)
    proven = Exists(Violation.objects.filter(employer_id=OuterRef("pk"), status=ViolationStatus.PROVEN))
    if filters.has_proven_violation is not None:
        employers = employers.filter(proven if filters.has_proven_violation else ~proven)
    member = Exists(
        CovenantMembership.objects.filter(employer_id=OuterRef("pk")).exclude(
            status=MembershipStatus.TERMINATED
        )
    )
    if filters.covenant_member is not None:
        employers = employers.filter(member if filters.covenant_member else ~member)
    if filters.kvk_check:
        employers = employers.filter(_kvk_check_filter(filters.kvk_check))
    employers = employers.annotate(
        current_workers=Count("employments", filter=_current(today, "employments__"), distinct=True),
        proven_violations=Count(
            "violations", filter=Q(violations__status=ViolationStatus.PROVEN), distinct=True
        ),
        kvk_status=F("registry_check__status"),
    )
    return employers.order_by(*EMPLOYER_ORDERINGS.get(filters.order, EMPLOYER_ORDERINGS["name"]))


def _kvk_check_filter(value: str) -> Q:
    if value == "unchecked":
        return Q(registry_check__isnull=True)
    if value == "name_differs":
        return Q(registry_check__name_matches=False)
    if value in RegistryCheckStatus.values:
        return Q(registry_check__status=value)
    return Q()


def employer_get(*, actor: Actor, employer_id: int) -> Employer:
    actor.require(Capability.VIEW_REGISTERS)
    try:
        return Employer.objects.select_related("address").get(pk=employer_id, municipality=actor.municipality)
    except Employer.DoesNotExist:
        raise Http404("employer not found") from None


def employer_violations(*, actor: Actor, employer: Employer) -> list[Violation]:
    actor.require(Capability.VIEW_REGISTERS)
    return list(employer.violations.filter(municipality=actor.municipality).order_by("-occurred_on", "-pk"))


def employer_memberships(*, actor: Actor, employer: Employer) -> list[CovenantMembership]:
    actor.require(Capability.VIEW_REGISTERS)
    return list(
        CovenantMembership.objects.filter(employer=employer, municipality=actor.municipality)
        .select_related("covenant")
        .prefetch_related("escalation_steps__violation")
        .order_by("-joined_on")
    )


@dataclass(frozen=True)
class WorkforceSummary:
    current_workers: int
    labour_migrants: int
    by_sector: list[tuple[str, int]]


def employer_workforce(*, actor: Actor, employer: Employer) -> WorkforceSummary:
    """Counts of the employer's workers; no names, so no personal data and no audit event."""
    actor.require(Capability.VIEW_REGISTERS)
    today = timezone.localdate()
    current = Employment.objects.filter(_current(today), employer=employer, municipality=actor.municipality)
    return WorkforceSummary(
        current_workers=current.values("person_id").distinct().count(),
        labour_migrants=current.filter(person__labour_migrant__isnull=False)
        .values("person_id")
        .distinct()
        .count(),
        by_sector=list(current.values_list("sector").annotate(n=Count("id")).order_by("-n")),
    )


def employer_workers(*, actor: Actor, employer: Employer) -> list[Employment]:
    """The employer's current workers by name: personal data, audited per person."""
    actor.require(Capability.VIEW_PERSONAL_DATA)
    today = timezone.localdate()
    employments = list(
        Employment.objects.filter(_current(today), employer=employer, municipality=actor.municipality)
        .select_related("person", "hirer")
        .order_by("person__surname", "person__given_names")[:500]
    )
    audit.record_views(
        actor, objects={e.person_id: e.person for e in employments}.values(), context="employer_workers"
    )
    return employments


def person_employments(*, actor: Actor, person: Person) -> list[Employment]:
    actor.require(Capability.VIEW_PERSONAL_DATA)
    return list(
        Employment.objects.filter(person=person, municipality=actor.municipality)
        .select_related("employer", "hirer")
        .order_by("-starts_on")
    )


def covenants(*, actor: Actor) -> QuerySet[Covenant]:
    actor.require(Capability.VIEW_REGISTERS)
    return Covenant.objects.filter(municipality=actor.municipality).annotate(
        active_members=Count("memberships", filter=~Q(memberships__status=MembershipStatus.TERMINATED))
    )


def covenant_get(*, actor: Actor, covenant_id: int) -> Covenant:
    actor.require(Capability.VIEW_REGISTERS)
    try:
        return Covenant.objects.get(pk=covenant_id, municipality=actor.municipality)
    except Covenant.DoesNotExist:
        raise Http404("covenant not found") from None


def covenant_memberships(*, actor: Actor, covenant: Covenant) -> list[CovenantMembership]:
    actor.require(Capability.VIEW_REGISTERS)
    return list(
        covenant.memberships.filter(municipality=actor.municipality)
        .select_related("employer")
        .prefetch_related("escalation_steps")
        .order_by("status", "employer__name")
    )


@dataclass(frozen=True)
class EmployerKeyFigures:
    employers: int
    temp_agencies: int
    sna_certified_agencies: int
    with_proven_violation: int


def employer_key_figures(*, actor: Actor) -> EmployerKeyFigures:
    actor.require(Capability.VIEW_KEY_FIGURES)
    employers = Employer.objects.filter(municipality=actor.municipality)
    totals = employers.aggregate(
        employers=Count("id"),
        temp_agencies=Count("id", filter=Q(kind=EmployerKind.TEMP_AGENCY)),
        sna_certified_agencies=Count("id", filter=Q(kind=EmployerKind.TEMP_AGENCY, sna_certified=True)),
    )
    with_violation = employers.filter(violations__status=ViolationStatus.PROVEN).distinct().count()
    return EmployerKeyFigures(with_proven_violation=with_violation, **totals)


def covenant_candidates(*, actor: Actor, covenant: Covenant) -> QuerySet[Employer]:
    """Employers that are not an active member; the service still refuses those with proven violations."""
    actor.require(Capability.VIEW_REGISTERS)
    active = CovenantMembership.objects.filter(employer_id=OuterRef("pk"), covenant=covenant).exclude(
        status=MembershipStatus.TERMINATED
    )
    return Employer.objects.filter(municipality=actor.municipality).exclude(Exists(active)).order_by("name")


def escalation_step_get(*, actor: Actor, step_id: int) -> EscalationStep:
    actor.require(Capability.VIEW_REGISTERS)
    try:
        return EscalationStep.objects.select_related(
            "membership__covenant", "membership__employer", "violation"
        ).get(pk=step_id, municipality=actor.municipality)
    except EscalationStep.DoesNotExist:
        raise Http404("escalation step not found") from None


def employer_export(*, actor: Actor, filters: EmployerFilter, file_format: str) -> QuerySet[Employer]:
    employers = employer_list(actor=actor, filters=filters)
    audit.record_export(
        actor, model=Employer, count=employers.count(), file_format=file_format, filters=filters.__dict__
    )
    return employers


def employer_registry_check(*, actor: Actor, employer: Employer) -> EmployerRegistryCheck | None:
    """The latest KvK outcome. Register data like the employer's own name: no audit event, as elsewhere
    on the employer page (an eenmanszaak's registered name is the name the employer is registered by)."""
    actor.require(Capability.VIEW_REGISTERS)
    return EmployerRegistryCheck.objects.filter(employer=employer, municipality=actor.municipality).first()


def kvk_lookups_configured() -> bool:
    return configured_client() is not None


def employer_options(*, actor: Actor) -> QuerySet[Employer]:
    """Employers of the actor's municipality to choose from (a selection on the person page)."""
    actor.require(Capability.VIEW_REGISTERS)
    return Employer.objects.filter(municipality=actor.municipality).order_by("name", "pk")


def person_employment_get(*, actor: Actor, person: Person, employment_id: int) -> Employment:
    """One employment of this person in the actor's municipality; anything else is a 404."""
    actor.require(Capability.VIEW_PERSONAL_DATA)
    try:
        return Employment.objects.select_related("employer", "hirer").get(
            pk=employment_id, person=person, municipality=actor.municipality
        )
    except Employment.DoesNotExist:
        raise Http404("employment not found") from None


# Deliveries of employments (issue 12): bulk lookups for the importer. They return ids and keys only,
# nothing is shown, so nothing is audited; the importer's service writes the audit trail.


def employers_by_kvk(*, actor: Actor, kvk_numbers: Iterable[str]) -> dict[str, Employer]:
    """The municipality's employers with these KvK numbers, by number."""
    actor.require(Capability.DELIVER_DATA)
    numbers = sorted(set(kvk_numbers))
    found: dict[str, Employer] = {}
    for start in range(0, len(numbers), 5000):
        for employer in Employer.objects.filter(
            municipality=actor.municipality, kvk_number__in=numbers[start : start + 5000]
        ):
            found[employer.kvk_number] = employer
    return found


EmploymentKey = tuple[int, int, int | None, dt.date]


def employments_by_key(
    *, actor: Actor, person_ids: Iterable[int]
) -> dict[EmploymentKey, tuple[int, dt.date | None]]:
    """Existing employments of these people as (person, employer, hirer, start) → (id, end).

    When the register holds the same employment twice, the oldest record is the one a delivery closes.
    """
    actor.require(Capability.DELIVER_DATA)
    ids = sorted(set(person_ids))
    found: dict[EmploymentKey, tuple[int, dt.date | None]] = {}
    for start in range(0, len(ids), 5000):
        rows = (
            Employment.objects.filter(
                municipality=actor.municipality, person_id__in=ids[start : start + 5000]
            )
            .order_by("-pk")
            .values_list("pk", "person_id", "employer_id", "hirer_id", "starts_on", "ends_on")
        )
        for pk, person_id, employer_id, hirer_id, starts_on, ends_on in rows:
            found[(person_id, employer_id, hirer_id, starts_on)] = (pk, ends_on)
    return found


def active_covenant_membership(*, actor: Actor, employer: Employer) -> CovenantMembership | None:
    """The employer's membership that is not terminated (one at a time), with its covenant."""
    return (
        CovenantMembership.objects.filter(municipality=actor.municipality, employer=employer)
        .exclude(status=MembershipStatus.TERMINATED)
        .select_related("covenant")
        .first()
    )


# For the deliveries app (deliveries.selectors): employers and memberships it must not query itself.


def deliverer_options(*, actor: Actor) -> QuerySet[Employer]:
    """The employers, agencies and housing providers a delivery can be made for (the upload page)."""
    actor.require(Capability.DELIVER_DATA)
    return Employer.objects.filter(municipality=actor.municipality).order_by("name")


def employers_by_ids(*, actor: Actor, employer_ids: Iterable[int]) -> QuerySet[Employer]:
    """These employers of the actor's municipality, by name (another municipality's ids give none)."""
    actor.require(Capability.VIEW_REGISTERS)
    return Employer.objects.filter(
        municipality=actor.municipality, pk__in=sorted(set(employer_ids))
    ).order_by("name")


def covenant_active_memberships(*, actor: Actor, covenant: Covenant) -> list[CovenantMembership]:
    """The covenant's memberships that are not terminated, with their employers."""
    actor.require(Capability.VIEW_REGISTERS)
    return list(
        CovenantMembership.objects.filter(municipality=actor.municipality, covenant=covenant)
        .exclude(status=MembershipStatus.TERMINATED)
        .select_related("employer")
    )
