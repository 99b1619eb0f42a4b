"""Reads of cases. Every read goes through ``access.visible_cases`` / ``access.case_access``, so a partner
sees only its own cases and, within them, only its agreement's data categories. Identities of persons,
reporters' contact details and photos are recorded in the audit trail when shown."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.paginator import Page
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ketenregie.cases import history
from ketenregie.cases.access import CaseAccess, case_access, require_case_access, visible_cases
from ketenregie.cases.models import (
    OPEN_CASE_STATUSES,
    Case,
    CaseAddress,
    CaseAttachment,
    CaseEvent,
    CaseKind,
    CaseParticipant,
    CaseStatus,
    DataSharingAgreement,
    Finding,
    FirstRegistrationForm,
    Handover,
    Measure,
    MeasureKind,
    RecordKind,
    RecordVersion,
    RegistrationFormStatus,
)
from ketenregie.core import audit, retention
from ketenregie.core.actor import Actor
from ketenregie.core.models import Municipality, Organisation, OrganisationKind, User
from ketenregie.core.paging import paginate_by_key
from ketenregie.core.permissions import Capability, roles_with
from ketenregie.core.selectors import norms_for, organisations, users_with
from ketenregie.core.validators import parse_id
from ketenregie.places.models import Address
from ketenregie.places.selectors import with_registered_count
from ketenregie.signals.models import Signal
from ketenregie.signals.selectors import REPORTER_FIELDS


@dataclass(frozen=True)
class CaseFilter:
    kind: str = ""
    status: str = ""
    search: str = ""
    opened_from: dt.date | None = None
    opened_until: dt.date | None = None
    only_open: bool = False


def case_keys(*, actor: Actor, filters: CaseFilter) -> QuerySet[Case]:
    cases = visible_cases(actor)
    if filters.kind:
        cases = cases.filter(kind=filters.kind)
    if filters.status:
        cases = cases.filter(status=filters.status)
    elif filters.only_open:
        cases = cases.filter(status__in=OPEN_CASE_STATUSES)
    if filters.opened_from:
        cases = cases.filter(opened_on__gte=filters.opened_from)
    if filters.opened_until:
        cases = cases.filter(opened_on__lte=filters.opened_until)
    search = filters.search.strip()
    if search:
        digits = search.upper().removeprefix("Z-").split("-")[-1].lstrip("0")
        number = parse_id(digits)
        cases = cases.filter(pk=number) if number is not None else cases.filter(title__icontains=search)
    return cases.order_by("-opened_on", "-id")


def load_case_rows(cases: QuerySet[Case]) -> QuerySet[Case]:
    """What a list row shows beyond the case itself; applied to one page of keys only."""
    return _load_rows(cases)


def _load_rows(cases: QuerySet[Case]) -> QuerySet[Case]:
    return cases.select_related("owner", "assigned_to").annotate(
        address_count=Count("case_addresses", distinct=True)
    )


def case_page(*, actor: Actor, filters: CaseFilter, page_number: Any, per_page: int = 25) -> Page:
    return paginate_by_key(
        case_keys(actor=actor, filters=filters), page_number=page_number, per_page=per_page, load=_load_rows
    )


def case_list(*, actor: Actor, filters: CaseFilter) -> QuerySet[Case]:
    return _load_rows(case_keys(actor=actor, filters=filters))


def case_export(*, actor: Actor, filters: CaseFilter, file_format: str) -> QuerySet[Case]:
    cases = case_keys(actor=actor, filters=filters)
    audit.record_export(
        actor, model=Case, count=cases.count(), file_format=file_format, filters=asdict(filters)
    )
    return cases.select_related("owner")


@dataclass(frozen=True)
class BoardColumn:
    status: str
    label: str
    count: int
    cases: list[Case]


BOARD_STATUSES = (*OPEN_CASE_STATUSES, CaseStatus.CLOSED)
# The board is about work in hand: its last column shows the cases closed in the recent past.
RECENTLY_CLOSED_DAYS = 30


def case_board(*, actor: Actor, kind: str = "", per_column: int = 15) -> list[BoardColumn]:
    """The case board: a column per status with its count and the most recent cases in it."""
    cases = visible_cases(actor)
    if kind:
        cases = cases.filter(kind=kind)
    since = timezone.localdate() - dt.timedelta(days=RECENTLY_CLOSED_DAYS)
    recently_closed = Q(status=CaseStatus.CLOSED, closed_on__gte=since)
    on_board = cases.filter(Q(status__in=OPEN_CASE_STATUSES) | recently_closed)
    counts = dict(on_board.order_by().values_list("status").annotate(n=Count("id")))
    columns = []
    for status in BOARD_STATUSES:
        column = cases.filter(recently_closed) if status == CaseStatus.CLOSED else cases.filter(status=status)
        order = ("-closed_on", "-id") if status == CaseStatus.CLOSED else ("-opened_on", "-id")
        top = list(column.select_related("assigned_to").order_by(*order)[:per_column])
        label = (
            _("closed in the last %(days)d days") % {"days": RECENTLY_CLOSED_DAYS}
            if status == CaseStatus.CLOSED
            else str(CaseStatus(status).label)
        )
        columns.append(BoardColumn(status=status, label=str(label), count=counts.get(status, 0), cases=top))
    return columns


def case_get(*, actor: Actor, case_id: int) -> tuple[Case, CaseAccess]:
    require_case_access(actor)
    try:
        case = Case.objects.select_related("owner", "assigned_to").get(
            pk=case_id, municipality=actor.municipality
        )
    except Case.DoesNotExist:
        raise Http404("case not found") from None
    return case, case_access(actor, case)


def case_participants(*, actor: Actor, access: CaseAccess) -> list[CaseParticipant]:
    return list(
        access.case.participants.select_related("organisation", "agreement").order_by(
            "role", "organisation__name"
        )
    )


def case_addresses(*, actor: Actor, access: CaseAccess) -> list[CaseAddress]:
    """The route: addresses in order, with floor area and how many people are registered (a count)."""
    stops = list(
        access.case.case_addresses.select_related("address__neighbourhood").order_by("position", "id")
    )
    counted = with_registered_count(Address.objects.filter(pk__in=[s.address_id for s in stops]))
    counts = {address.pk: getattr(address, "registered_persons", 0) for address in counted.only("pk")}
    norms = norms_for(actor.municipality)
    for stop in stops:
        stop.registered_persons = counts.get(stop.address_id, 0)  # type: ignore[attr-defined]
        area, address = stop.address.floor_area_m2, stop.address
        norm = (
            norms.caravan_floor_area_per_person_m2 if address.is_caravan else norms.floor_area_per_person_m2
        )
        stop.max_persons = int(area // norm) if area else None  # type: ignore[attr-defined]
    return stops


def case_team(*, actor: Actor, access: CaseAccess) -> list[Any]:
    return list(access.case.team.order_by("last_name", "username"))


def case_signals(*, actor: Actor, access: CaseAccess) -> list[Signal]:
    """The meldingen of the case. Their text can name people, so a partner's reading is recorded."""
    if not access.sees_signals:
        return []
    signals = list(
        access.case.signals.select_related("category__parent", "address")
        .defer(*REPORTER_FIELDS)
        .order_by("received_at")
    )
    if not access.manages:
        audit.record_views(actor, objects=signals, context="case_signals")
    return signals


@dataclass(frozen=True)
class SignalReporter:
    signal: Signal
    name: str
    email: str
    phone: str


def case_signal_reporters(*, actor: Actor, access: CaseAccess) -> list[SignalReporter]:
    """Reporters' contact details: only under an agreement that lists them; every read is recorded."""
    if not access.sees_reporter:
        return []
    if access.manages:
        actor.require(Capability.VIEW_SIGNAL_REPORTERS)
    rows = [
        SignalReporter(signal=s, name=s.reporter_name, email=s.reporter_email, phone=s.reporter_phone)
        for s in access.case.signals.exclude(reporter_name="", reporter_email="", reporter_phone="")
    ]
    audit.record_views(actor, objects=[r.signal for r in rows], context="case_reporters")
    return rows


@dataclass(frozen=True)
class EarlierVersion:
    """One change of a record, for the case page: who changed it when, and what it said before."""

    version: int
    changed_at: dt.datetime
    changed_by: str
    organisation: str
    earlier: str


def _with_history(access: CaseAccess, kind: str, records: list[Any]) -> list[Any]:
    """Give each record its ``earlier_versions`` (newest first), only of a category the reader sees."""
    if not access.sees(history.CATEGORY_OF[kind]) or not records:
        return records
    kept: dict[int, list[RecordVersion]] = {}
    for version in RecordVersion.objects.filter(
        case=access.case, record_kind=kind, record_id__in=[r.pk for r in records]
    ).order_by("-version"):
        kept.setdefault(version.record_id, []).append(version)
    for record in records:
        record.earlier_versions = [
            EarlierVersion(
                version=v.version,
                changed_at=v.changed_at,
                changed_by=v.changed_by_name,
                organisation=v.changed_by_organisation,
                earlier=history.earlier_values(record, v),
            )
            for v in kept.get(record.pk, [])
        ]
    return records


def case_findings(*, actor: Actor, access: CaseAccess) -> list[Finding]:
    """The findings, each with its earlier versions."""
    if not access.sees_findings:
        return []
    findings = list(
        access.case.findings.select_related("address", "recorded_by_organisation")
        .annotate(form_count=Count("registration_forms"))
        .order_by("-found_on", "-id")
    )
    return _with_history(access, RecordKind.FINDING, findings)


def finding_get(*, actor: Actor, access: CaseAccess, finding_id: int) -> Finding:
    if not access.sees_findings:
        raise Http404("finding not found")
    try:
        return access.case.findings.select_related("address", "case").get(pk=finding_id)
    except Finding.DoesNotExist:
        raise Http404("finding not found") from None


def case_registration_forms(*, actor: Actor, access: CaseAccess) -> list[FirstRegistrationForm]:
    """First-registration forms name people: shown only with the persons category, and recorded."""
    if not access.sees_persons:
        return []
    forms = list(access.case.registration_forms.select_related("address").order_by("drawn_up_on", "id"))
    audit.record_views(actor, objects=forms, context="case_registration_forms")
    return forms


def case_measures(*, actor: Actor, access: CaseAccess) -> list[Measure]:
    if not access.sees_measures:
        return []
    measures = list(access.case.measures.select_related("address", "handed_to").order_by("-issued_on", "-id"))
    return _with_history(access, RecordKind.MEASURE, measures)


def case_attachments(*, actor: Actor, access: CaseAccess) -> list[CaseAttachment]:
    if not access.sees_attachments:
        return []
    return list(access.case.attachments.select_related("finding__address", "uploaded_by_organisation"))


def case_attachment_get(*, actor: Actor, access: CaseAccess, attachment_id: int) -> CaseAttachment:
    if not access.sees_attachments:
        raise Http404("attachment not found")
    try:
        attachment = access.case.attachments.get(pk=attachment_id)
    except CaseAttachment.DoesNotExist:
        raise Http404("attachment not found") from None
    audit.record_view(actor, obj=attachment, context="case_attachment")
    return attachment


def case_timeline(*, actor: Actor, access: CaseAccess, limit: int = 200) -> list[CaseEvent]:
    """The timeline, without the lines about data categories the reader may not see."""
    events = access.case.events.all()
    if not access.manages:
        events = events.filter(data_category__in=["", *access.categories])
    return list(events.order_by("-occurred_at", "-id")[:limit])


def case_handovers(*, actor: Actor, access: CaseAccess) -> list[Handover]:
    """Hand-overs: the owner sees all; a partner sees those made to its own organisation."""
    handovers = access.case.handovers.select_related("to_organisation", "agreement", "handed_over_by")
    if not access.manages:
        handovers = handovers.filter(to_organisation_id=actor.organisation.pk if actor.organisation else 0)
    return list(handovers)


def handover_get(*, actor: Actor, access: CaseAccess, handover_id: int) -> Handover:
    """A dossier to download: the owner with the hand-over capability, or the recipient organisation."""
    handover = next((h for h in case_handovers(actor=actor, access=access) if h.pk == handover_id), None)
    if handover is None or (access.manages and not actor.can(Capability.HAND_OVER_CASES)):
        raise Http404("hand-over not found")
    audit.record_export(
        actor,
        model=Case,
        count=1,
        file_format="zip",
        filters={"case": access.case.pk, "handover": handover.pk, "download": True},
    )
    return handover


def cases_for_signal(*, actor: Actor, signal: Signal) -> list[Case]:
    return list(visible_cases(actor).filter(signals=signal).order_by("-opened_on"))


def recent_visits(*, actor: Actor, address_id: int, limit: int = 10) -> list[Case]:
    return list(
        visible_cases(actor).filter(case_addresses__address_id=address_id).order_by("-opened_on")[:limit]
    )


def registration_forms_to_process(*, actor: Actor, status: str = RegistrationFormStatus.DRAWN_UP) -> Page:
    """Civil affairs' work list: forms drawn up in cases, waiting to be processed in the BRP (audited)."""
    actor.require(Capability.PROCESS_FIRST_REGISTRATIONS)
    actor.require(Capability.VIEW_PERSONAL_DATA)
    forms = FirstRegistrationForm.objects.filter(municipality=actor.municipality)
    if status in RegistrationFormStatus.values:
        forms = forms.filter(status=status)
    from django.core.paginator import Paginator

    page = Paginator(forms.select_related("address", "case").order_by("drawn_up_on", "id"), 50).get_page(1)
    audit.record_views(actor, objects=list(page.object_list), context="registration_forms")
    return page


def registration_form_get(*, actor: Actor, form_id: int) -> FirstRegistrationForm:
    actor.require(Capability.PROCESS_FIRST_REGISTRATIONS)
    try:
        form = FirstRegistrationForm.objects.select_related("case", "address").get(
            pk=form_id, municipality=actor.municipality
        )
    except FirstRegistrationForm.DoesNotExist:
        raise Http404("form not found") from None
    audit.record_view(actor, obj=form, context="registration_form")
    return form


def agreements(*, actor: Actor) -> list[DataSharingAgreement]:
    actor.require(Capability.VIEW_AGREEMENTS)
    return list(
        DataSharingAgreement.objects.filter(municipality=actor.municipality)
        .prefetch_related("parties")
        .annotate(case_count=Count("participations", distinct=True))
        .order_by("-valid_from", "name")
    )


def partner_organisations(*, actor: Actor, case: Case) -> list[Any]:
    """Organisations that could be invited: not yet taking part."""
    taking_part = case.participants.values_list("organisation_id", flat=True)
    return list(
        Organisation.objects.filter(municipality=actor.municipality, is_active=True)
        .exclude(pk__in=taking_part)
        .order_by("kind", "name")
    )


def handover_recipients(*, actor: Actor) -> QuerySet[Organisation]:
    """Who a case may be handed over to: another organisation, never a municipal department (the service
    refuses those, see services.handover.handover_create)."""
    return organisations(actor=actor, exclude_kinds=[OrganisationKind.MUNICIPAL_DEPARTMENT])


UNKNOWN_ASSIGNEE = gettext_lazy("Unknown or not permitted staff member.")


def assignable_users(*, actor: Actor) -> QuerySet[User]:
    """Who may be a case officer here: users with a role that manages cases in the actor's municipality."""
    return users_with(actor=actor, capability=Capability.MANAGE_CASES)


def team_candidates(*, case: Case) -> QuerySet[User]:
    """Who may go along on the case's visits: an active member of a participating organisation, in a role
    that records findings (never the council, the privacy officer or the information point)."""
    return (
        User.objects.filter(
            is_active=True,
            memberships__is_active=True,
            memberships__organisation__in=case.participants.values("organisation_id"),
            memberships__role__in=roles_with(Capability.RECORD_FINDINGS),
        )
        .distinct()
        .order_by("last_name", "username")
    )


def assignee_get(*, actor: Actor, user_id: object) -> User:
    """The user an assignment names, checked against tenant and capability. The error is the same for
    every refusal, so it never tells whether (or whom) an id names elsewhere."""
    pk = parse_id(user_id)
    user = assignable_users(actor=actor).filter(pk=pk).first() if pk is not None else None
    if user is None:
        raise ValidationError(UNKNOWN_ASSIGNEE, code="unknown_assignee")
    return user


def case_stop_address(*, access: CaseAccess, address_id: object) -> Address | None:
    """An address of the case's route, or None: a finding or measure is about an address of the case."""
    pk = parse_id(address_id)
    if pk is None:
        return None
    stop = access.case.case_addresses.select_related("address").filter(address_id=pk).first()
    return stop.address if stop is not None else None


@dataclass(frozen=True)
class CaseKeyFigures:
    open_cases: int
    integral_controls: int
    house_visits: int
    with_violation: int


def case_key_figures(*, actor: Actor, year: int) -> CaseKeyFigures:
    """Counts for one year (no personal data)."""
    require_case_access(actor)
    cases = visible_cases(actor)
    findings = Finding.objects.filter(case__in=cases, found_on__year=year)
    return CaseKeyFigures(
        open_cases=cases.filter(status__in=OPEN_CASE_STATUSES).count(),
        integral_controls=cases.filter(kind=CaseKind.INTEGRAL_CONTROL, opened_on__year=year).count(),
        house_visits=findings.filter(~Q(no_access=True)).count(),
        with_violation=findings.filter(violation_found=True).values("address_id").distinct().count(),
    )


def case_zgw(*, actor: Actor, case: Case) -> dict[str, Any]:
    """The case as the ZGW bodies a push sends (cases/zgw_push.py); handing them out is an export in the
    audit trail. Without a (valid) ZGW_RSIN there is no export: a ValidationError says so."""
    from django.core.exceptions import ValidationError

    from ketenregie.cases.zgw_client import ZgwError
    from ketenregie.cases.zgw_push import case_export

    try:
        return case_export(actor=actor, case=case)
    except ZgwError as error:
        raise ValidationError(error.describe(), code="zgw_not_configured") from None


# --- retention ----------------------------------------------------------------------------------------
# The retention purge asks these which records of cases are due; ``held`` is a subquery of the ids of
# cases under a legal hold, which keep everything of theirs. Records of a case removed whole are not
# counted again under their own kind.

# A sanction is a decision with legal effect on the offender: a penalty order or an administrative fine.
SANCTION_KINDS = (MeasureKind.PENALTY_ORDER, MeasureKind.FINE)


def case_by_reference(*, municipality: Municipality, reference: str) -> Case:
    """A case of the municipality by its reference (Z-2024-000123) or bare number."""
    text = reference.strip().upper()
    number = text.rsplit("-", 1)[-1] if text.startswith("Z-") else text
    case_id = parse_id(number)
    case = Case.objects.filter(municipality=municipality, pk=case_id).first() if case_id else None
    if case is None or (text.startswith("Z-") and case.reference != text):
        raise Http404(_("There is no case with this reference."))
    return case


def case_references(*, municipality: Municipality, ids: list[int]) -> list[str]:
    """The references of cases, sorted: numbers that name a case without saying anything about it."""
    cases = Case.objects.filter(municipality=municipality, pk__in=ids).only("pk", "opened_on")
    return sorted(case.reference for case in cases)


def retention_due_cases(
    *,
    municipality: Municipality,
    closed_on_or_before: dt.date,
    sanctioned: bool,
    held: QuerySet[Any],
) -> QuerySet[Case]:
    """Closed cases, with or without a sanction, closed on or before the date and not held."""
    sanction = Measure.objects.filter(case=OuterRef("pk"), kind__in=SANCTION_KINDS)
    due = Case.objects.filter(
        municipality=municipality, status=CaseStatus.CLOSED, closed_on__lte=closed_on_or_before
    ).exclude(pk__in=held)
    return due.filter(Exists(sanction)) if sanctioned else due.exclude(Exists(sanction))


def retention_signals_kept(*, municipality: Municipality, removed_case_ids: list[int]) -> QuerySet[Any]:
    """The ids of meldingen linked to a case that stays: they stay with it."""
    links = Case.signals.through.objects.filter(case__municipality=municipality)
    return links.exclude(case_id__in=removed_case_ids).values("signal_id")


def retention_due_registration_forms(
    *,
    municipality: Municipality,
    on_or_before: dt.date,
    held: QuerySet[Any],
    removed_case_ids: list[int],
) -> QuerySet[FirstRegistrationForm]:
    """First-registration forms dealt with by civil affairs on or before the date: processed (counted from
    the day of processing) or rejected (from the last change). Forms still to be processed stay."""
    dealt_with = Q(status=RegistrationFormStatus.PROCESSED, processed_on__lte=on_or_before) | Q(
        status=RegistrationFormStatus.REJECTED, updated_at__lt=retention.day_after(on_or_before)
    )
    return (
        FirstRegistrationForm.objects.filter(municipality=municipality)
        .filter(dealt_with)
        .exclude(case_id__in=held)
        .exclude(case_id__in=removed_case_ids)
    )


def retention_due_dossiers(
    *,
    municipality: Municipality,
    on_or_before: dt.date,
    held: QuerySet[Any],
    removed_case_ids: list[int],
) -> QuerySet[Handover]:
    """Hand-overs whose dossier (the ZIP copy made for the recipient) is still stored and due."""
    return (
        Handover.objects.filter(
            municipality=municipality, handed_over_at__lt=retention.day_after(on_or_before)
        )
        .exclude(dossier="")
        .exclude(case_id__in=held)
        .exclude(case_id__in=removed_case_ids)
    )
