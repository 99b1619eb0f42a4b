"""The case board, the case list, a case's page with its timeline, and changing the case itself."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ketenregie.cases import selectors, services
from ketenregie.cases.access import CaseAccess
from ketenregie.cases.forms import (
    BoardFilterForm,
    CaseCloseForm,
    CaseEditForm,
    CaseFilterForm,
    CaseOpenForm,
    CaseReopenForm,
    NoteForm,
)
from ketenregie.cases.models import Case
from ketenregie.cases.views.common import case_view, is_htmx
from ketenregie.core.actor import Actor
from ketenregie.core.concurrency import ConcurrentEditError
from ketenregie.core.permissions import Capability
from ketenregie.core.validators import parse_id
from ketenregie.retention import selectors as retention_selectors
from ketenregie.signals import selectors as signal_selectors
from ketenregie.web.exports import Column, export_response
from ketenregie.web.lists import requested_export

if TYPE_CHECKING:
    from ketenregie.core.models import User

CASE_COLUMNS = [
    Column(gettext_lazy("number"), lambda c: c.reference),
    Column(gettext_lazy("kind"), lambda c: c.get_kind_display()),
    Column(gettext_lazy("title"), lambda c: c.title),
    Column(gettext_lazy("status"), lambda c: c.get_status_display()),
    Column(gettext_lazy("result"), lambda c: c.get_result_display()),
    Column(gettext_lazy("opened on"), lambda c: c.opened_on),
    Column(gettext_lazy("planned for"), lambda c: c.planned_on),
    Column(gettext_lazy("closed on"), lambda c: c.closed_on),
    Column(gettext_lazy("lead organisation"), lambda c: c.owner.name),
]


@case_view()
def case_board(request: HttpRequest, actor: Actor) -> HttpResponse:
    form = BoardFilterForm(request.GET or None)
    kind = form.cleaned_data["kind"] if form.is_valid() else ""
    columns = selectors.case_board(actor=actor, kind=kind)
    template = "cases/includes/board.html" if is_htmx(request) else "cases/case_board.html"
    return render(request, template, {"form": form, "columns": columns})


@case_view()
def case_list(request: HttpRequest, actor: Actor) -> HttpResponseBase:
    form = CaseFilterForm(request.GET or None)
    file_format = requested_export(request)
    if file_format:
        rows = selectors.case_export(actor=actor, filters=form.to_filter(), file_format=file_format)
        return export_response(
            rows=rows.iterator(chunk_size=2000),
            columns=CASE_COLUMNS,
            file_format=file_format,
            filename="zaken",
        )
    page = selectors.case_page(actor=actor, filters=form.to_filter(), page_number=request.GET.get("page"))
    template = "cases/case_list_results.html" if is_htmx(request) else "cases/case_list.html"
    return render(request, template, {"form": form, "page": page})


@case_view(Capability.MANAGE_CASES)
def case_create(request: HttpRequest, actor: Actor) -> HttpResponse:
    """Open a case directly, or from meldingen (?signal=ID, repeatable)."""
    signal_ids = (
        request.POST.get("signal_ids", "")
        if request.method == "POST"
        else ",".join(request.GET.getlist("signal"))
    )
    signals = []
    for part in signal_ids.split(","):
        signal_id = parse_id(part)
        if signal_id is not None:
            signals.append(signal_selectors.signal_get(actor=actor, signal_id=signal_id))
    initial: dict[str, Any] = {"signal_ids": ",".join(str(s.pk) for s in signals)}
    if signals:
        first = signals[0]
        initial["kind"] = "house_visit"
        initial["title"] = _("%(category)s at %(address)s") % {
            "category": first.category.top.name,
            "address": first.address.label if first.address else first.location_text or first.reference,
        }
    form = CaseOpenForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.case_open(
                actor=actor,
                kind=data["kind"],
                title=data["title"],
                description=data["description"],
                planned_on=data["planned_on"],
                signals=signals,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Case %(reference)s is opened.") % {"reference": case.reference})
            return redirect("cases:case_detail", case_id=case.pk)
    return render(request, "cases/case_form.html", {"form": form, "signals": signals})


def detail_context(actor: Actor, case: Case, access: CaseAccess, **extra: Any) -> dict[str, Any]:
    findings = selectors.case_findings(actor=actor, access=access)
    measures = selectors.case_measures(actor=actor, access=access)
    return {
        "case": case,
        "access": access,
        "participants": selectors.case_participants(actor=actor, access=access),
        "stops": selectors.case_addresses(actor=actor, access=access),
        "team": selectors.case_team(actor=actor, access=access),
        "signals": selectors.case_signals(actor=actor, access=access),
        "findings": findings,
        # Change links only for the records the reader's organisation recorded.
        "changeable_findings": {f.pk for f in findings if f.may_change(actor)},
        "changeable_measures": {m.pk for m in measures if m.may_change(actor)},
        "registration_forms": selectors.case_registration_forms(actor=actor, access=access),
        "measures": measures,
        "attachments": selectors.case_attachments(actor=actor, access=access),
        "handovers": selectors.case_handovers(actor=actor, access=access),
        "timeline": selectors.case_timeline(actor=actor, access=access),
        "note_form": extra.pop("note_form", None) or NoteForm(),
        "can_record": actor.can(Capability.RECORD_FINDINGS) and (access.manages or access.sees_findings),
        "manages": access.manages and actor.can(Capability.MANAGE_CASES),
        # A legal hold concerns the lead organisation; partners do not see it.
        "legal_hold": retention_selectors.hold_of_case(actor=actor, case=case) if access.manages else None,
        **extra,
    }


@case_view()
def case_detail(request: HttpRequest, actor: Actor, case_id: int) -> HttpResponse:
    case, access = selectors.case_get(actor=actor, case_id=case_id)
    return render(request, "cases/case_detail.html", detail_context(actor, case, access))


@case_view()
def case_timeline(request: HttpRequest, actor: Actor, case_id: int) -> HttpResponse:
    """The timeline alone (htmx refresh), and the place a note is added."""
    case, access = selectors.case_get(actor=actor, case_id=case_id)
    form = NoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_note_add(actor=actor, case=case, text=form.cleaned_data["text"])
        except ValidationError as error:
            form.add_error("text", error)
        else:
            form = NoteForm()
            if not is_htmx(request):
                return redirect("cases:case_detail", case_id=case.pk)
    context = {
        "case": case,
        "access": access,
        "timeline": selectors.case_timeline(actor=actor, access=access),
        "note_form": form,
    }
    if is_htmx(request):
        return render(request, "cases/includes/timeline.html", context)
    return render(request, "cases/case_detail.html", detail_context(actor, case, access, note_form=form))


@case_view(Capability.VIEW_SIGNAL_REPORTERS)
def case_reporters(request: HttpRequest, actor: Actor, case_id: int) -> HttpResponse:
    case, access = selectors.case_get(actor=actor, case_id=case_id)
    reporters = selectors.case_signal_reporters(actor=actor, access=access)
    return render(request, "cases/case_reporters.html", {"case": case, "reporters": reporters})


def _officers(actor: Actor) -> list[User]:
    return list(selectors.assignable_users(actor=actor))


def _managed(actor: Actor, case_id: int) -> tuple[Case, CaseAccess]:
    case, access = selectors.case_get(actor=actor, case_id=case_id)
    if not access.manages:
        raise PermissionDenied(_("Only the lead organisation changes this case."))
    return case, access


@case_view(Capability.MANAGE_CASES)
def case_edit(request: HttpRequest, actor: Actor, case_id: int) -> HttpResponse:
    case, _access = _managed(actor, case_id)
    initial = {
        "version": case.version,
        "title": case.title,
        "description": case.description,
        "status": case.status,
        "planned_on": case.planned_on,
        "assigned_to": case.assigned_to_id,
    }
    form = CaseEditForm(
        request.POST or None, initial=initial, users=_officers(actor), current_status=case.status
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.case_update(
                actor=actor, case=case, expected_version=form.cleaned_data["version"], **form.changes()
            )
        except ConcurrentEditError as error:
            form.add_error(None, str(error.message))
            status = 409
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The changes are saved."))
            return redirect("cases:case_detail", case_id=case.pk)
    if form.errors and status == 200:
        status = 400
    return render(request, "cases/case_edit.html", {"case": case, "form": form}, status=status)


@case_view(Capability.MANAGE_CASES)
def case_close(request: HttpRequest, actor: Actor, case_id: int) -> HttpResponse:
    case, access = _managed(actor, case_id)
    findings = selectors.case_findings(actor=actor, access=access)
    suggested = (
        "violation" if any(f.violation_found for f in findings) else ("no_violation" if findings else "")
    )
    form = CaseCloseForm(
        request.POST or None,
        initial={
            "version": case.version,
            "closed_on": timezone.localdate(),
            "result": suggested,
            "close_signals": True,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.case_close(
                actor=actor,
                case=case,
                expected_version=form.cleaned_data["version"],
                result=form.cleaned_data["result"],
                closed_on=form.cleaned_data["closed_on"],
                close_signals=form.cleaned_data["close_signals"],
            )
        except ConcurrentEditError as error:
            form.add_error(None, str(error.message))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Case %(reference)s is closed.") % {"reference": case.reference})
            return redirect("cases:case_detail", case_id=case.pk)
    return render(request, "cases/case_close.html", {"case": case, "form": form, "findings": findings})


@case_view(Capability.MANAGE_CASES)
def case_reopen(request: HttpRequest, actor: Actor, case_id: int) -> HttpResponse:
    case, _access = _managed(actor, case_id)
    form = CaseReopenForm(request.POST or None, initial={"version": case.version})
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.case_reopen(
                actor=actor,
                case=case,
                expected_version=form.cleaned_data["version"],
                reason=form.cleaned_data["reason"],
            )
        except ConcurrentEditError as error:
            form.add_error(None, str(error.message))
            status = 409
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Case %(reference)s is open again.") % {"reference": case.reference})
            return redirect("cases:case_detail", case_id=case.pk)
    return render(request, "cases/case_reopen.html", {"case": case, "form": form}, status=status)


@case_view(Capability.VIEW_CASES)
def case_zgw(request: HttpRequest, actor: Actor, case_id: int) -> HttpResponseBase:
    """The case as the ZGW Zaken API bodies a push sends (JSON, docs/zgw.md)."""
    case, _access = selectors.case_get(actor=actor, case_id=case_id)
    try:
        bodies = selectors.case_zgw(actor=actor, case=case)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("cases:case_detail", case_id=case.pk)
    response = JsonResponse(bodies, json_dumps_params={"indent": 2, "ensure_ascii": False})
    response["Content-Disposition"] = f'attachment; filename="{case.reference}-zgw.json"'
    return response


@case_view(Capability.MANAGE_CASES)
def case_zgw_push(request: HttpRequest, actor: Actor, case_id: int) -> HttpResponse:
    """Register the case in the zaaksysteem (POST), or see how its registration stands (GET)."""
    from ketenregie.cases.zgw_client import ZgwError
    from ketenregie.cases.zgw_push import zgw_push

    case, _access = _managed(actor, case_id)
    if request.method == "POST":
        try:
            result = zgw_push(actor=actor, case=case)
        except ZgwError as error:
            messages.error(request, error.describe())
        else:
            if result.ok:
                messages.success(
                    request,
                    _("Case %(reference)s is registered in the zaaksysteem.") % {"reference": case.reference},
                )
            else:
                messages.error(
                    request,
                    _("Registering case %(reference)s in the zaaksysteem failed: %(reason)s")
                    % {"reference": case.reference, "reason": result.error},
                )
        return redirect("cases:case_detail", case_id=case.pk)
    return render(request, "cases/case_zgw_push.html", {"case": case})
