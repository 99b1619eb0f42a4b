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
    REGISTER_SOURCES,
    AddressFunction,
    LabourMigrant,
    Person,
    RegistrationStatus,
    Residence,
    ResidenceVerification,
)
from ketenregie.people.models import VerificationMethod as VerificationMethod  # for other apps' forms
from ketenregie.people.models import VerificationStatus as VerificationStatus
from ketenregie.people.registration import Candidate as Candidate
from ketenregie.people.registration import (  # matching a first-registration form, re-exported
    registration_candidates as registration_candidates,
)
from ketenregie.people.verification import next_statuses
from ketenregie.places.models import Address


def _today() -> dt.date:
    return timezone.localdate()


def living_on(on: dt.date) -> Q:
    """Residences that certainly run on ``on`` as a living address: a period [starts_on, ends_on)
    that includes ``on`` and, when the start date is partly unknown, whose certain part has begun
    (bewoners in the sense of the BRP Bewoning API, see ``people.occupancy``).

    This is the period test only. A person can have several such residences on one day: the BRP's
    address and one or more stay addresses delivered by partners (``people.delivered``). Counts of
    where people live use ``lives_on``, which picks one of them; ``registered_on`` is the BRP's view.
    """
    return (
        Q(address_function=AddressFunction.LIVING)
        & (Q(starts_on__isnull=True) | Q(starts_on__lte=on))
        & (Q(ends_on__isnull=True) | Q(ends_on__gt=on))
        & (Q(certain_from__isnull=True) | Q(certain_from__lte=on))
    )


def registered_on(on: dt.date) -> Q:
    """The BRP's own facts: residences from the registers (BRP, RNI) that run on ``on``. For answers
    in the BRP's terms (the Bewoning API, "registered in the BRP" on an inspection finding), never a
    delivered stay address. A register residence is counted whatever its verification status: it is
    what the BRP says."""
    return living_on(on) & Q(source__in=REGISTER_SOURCES)


def _later_start_or_id() -> Q:
    """A residence that starts later than the outer one, or on the same day (or both unknown) with a
    higher id. An unknown start is the earliest."""
    outer_start = Coalesce(OuterRef("starts_on"), Value(dt.date.min))
    return Q(start_key__gt=outer_start) | (Q(start_key=outer_start) & Q(pk__gt=OuterRef("pk")))


def lives_on(on: dt.date) -> Q:
    """THE rule for where a person lives on ``on``; every count of where people live uses it.

    Among the person's living residences that run on ``on`` (``living_on``) and are not rejected by
    verification, a stay address (a non-register source: employer, agency, housing provider,
    information point, self-service, inspection) takes precedence over the register's (BRP, RNI)
    address; among several of the same kind the latest start wins, then the highest id. So exactly
    one residence per person per day qualifies: a person is counted once, also when two current
    residences point at the same address. ``Residence.precedence`` and ``people.models.where_lives``
    are the Python twin.

    Usable in any Residence filter, also inside an aggregate subquery: the exclusion is a NOT EXISTS
    on the same person, an index lookup on residence_person_start (person, starts_on) per row.
    """
    contenders = (
        Residence.objects.filter(living_on(on), person_id=OuterRef("person_id"))
        .exclude(verification_status=VerificationStatus.REJECTED)
        .alias(start_key=Coalesce("starts_on", Value(dt.date.min)))
    )
    is_register = Q(source__in=REGISTER_SOURCES)
    later = _later_start_or_id()
    outranks_stay = contenders.filter(~is_register & later)
    outranks_register = contenders.filter(~is_register | (is_register & later))
    return (
        living_on(on)
        & ~Q(verification_status=VerificationStatus.REJECTED)
        & ((~is_register & ~Exists(outranks_stay)) | (is_register & ~Exists(outranks_register)))
    )


def objects_over_norm(*, municipality_id: int, on: dt.date, norm: Any) -> QuerySet[Any, Any]:
    """Addressable objects where more people live (``lives_on``) than the floor area allows, as rows of
    ``object_id``, ``area``, ``neighbourhood_id`` and ``n``. People at a secondary address (nevenadres)
    live in the object of its main address, which holds the floor area: the same grouping as the lists'
    ``registered_count_subquery`` and the risk export."""
    main = "address__main_address__"
    return (
        Residence.objects.filter(lives_on(on), municipality_id=municipality_id)
        .annotate(
            object_id=Coalesce(f"{main}id", "address_id"),
            area=Coalesce(f"{main}floor_area_m2", "address__floor_area_m2"),
            neighbourhood_id=Coalesce(f"{main}neighbourhood_id", "address__neighbourhood_id"),
        )
        .filter(area__isnull=False)
        .values("object_id", "area", "neighbourhood_id")
        .annotate(n=Count("id"))
        .filter(area__lt=F("n") * norm)
    )


def registered_count_subquery(*, on: dt.date | None = None, register_only: bool = False) -> Subquery:
    """Per address (OuterRef pk): how many people live there on ``on`` by ``lives_on`` (the BRP's
    address or a stay address, each person once); ``register_only`` counts the BRP's registrations
    (``registered_on``) instead.

    Counted per addressable object: a main address counts the people at its secondary addresses
    (nevenadressen) too. Address lists show main addresses only, so nobody counts twice.
    """
    day = on or _today()
    counts = (
        Residence.objects.filter(registered_on(day) if register_only else lives_on(day))
        .filter(Q(address_id=OuterRef("pk")) | Q(address__main_address_id=OuterRef("pk")))
        .order_by()
        .annotate(one=Value(1))
        .values("one")
        .annotate(n=Count("person_id", distinct=True))
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
    current_address = Residence.objects.filter(lives_on(_today()), person_id=OuterRef("pk"))
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
    # Living here by ``lives_on``: the BRP's address or a stay address, each person counted once.
    registered_count: int = 0
    # Registered here by the BRP itself (``registered_on``), whether or not they live here by the rule.
    brp_registered_count: int = 0
    possible_count: int = 0
    names_visible: bool = False
    current: list[ResidentRow] = field(default_factory=list)
    # Certainly here by a residence, yet counted at another address (a stay address there takes
    # precedence) or not at all (the stay address here was rejected).
    counted_elsewhere: list[ResidentRow] = field(default_factory=list)
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

    Residents and possible residents follow ``people.occupancy`` (the BRP Bewoning rules) over the
    living residences of every source; of the certain residents, those who live here by ``lives_on``
    are counted (the same number the address list shows), the others are listed as counted elsewhere.
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
    # The addressable object as the lists count it: the address with its secondary addresses.
    object_ids = [address.pk, *Address.objects.filter(main_address=address).values_list("pk", flat=True)]
    stays = occupancy_rules.address_stays(
        municipality_id=actor.municipality.pk, address_ids=object_ids, for_page=True
    )
    occupants = occupancy_rules.occupants_on(stays, on)
    here = Residence.objects.filter(address_id__in=object_ids, municipality=actor.municipality)
    counted: dict[Any, int] = dict(here.filter(lives_on(on)).values_list("person_id", "pk"))
    certain = [o for o in occupants if o.state == occupancy_rules.State.CERTAIN]
    occupancy.registered_count = sum(1 for o in certain if o.person_key in counted)
    occupancy.brp_registered_count = here.filter(registered_on(on)).values("person_id").distinct().count()
    occupancy.possible_count = len(occupants) - len(certain)
    if not occupancy.names_visible:
        return occupancy
    present = {o.person_key for o in occupants}
    for occupant in occupants:
        # The residence that counts, when one at this address does; otherwise the first one here.
        residence = next(
            (s.residence for s in occupant.stays if s.residence.pk == counted.get(occupant.person_key)),
            occupant.stays[0].residence,
        )
        row = ResidentRow(
            residence=residence, person=residence.person, in_investigation=occupant.in_investigation
        )
        if occupant.state != occupancy_rules.State.CERTAIN:
            occupancy.possible.append(row)
        elif occupant.person_key in counted:
            occupancy.current.append(row)
        else:
            occupancy.counted_elsewhere.append(row)
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
    for rows in (
        occupancy.current,
        occupancy.counted_elsewhere,
        occupancy.possible,
        occupancy.former,
        occupancy.postal,
    ):
        rows.sort(key=lambda row: (row.residence.starts_on or dt.date.min, row.residence.pk), reverse=True)
    people = {
        row.person.pk: row.person
        for rows in (
            occupancy.current,
            occupancy.counted_elsewhere,
            occupancy.possible,
            occupancy.former,
            occupancy.postal,
        )
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
    over_norm = objects_over_norm(municipality_id=actor.municipality.pk, on=_today(), norm=norm).count()
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
    """How many people live at ``address`` on ``on`` by ``lives_on`` (the BRP's address or a stay
    address, each person once; a count, not audited), per addressable object as
    ``registered_count_subquery`` counts: with the people at its secondary addresses."""
    actor.require(Capability.VIEW_REGISTERS)
    return (
        Residence.objects.filter(lives_on(on), municipality=actor.municipality)
        .filter(Q(address=address) | Q(address__main_address=address))
        .count()
    )


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


VERDICTS = frozenset({VerificationStatus.VERIFIED, VerificationStatus.REJECTED})


def residence_open_to_verdict(residence: Residence) -> bool:
    """Whether the residence may be verified or rejected outright now: one already verified or rejected is
    disputed first (``people.verification``), so no verdict is offered on it."""
    return bool(VERDICTS & set(next_statuses(residence.verification_status)))


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


@dataclass(frozen=True)
class ResidentsAt:
    """Who is at a set of addresses on a day, as ids (nothing shown, so nothing audited: a caller that
    shows a person reads them through ``people_shown``)."""

    # Living here by ``lives_on`` (the BRP's address or a stay address, each person once), with the
    # sources (ResidenceSource values) of their residences here.
    living: dict[int, list[str]]
    # Registered here by the BRP itself (``registered_on``), whether or not they live here by the rule.
    registered: frozenset[int]


def residents_at(*, actor: Actor, address_ids: Iterable[int], on: dt.date) -> ResidentsAt:
    """The residents of these addresses (and of their secondary addresses) on ``on``."""
    actor.require(Capability.VIEW_REGISTERS)
    ids = list(address_ids)
    here = Residence.objects.filter(municipality=actor.municipality).filter(
        Q(address_id__in=ids) | Q(address__main_address_id__in=ids)
    )
    living_ids = set(here.filter(lives_on(on)).values_list("person_id", flat=True))
    sources: dict[int, list[str]] = {person_id: [] for person_id in living_ids}
    rows = (
        here.filter(living_on(on), person_id__in=sorted(living_ids))
        .exclude(verification_status=VerificationStatus.REJECTED)
        .values_list("person_id", "source")
    )
    for person_id, source in rows:
        if source not in sources[person_id]:
            sources[person_id].append(source)
    registered = frozenset(here.filter(registered_on(on)).values_list("person_id", flat=True))
    return ResidentsAt(living=sources, registered=registered)


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
