"""Reads of people and where they live. Every read of a person writes the audit trail here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.paginator import Page
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from ketenregie.core import audit
from ketenregie.core.actor import Actor
from ketenregie.core.paging import paginate_by_key
from ketenregie.core.permissions import Capability
from ketenregie.core.selectors import norms_for
from ketenregie.people import occupancy as occupancy_rules
from ketenregie.people.models import (
    AddressFunction,
    LabourMigrant,
    Person,
    RegistrationStatus,
    Residence,
    ResidenceVerification,
    VerificationStatus,
)
from ketenregie.people.registration import Candidate as Candidate
from ketenregie.people.registration import (  # matching a first-registration form, re-exported
    registration_candidates as registration_candidates,
)
from ketenregie.places.models import Address


def _today() -> dt.date:
    return timezone.localdate()


def living_on(on: dt.date) -> Q:
    """Residences of people who certainly live at the address on ``on`` (bewoners in the sense of the
    BRP Bewoning API, see ``people.occupancy``): a living address whose period [starts_on, ends_on)
    includes ``on`` and, when the start date is partly unknown, whose certain part has begun.

    ``people.occupancy`` stores the bounds on each Residence, so this plain range test counts the
    same people as the rules do, also for partly unknown dates. Possible residents (mogelijke
    bewoners) are not counted. One person is counted once: the certain periods of a person's
    holdings never overlap.
    """
    return (
        Q(address_function=AddressFunction.LIVING)
        & (Q(starts_on__isnull=True) | Q(starts_on__lte=on))
        & (Q(ends_on__isnull=True) | Q(ends_on__gt=on))
        & (Q(certain_from__isnull=True) | Q(certain_from__lte=on))
    )


def registered_count_subquery(*, on: dt.date | None = None) -> Subquery:
    """Per address (OuterRef pk): how many people have it as living address on ``on``.

    Counted per addressable object: a main address counts the people registered at its secondary
    addresses (nevenadressen) too. Address lists show main addresses only, so nobody counts twice.
    """
    counts = (
        Residence.objects.filter(living_on(on or _today()))
        .filter(Q(address_id=OuterRef("pk")) | Q(address__main_address_id=OuterRef("pk")))
        .order_by()
        .annotate(one=Value(1))
        .values("one")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Subquery(counts)


@dataclass(frozen=True)
class PersonFilter:
    search: str = ""
    nationality: str = ""
    registration_status: str = ""
    labour_migrant: bool | None = None


def _person_queryset(*, actor: Actor, filters: PersonFilter) -> QuerySet[Person]:
    actor.require(Capability.VIEW_PERSONAL_DATA)
    people = Person.objects.filter(municipality=actor.municipality)
    search = filters.search.strip()
    if search.isdigit() and len(search) == 9:
        people = people.filter(bsn=search)
    elif search:
        for word in search.split():
            people = people.filter(Q(surname__icontains=word) | Q(given_names__icontains=word))
    if filters.nationality:
        people = people.filter(nationality=filters.nationality.upper())
    if filters.registration_status:
        people = people.filter(registration_status=filters.registration_status)
    if filters.labour_migrant is not None:
        migrant = Exists(LabourMigrant.objects.filter(person_id=OuterRef("pk")))
        people = people.filter(migrant if filters.labour_migrant else ~migrant)
    return people.order_by("surname", "given_names", "pk")


def _with_current_address(people: QuerySet[Person]) -> QuerySet[Person]:
    current_address = Residence.objects.filter(living_on(_today()), person_id=OuterRef("pk")).order_by(
        "-starts_on"
    )
    return people.annotate(current_address_id=Subquery(current_address.values("address_id")[:1]))


@dataclass(frozen=True)
class PersonRow:
    person: Person
    current_address: Address | None


def person_page(
    *, actor: Actor, filters: PersonFilter, page_number: int | str | None, page_size: int = 25
) -> Page:
    """One page of people (as PersonRow); each person shown is recorded in the audit trail."""
    page = paginate_by_key(
        _person_queryset(actor=actor, filters=filters),
        page_number=page_number,
        per_page=page_size,
        load=_with_current_address,
    )
    people = list(page.object_list)
    address_ids = [getattr(p, "current_address_id", None) for p in people]
    addresses = Address.objects.in_bulk([pk for pk in address_ids if pk])
    rows: list[Any] = [
        PersonRow(person=person, current_address=addresses.get(address_id) if address_id else None)
        for person, address_id in zip(people, address_ids, strict=True)
    ]
    page.object_list = rows
    audit.record_views(actor, objects=people, context="person_list")
    return page


def person_export(*, actor: Actor, filters: PersonFilter, file_format: str) -> QuerySet[Person]:
    people = _person_queryset(actor=actor, filters=filters)
    audit.record_export(
        actor, model=Person, count=people.count(), file_format=file_format, filters=filters.__dict__
    )
    return people


def person_get(*, actor: Actor, person_id: int, context: str = "person_detail") -> Person:
    actor.require(Capability.VIEW_PERSONAL_DATA)
    try:
        person = Person.objects.select_related("labour_migrant", "labour_migrant__confirmed_by").get(
            pk=person_id, municipality=actor.municipality
        )
    except Person.DoesNotExist:
        raise Http404("person not found") from None
    audit.record_view(actor, obj=person, context=context)
    return person


def person_labour_migrant(*, actor: Actor, person: Person) -> LabourMigrant:
    """The profile of a person read with ``person_get`` (already audited); 404 when there is none."""
    actor.require(Capability.VIEW_PERSONAL_DATA)
    try:
        return LabourMigrant.objects.select_related("confirmed_by").get(
            person=person, municipality=actor.municipality
        )
    except LabourMigrant.DoesNotExist:
        raise Http404("no labour-migrant profile") from None


def person_residences(*, actor: Actor, person: Person) -> list[Residence]:
    """The residence history of a person the actor has already been allowed to see."""
    actor.require(Capability.VIEW_PERSONAL_DATA)
    return list(
        Residence.objects.filter(person=person, municipality=actor.municipality)
        .select_related("address")
        .order_by("-starts_on", "-pk")
    )


@dataclass
class ResidentRow:
    residence: Residence
    person: Person
    in_investigation: bool = False

    @property
    def is_labour_migrant(self) -> bool:
        return hasattr(self.person, "labour_migrant")


@dataclass
class AddressOccupancy:
    """Who lives at an address on a date (residents and possible residents, by the BRP Bewoning
    rules in ``people.occupancy``), who lived there before, who has it as postal address, and the
    floor area per resident."""

    on: dt.date
    registered_count: int = 0
    possible_count: int = 0
    names_visible: bool = False
    current: list[ResidentRow] = field(default_factory=list)
    possible: list[ResidentRow] = field(default_factory=list)
    former: list[ResidentRow] = field(default_factory=list)
    postal: list[ResidentRow] = field(default_factory=list)
    floor_area_m2: int | None = None
    norm_m2_per_person: Decimal = Decimal("12")

    @property
    def floor_area_per_person(self) -> Decimal | None:
        if self.floor_area_m2 is None or not self.registered_count:
            return None
        return (Decimal(self.floor_area_m2) / self.registered_count).quantize(Decimal("0.1"))

    @property
    def max_persons_by_norm(self) -> int | None:
        if self.floor_area_m2 is None:
            return None
        return int(Decimal(self.floor_area_m2) // self.norm_m2_per_person)

    @property
    def is_over_norm(self) -> bool | None:
        per_person = self.floor_area_per_person
        if per_person is None:
            return None if self.floor_area_m2 is None else False
        return per_person < self.norm_m2_per_person


def address_occupancy(*, actor: Actor, address: Address, on: dt.date | None = None) -> AddressOccupancy:
    """Who lives at an address. Roles that may see personal data get names (audited per person);
    other register roles get the counts and the floor area per person only.

    Residents and possible residents follow ``people.occupancy`` (the BRP Bewoning rules): the
    count of residents is the same number the address list shows.
    """
    actor.require(Capability.VIEW_REGISTERS)
    on = on or _today()
    norms = norms_for(actor.municipality)
    norm = norms.caravan_floor_area_per_person_m2 if address.is_caravan else norms.floor_area_per_person_m2
    occupancy = AddressOccupancy(
        on=on,
        floor_area_m2=address.floor_area_m2,
        norm_m2_per_person=norm,
        names_visible=actor.can(Capability.VIEW_PERSONAL_DATA),
    )
    if address.municipality_id != actor.municipality.pk:
        return occupancy
    stays = occupancy_rules.address_stays(
        municipality_id=actor.municipality.pk, address_ids=[address.pk], for_page=True
    )
    occupants = occupancy_rules.occupants_on(stays, on)
    occupancy.registered_count = sum(1 for o in occupants if o.state == occupancy_rules.State.CERTAIN)
    occupancy.possible_count = len(occupants) - occupancy.registered_count
    if not occupancy.names_visible:
        return occupancy
    present = {o.person_key for o in occupants}
    for occupant in occupants:
        residence = occupant.stays[0].residence
        row = ResidentRow(
            residence=residence, person=residence.person, in_investigation=occupant.in_investigation
        )
        (occupancy.current if occupant.state == occupancy_rules.State.CERTAIN else occupancy.possible).append(
            row
        )
    for stay in stays:
        start, end = stay.possible_window
        # Gone by ``on``; an empty window (an erased record) never made anyone a former resident.
        if stay.person_key not in present and start < end <= on:
            occupancy.former.append(ResidentRow(residence=stay.residence, person=stay.residence.person))
    postal = (
        Residence.objects.filter(
            address=address, municipality=actor.municipality, address_function=AddressFunction.POSTAL
        )
        .filter(Q(starts_on__isnull=True) | Q(starts_on__lte=on))
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=on))
        .select_related("person")
    )
    occupancy.postal = [ResidentRow(residence=r, person=r.person) for r in postal]
    for rows in (occupancy.current, occupancy.possible, occupancy.former, occupancy.postal):
        rows.sort(key=lambda row: (row.residence.starts_on or dt.date.min, row.residence.pk), reverse=True)
    people = {
        row.person.pk: row.person
        for rows in (occupancy.current, occupancy.possible, occupancy.former, occupancy.postal)
        for row in rows
    }
    audit.record_views(actor, objects=people.values(), context="address_residents")
    return occupancy


@dataclass(frozen=True)
class PeopleKeyFigures:
    registered_residents: int
    non_residents: int
    labour_migrants: int
    labour_migrants_by_nationality: list[tuple[str, int]]
    addresses_over_norm: int


def people_key_figures(*, actor: Actor) -> PeopleKeyFigures:
    """Counts only: no person is shown, so nothing is audited."""
    actor.require(Capability.VIEW_KEY_FIGURES)
    people = Person.objects.filter(municipality=actor.municipality)
    status = people.aggregate(
        residents=Count("id", filter=Q(registration_status=RegistrationStatus.RESIDENT)),
        non_residents=Count("id", filter=Q(registration_status=RegistrationStatus.NON_RESIDENT)),
    )
    migrants = LabourMigrant.objects.filter(municipality=actor.municipality)
    by_nationality = list(
        migrants.values("person__nationality")
        .annotate(n=Coalesce(Count("person_id"), 0))
        .order_by("-n", "person__nationality")
        .values_list("person__nationality", "n")[:6]
    )
    norm = norms_for(actor.municipality).floor_area_per_person_m2
    over_norm = (
        Residence.objects.filter(
            living_on(_today()), municipality=actor.municipality, address__floor_area_m2__isnull=False
        )
        .values("address_id", "address__floor_area_m2")
        .annotate(n=Count("id"))
        .filter(address__floor_area_m2__lt=F("n") * norm)
        .count()
    )
    return PeopleKeyFigures(
        addresses_over_norm=over_norm,
        registered_residents=status["residents"],
        non_residents=status["non_residents"],
        labour_migrants=migrants.count(),
        labour_migrants_by_nationality=by_nationality,
    )


# Used by the portal's self-service (issue 6).


def person_match(
    *, actor: Actor, given_names: str, surname: str, birth_date: dt.date, nationality: str
) -> Person | None:
    """The person with this name, date of birth and nationality, ignoring case, accents and spaces.

    The full surname is compared with prefix and surname together ('van Dijk'). When several match,
    the oldest record wins. Nothing is audited: the caller (self-service) does not show the person.
    """
    from ketenregie.core.text import normalise_name

    actor.require(Capability.VIEW_PERSONAL_DATA)
    wanted_given, wanted_surname = normalise_name(given_names), normalise_name(surname)
    # Names are compared in Python: 'Wiśniewska' and 'Wisniewska' are one name, which no index knows.
    # Date of birth and nationality narrow the candidates to a handful first.
    candidates = Person.objects.filter(
        municipality=actor.municipality, birth_date=birth_date, nationality=nationality
    ).order_by("pk")
    for person in candidates:
        full_surname = f"{person.surname_prefix} {person.surname}".strip()
        same_given = normalise_name(person.given_names) == wanted_given
        if same_given and normalise_name(full_surname) == wanted_surname:
            return person
    return None


def current_residence(*, actor: Actor, person: Person) -> Residence | None:
    """The person's open living address (no end date), if any."""
    actor.require(Capability.VIEW_PERSONAL_DATA)
    return (
        Residence.objects.filter(
            person=person,
            municipality=actor.municipality,
            address_function=AddressFunction.LIVING,
            ends_on__isnull=True,
        )
        .order_by("-starts_on", "-pk")
        .first()
    )


def registered_count(*, actor: Actor, address: Address, on: dt.date) -> int:
    """How many people have ``address`` as their living address on ``on`` (a count, not audited)."""
    actor.require(Capability.VIEW_REGISTERS)
    return Residence.objects.filter(living_on(on), address=address, municipality=actor.municipality).count()


def residence_get(*, actor: Actor, person: Person, residence_id: int) -> Residence:
    """One residence of a person the actor has already been allowed to see; another's is a 404."""
    actor.require(Capability.VIEW_PERSONAL_DATA)
    residence = (
        Residence.objects.filter(pk=residence_id, person=person, municipality=actor.municipality)
        .select_related("address")
        .first()
    )
    if residence is None:
        raise Http404("residence not found")
    return residence


def residence_verifications(
    *, actor: Actor, residences: list[Residence]
) -> dict[int, list[ResidenceVerification]]:
    """The verification history of residences the actor already sees, oldest step first, per residence."""
    actor.require(Capability.VIEW_PERSONAL_DATA)
    history: dict[int, list[ResidenceVerification]] = {r.pk: [] for r in residences}
    steps = ResidenceVerification.objects.filter(
        residence_id__in=list(history), municipality=actor.municipality
    ).order_by("at", "pk")
    for step in steps:
        history[step.residence_id].append(step)
    return history


def person_ids_by_bsn(*, actor: Actor, bsns: list[str]) -> dict[str, int]:
    """Which of these BSNs are in the register, and as whom (ids only: nothing is shown, so nothing is
    audited). For delivery importers, whose deliverers may write but not read the register."""
    actor.require(Capability.DELIVER_DATA)
    wanted = sorted(set(bsns))
    found: dict[str, int] = {}
    for start in range(0, len(wanted), 5000):
        rows = (
            Person.objects.filter(municipality=actor.municipality, bsn__in=wanted[start : start + 5000])
            .order_by("-pk")
            .values_list("bsn", "pk")
        )
        # The oldest record wins when a BSN is held twice (an RNI record beside a BRP one).
        found.update(dict(rows))
    return found


# For other apps that compare people with what was delivered (housing.occupants, deliveries.services).


def living_sources_at(*, actor: Actor, address_ids: Iterable[int], on: dt.date) -> dict[int, list[str]]:
    """Who lives at these addresses on ``on``, as person id → the sources (ResidenceSource values) of
    their living residences there. Ids only, so nothing is audited: the caller that shows a person
    reads them through ``people_shown``. A stay address found to be wrong (rejected) no longer says
    anyone lives there."""
    actor.require(Capability.VIEW_REGISTERS)
    sources: dict[int, list[str]] = {}
    rows = (
        Residence.objects.filter(
            living_on(on), municipality=actor.municipality, address_id__in=list(address_ids)
        )
        .exclude(verification_status=VerificationStatus.REJECTED)
        .values_list("person_id", "source")
    )
    for person_id, source in rows:
        known = sources.setdefault(person_id, [])
        if source not in known:
            known.append(source)
    return sources


def people_shown(*, actor: Actor, person_ids: Iterable[int], context: str) -> dict[int, Person]:
    """These people of the actor's municipality by id, each recorded in the audit trail as viewed."""
    actor.require(Capability.VIEW_PERSONAL_DATA)
    people = Person.objects.filter(municipality=actor.municipality, pk__in=sorted(set(person_ids))).in_bulk()
    audit.record_views(actor, objects=list(people.values()), context=context)
    return people


def bsn_in_register(*, actor: Actor, bsn: str) -> bool:
    """Whether someone in the actor's municipality has this BSN: for a write that would register a new
    person with it (a review decided as "new person")."""
    actor.require(Capability.EDIT_PEOPLE)
    return bool(bsn) and Person.objects.filter(municipality=actor.municipality, bsn=bsn).exists()
