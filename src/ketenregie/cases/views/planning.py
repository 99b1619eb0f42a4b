"""Participants, and the planning of a control: the day, the team, the addresses in route order."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ketenregie.cases import selectors, services
from ketenregie.cases.access import CaseAccess
from ketenregie.cases.forms import AddressAddForm, ParticipantForm, StopForm, TeamForm
from ketenregie.cases.models import Case, CaseParticipant
from ketenregie.cases.views.cases import _managed
from ketenregie.cases.views.common import case_view, is_htmx
from ketenregie.core.actor import Actor
from ketenregie.core.concurrency import ConcurrentEditError
from ketenregie.core.permissions import Capability
from ketenregie.signals.services import resolve_address


@case_view(Capability.MANAGE_CASES)
def participants(request: HttpRequest, actor: Actor, case_id: int) -> HttpResponse:
    case, access = _managed(actor, case_id)
    form = ParticipantForm(
        request.POST if request.POST.get("action") == "add" else None,
        organisations=selectors.partner_organisations(actor=actor, case=case),
    )
    if request.method == "POST":
        try:
            if request.POST.get("action") == "remove":
                participant = CaseParticipant.objects.get(
                    pk=int(request.POST.get("participant", 0)), case=case
                )
                services.participant_remove(actor=actor, case=case, participant=participant)
                messages.success(
                    request,
                    _("%(organisation)s no longer takes part.")
                    % {"organisation": participant.organisation.name},
                )
                return redirect("cases:participants", case_id=case.pk)
            if form.is_valid():
                services.participant_add(
                    actor=actor, case=case, organisation=form.cleaned_data["organisation"]
                )
                messages.success(
                    request,
                    _("%(organisation)s takes part.")
                    % {"organisation": form.cleaned_data["organisation"].name},
                )
                return redirect("cases:participants", case_id=case.pk)
        except (ValidationError, CaseParticipant.DoesNotExist, ValueError) as error:
            form.add_error(None, error if isinstance(error, ValidationError) else _("Unknown participant."))
    return render(
        request,
        "cases/participants.html",
        {"case": case, "form": form, "participants": selectors.case_participants(actor=actor, access=access)},
    )


def _planning_context(actor: Actor, case: Case, access: CaseAccess, **forms: Any) -> dict[str, Any]:
    return {
        "case": case,
        "access": access,
        "manages": access.manages and actor.can(Capability.MANAGE_CASES),
        "stops": selectors.case_addresses(actor=actor, access=access),
        "team": selectors.case_team(actor=actor, access=access),
        "team_form": forms.get("team_form")
        or TeamForm(
            initial={
                "version": case.version,
                "members": [u.pk for u in case.team.all()],
                "planned_on": case.planned_on,
            },
            candidates=selectors.team_candidates(case=case),
        ),
        "address_form": forms.get("address_form") or AddressAddForm(),
    }


@case_view()
def planning(request: HttpRequest, actor: Actor, case_id: int) -> HttpResponse:
    """The planning page: every participant reads it; the lead organisation changes it."""
    case, access = selectors.case_get(actor=actor, case_id=case_id)
    return render(request, "cases/planning.html", _planning_context(actor, case, access))


@case_view(Capability.MANAGE_CASES)
def planning_team(request: HttpRequest, actor: Actor, case_id: int) -> HttpResponse:
    case, access = _managed(actor, case_id)
    form = TeamForm(request.POST or None, candidates=selectors.team_candidates(case=case))
    if request.method == "POST" and form.is_valid():
        try:
            case = services.team_set(
                actor=actor,
                case=case,
                expected_version=form.cleaned_data["version"],
                members=form.cleaned_data["members"],
            )
            if form.cleaned_data["planned_on"] != case.planned_on:
                changes: dict[str, Any] = {"planned_on": form.cleaned_data["planned_on"]}
                if form.cleaned_data["planned_on"] and case.status == "open":
                    changes["status"] = "planned"
                services.case_update(actor=actor, case=case, expected_version=case.version, **changes)
        except ConcurrentEditError as error:
            form.add_error(None, str(error.message))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The planning is saved."))
            return redirect("cases:planning", case_id=case.pk)
    return render(request, "cases/planning.html", _planning_context(actor, case, access, team_form=form))


@case_view(Capability.MANAGE_CASES)
def planning_add_address(request: HttpRequest, actor: Actor, case_id: int) -> HttpResponse:
    case, access = _managed(actor, case_id)
    form = AddressAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        address = resolve_address(actor.municipality, form.reported_address())
        if address is None:
            form.add_error(
                "postcode",
                _("There is no address with this postcode and house number in this municipality's register."),
            )
        else:
            try:
                services.case_address_add(
                    actor=actor, case=case, address=address, note=form.cleaned_data["note"]
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                form = AddressAddForm()
                if not is_htmx(request):
                    messages.success(
                        request, _("%(address)s is added to the route.") % {"address": address.label}
                    )
                    return redirect("cases:planning", case_id=case.pk)
    context = _planning_context(actor, case, access, address_form=form)
    if is_htmx(request):
        return render(request, "cases/includes/route_editor.html", context)
    return render(request, "cases/planning.html", context)


@case_view(Capability.MANAGE_CASES)
def planning_stop(request: HttpRequest, actor: Actor, case_id: int, stop_id: int) -> HttpResponse:
    """Move a stop up or down, remove it, or set its visit status and time (htmx swaps the route)."""
    case, access = _managed(actor, case_id)
    stop = case.case_addresses.select_related("address").filter(pk=stop_id).first()
    error = ""
    if stop is None:
        error = _("This address is not part of this case.")
    elif request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action in ("up", "down"):
                services.case_address_move(
                    actor=actor, case=case, stop=stop, offset=-1 if action == "up" else 1
                )
            elif action == "remove":
                services.case_address_remove(actor=actor, case=case, stop=stop)
            elif action == "update":
                form = StopForm(request.POST)
                if form.is_valid():
                    services.case_address_update(
                        actor=actor,
                        case=case,
                        stop=stop,
                        visit_status=form.cleaned_data["visit_status"],
                        planned_time=form.cleaned_data["planned_time"],
                        note=form.cleaned_data["note"],
                    )
                else:
                    error = " ".join(str(e) for errors in form.errors.values() for e in errors)
        except ValidationError as failure:
            error = " ".join(failure.messages)
    if not is_htmx(request):
        if error:
            messages.error(request, error)
        return redirect("cases:planning", case_id=case.pk)
    return render(
        request,
        "cases/includes/route_editor.html",
        {**_planning_context(actor, case, access), "route_error": error},
    )


@case_view()
def route_list(request: HttpRequest, actor: Actor, case_id: int) -> HttpResponse:
    """The printable route list for the day: addresses in order with floor area and registered count."""
    case, access = selectors.case_get(actor=actor, case_id=case_id)
    return render(
        request,
        "cases/route_list.html",
        {
            "case": case,
            "stops": selectors.case_addresses(actor=actor, access=access),
            "team": selectors.case_team(actor=actor, access=access),
            "participants": selectors.case_participants(actor=actor, access=access),
        },
    )
