"""Staff pages of retention: the privacy officer's overview, the administrator's periods, legal holds.
Thin: forms in, selectors and services do the work."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ketenregie.cases import selectors as case_selectors
from ketenregie.core.actor import Actor
from ketenregie.core.permissions import Capability
from ketenregie.retention import selectors, services
from ketenregie.retention.forms import HoldByReferenceForm, HoldForm, LiftForm, PolicyForm
from ketenregie.retention.models import RecordType
from ketenregie.web.decorators import staff_view

if TYPE_CHECKING:
    from ketenregie.cases.models import Case


def _back_to(actor: Actor, case: Case | None) -> HttpResponse:
    if case is not None and actor.can(Capability.VIEW_CASES):
        return redirect("cases:case_detail", case_id=case.pk)
    return redirect("retention:overview")


def _apply_errors(form: HoldForm | LiftForm | PolicyForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@staff_view(Capability.VIEW_RETENTION)
def overview(request: HttpRequest, actor: Actor) -> HttpResponse:
    """The policy, what falls due in the coming month, what was removed, and the holds."""
    due_by, due, cases_due = selectors.falling_due(actor=actor)
    context = {
        "policy": selectors.policy_view(actor=actor),
        "due_by": due_by,
        "due": due,
        "cases_due": cases_due,
        "runs": selectors.purge_runs(actor=actor),
        "holds": selectors.holds(actor=actor),
        "labels": dict(RecordType.choices),
        "hold_form": HoldByReferenceForm() if actor.can(Capability.PLACE_LEGAL_HOLDS) else None,
    }
    return render(request, "retention/overview.html", context)


@staff_view(Capability.MANAGE_RETENTION)
def policy_edit(request: HttpRequest, actor: Actor, record_type: str) -> HttpResponse:
    rows = {row.record_type: row for row in selectors.policy_view(actor=actor)}
    row = rows.get(record_type)
    if row is None:
        raise Http404
    initial = {
        "amount": row.period.amount,
        "unit": row.period.unit,
        "basis": row.basis,
        "version": row.version,
    }
    form = PolicyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.policy_set(
                actor=actor,
                record_type=record_type,
                amount=data["amount"],
                unit=data["unit"],
                basis=data["basis"],
                expected_version=data["version"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The retention period of “%(type)s” is saved.") % {"type": row.label})
            return redirect("retention:overview")
    return render(request, "retention/policy_form.html", {"form": form, "row": row})


def _place(request: HttpRequest, actor: Actor, case: Case, form: HoldForm) -> HttpResponse | None:
    try:
        services.legal_hold_place(actor=actor, case=case, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        _apply_errors(form, error)
        return None
    messages.success(request, _("Case %(reference)s is under a legal hold.") % {"reference": case.reference})
    return _back_to(actor, case)


@staff_view(Capability.PLACE_LEGAL_HOLDS)
def hold_place(request: HttpRequest, actor: Actor, case_id: int) -> HttpResponse:
    case = case_selectors.case_by_reference(municipality=actor.municipality, reference=str(case_id))
    form = HoldForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        placed = _place(request, actor, case, form)
        if placed is not None:
            return placed
    hold = selectors.hold_of_case(actor=actor, case=case)
    return render(request, "retention/hold_form.html", {"form": form, "case": case, "hold": hold})


@staff_view(Capability.PLACE_LEGAL_HOLDS)
@require_POST
def hold_place_by_reference(request: HttpRequest, actor: Actor) -> HttpResponse:
    """The administrator, who does not work in the cases, places a hold by the case's reference."""
    form = HoldByReferenceForm(request.POST)
    case = None
    if form.is_valid():
        try:
            case = case_selectors.case_by_reference(
                municipality=actor.municipality, reference=form.cleaned_data["case_reference"]
            )
        except Http404 as missing:
            form.add_error("case_reference", str(missing))
        else:
            placed = _place(request, actor, case, form)
            if placed is not None:
                return placed
    return render(request, "retention/hold_form.html", {"form": form, "case": case, "hold": None}, status=400)


@staff_view(Capability.PLACE_LEGAL_HOLDS)
def hold_lift(request: HttpRequest, actor: Actor, hold_id: int) -> HttpResponse:
    hold = selectors.hold_get(actor=actor, hold_id=hold_id)
    form = LiftForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.legal_hold_lift(actor=actor, hold=hold, reason=form.cleaned_data["lift_reason"])
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request, _("The legal hold on %(reference)s is lifted.") % {"reference": hold.case_reference}
            )
            return _back_to(actor, hold.case)
    return render(request, "retention/hold_lift.html", {"form": form, "hold": hold})
