"""Staff pages of risk selection. Thin: forms in, selectors and services do the work."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ketenregie.core.actor import Actor
from ketenregie.core.concurrency import ConcurrentEditError
from ketenregie.core.permissions import Capability
from ketenregie.core.validators import parse_id, parse_number
from ketenregie.operations import selectors as task_selectors
from ketenregie.operations.models import ACTIVE_STATUSES
from ketenregie.operations.services import task_start
from ketenregie.operations.views import status_context, task_response
from ketenregie.risk import selectors, services
from ketenregie.risk.forms import ControlListForm, RulesForm, ScoreFilterForm, SetAsideForm
from ketenregie.risk.models import EntryStatus, RiskRun
from ketenregie.risk.selectors import SCORE_BANDS, Explained
from ketenregie.web.decorators import staff_view
from ketenregie.web.exports import Column, export_response
from ketenregie.web.lists import requested_export

SCORE_COLUMNS = [
    Column(gettext_lazy("rank"), lambda e: e.record.rank),
    Column(gettext_lazy("score"), lambda e: e.record.score),
    Column(gettext_lazy("address"), lambda e: e.record.address.label),
    Column(
        gettext_lazy("neighbourhood"), lambda e: e.record.neighbourhood.name if e.record.neighbourhood else ""
    ),
    Column(gettext_lazy("explanation"), lambda e: " | ".join(line.label for line in e.lines)),
]


def _run(request: HttpRequest, actor: Actor) -> RiskRun | None:
    return selectors.run_get(actor=actor, run_id=request.GET.get("run"))


@staff_view(Capability.VIEW_RISK)
def score_list(request: HttpRequest, actor: Actor) -> HttpResponseBase:
    """The ranked addresses of the latest run (or ?run=), with their contributions."""
    run = _run(request, actor)
    form = ScoreFilterForm(request.GET or None, actor=actor)
    filters = form.to_filter()
    context: dict[str, Any] = {"run": run, "form": form}
    if run is not None:
        file_format = requested_export(request)
        if file_format:
            rows = selectors.address_score_export(
                actor=actor, run=run, filters=filters, file_format=file_format
            )
            return export_response(
                rows=rows, columns=SCORE_COLUMNS, file_format=file_format, filename="risicolijst"
            )
        page = selectors.address_score_page(
            actor=actor, run=run, filters=filters, page_number=request.GET.get("page")
        )
        context["page"] = page
        context["rows"] = selectors.explained(list(page.object_list))
    return render(request, "risk/score_list.html", context)


@staff_view(Capability.VIEW_RISK)
def score_map(request: HttpRequest, actor: Actor) -> HttpResponse:
    run = _run(request, actor)
    form = ScoreFilterForm(request.GET or None, actor=actor)
    context: dict[str, Any] = {"run": run, "form": form, "bands": SCORE_BANDS}
    if run is not None:
        points, width, height = selectors.map_points(actor=actor, run=run, filters=form.to_filter())
        context.update(points=points, map_width=width, map_height=height)
        context["table"] = sorted(points, key=lambda p: p.score.rank)[:100]
    return render(request, "risk/score_map.html", context)


@staff_view(Capability.VIEW_RISK)
def address_scores(request: HttpRequest, actor: Actor, address_id: int) -> HttpResponse:
    address, history = selectors.address_history(actor=actor, address_id=address_id)
    return render(request, "risk/address_scores.html", {"address": address, "history": history})


@staff_view(Capability.VIEW_RISK)
def employer_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    run = _run(request, actor)
    context: dict[str, Any] = {"run": run}
    if run is not None:
        page = selectors.employer_score_page(actor=actor, run=run, page_number=request.GET.get("page"))
        context.update(page=page, rows=selectors.explained(list(page.object_list)))
    return render(request, "risk/employer_list.html", context)


@staff_view(Capability.VIEW_RISK_RUNS)
def run_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    runs = list(selectors.runs(actor=actor)[:50])
    # Runs still being made are followed on this page too, so leaving and coming back loses nothing.
    working = [
        status_context(actor, task)
        for task in task_selectors.task_runs(actor=actor, kind="risk_run").filter(status__in=ACTIVE_STATUSES)[
            :5
        ]
    ]
    return render(request, "risk/run_list.html", {"runs": runs, "working": working})


@require_POST
@staff_view(Capability.RUN_RISK)
def run_create(request: HttpRequest, actor: Actor) -> HttpResponse:
    """Start a run as a task; the page follows it (htmx) or, without JavaScript, the task's page does."""
    task = task_start(actor, "risk_run")
    return task_response(request, actor, task)


@staff_view(Capability.VIEW_RISK)
def control_list_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    lists = list(selectors.control_lists(actor=actor)[:100])
    form = ControlListForm(actor=actor) if actor.can(Capability.RUN_RISK) else None
    latest = selectors.run_get(actor=actor, run_id=None)
    return render(request, "risk/control_list_list.html", {"lists": lists, "form": form, "latest": latest})


@staff_view(Capability.RUN_RISK)
def control_list_create(request: HttpRequest, actor: Actor) -> HttpResponse:
    run = selectors.run_get(actor=actor, run_id=request.POST.get("run") or request.GET.get("run"))
    form = ControlListForm(request.POST or None, actor=actor)
    if request.method == "POST" and run is not None and form.is_valid():
        data = form.cleaned_data
        neighbourhood = (
            selectors.neighbourhoods(actor=actor).get(pk=data["neighbourhood"])
            if data["neighbourhood"]
            else None
        )
        try:
            control_list = services.control_list_create(
                actor=actor,
                run=run,
                top_n=data["top_n"],
                neighbourhood=neighbourhood,
                exclude_visited_days=data["exclude_visited_days"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Control list %(reference)s is made.") % {"reference": control_list.reference}
            )
            return redirect("risk:control_list_detail", control_list.pk)
    return render(request, "risk/control_list_form.html", {"form": form, "run": run})


@staff_view(Capability.VIEW_RISK)
def control_list_detail(request: HttpRequest, actor: Actor, list_id: int) -> HttpResponse:
    control_list = selectors.control_list_get(actor=actor, list_id=list_id)
    entries: list[Explained] = selectors.control_list_entries(actor=actor, control_list=control_list)
    return render(
        request,
        "risk/control_list_detail.html",
        {
            "control_list": control_list,
            "entries": entries,
            "open_count": sum(1 for e in entries if e.record.status == EntryStatus.OPEN),
            "can_decide": actor.can(Capability.MANAGE_CASES),
        },
    )


def _back(entry_list_id: int) -> HttpResponse:
    return redirect(reverse("risk:control_list_detail", args=[entry_list_id]))


@require_POST
@staff_view(Capability.VIEW_RISK, Capability.MANAGE_CASES)
def entry_open_case(request: HttpRequest, actor: Actor, entry_id: int) -> HttpResponse:
    entry = selectors.entry_get(actor=actor, entry_id=entry_id)
    try:
        case = services.control_list_open_case(actor=actor, entry=entry)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _back(entry.control_list_id)
    messages.success(request, _("Case %(reference)s is opened.") % {"reference": case.reference})
    return redirect("cases:case_detail", case.pk)


@require_POST
@staff_view(Capability.VIEW_RISK, Capability.MANAGE_CASES)
def plan_integral_control(request: HttpRequest, actor: Actor, list_id: int) -> HttpResponse:
    control_list = selectors.control_list_get(actor=actor, list_id=list_id)
    ids = [entry_id for value in request.POST.getlist("entries") if (entry_id := parse_id(value)) is not None]
    entries = list(control_list.entries.filter(pk__in=ids))
    try:
        case = services.control_list_plan_integral_control(actor=actor, entries=entries)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _back(control_list.pk)
    messages.success(
        request,
        _("Integral control %(reference)s is opened with %(count)s addresses.")
        % {"reference": case.reference, "count": len(entries)},
    )
    return redirect("cases:case_detail", case.pk)


@require_POST
@staff_view(Capability.VIEW_RISK, Capability.MANAGE_CASES)
def entry_set_aside(request: HttpRequest, actor: Actor, entry_id: int) -> HttpResponse:
    entry = selectors.entry_get(actor=actor, entry_id=entry_id)
    form = SetAsideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why this address is set aside."))
        return _back(entry.control_list_id)
    try:
        services.control_list_entry_set_aside(
            actor=actor,
            entry=entry,
            reason=form.cleaned_data["reason"],
            expected_version=form.cleaned_data["version"],
        )
    except (ValidationError, ConcurrentEditError) as error:
        messages.error(
            request, " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        )
    else:
        messages.success(request, _("The address is set aside."))
    return _back(entry.control_list_id)


@require_POST
@staff_view(Capability.VIEW_RISK, Capability.MANAGE_CASES)
def entry_reopen(request: HttpRequest, actor: Actor, entry_id: int) -> HttpResponse:
    entry = selectors.entry_get(actor=actor, entry_id=entry_id)
    try:
        services.control_list_entry_reopen(
            actor=actor, entry=entry, expected_version=parse_number(request.POST.get("version")) or 0
        )
    except (ValidationError, ConcurrentEditError) as error:
        messages.error(
            request, " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        )
    else:
        messages.success(request, _("The address is back on the list."))
    return _back(entry.control_list_id)


@staff_view(Capability.VIEW_RISK_RUNS)
def rules(request: HttpRequest, actor: Actor) -> HttpResponse:
    """The rules in use and their history; the administrator changes them here."""
    view = selectors.rules_view(actor=actor)
    can_edit = actor.can(Capability.MANAGE_RISK_SETTINGS)
    form = None
    if can_edit:
        initial = {"version": view.version}
        form = RulesForm(request.POST or None, rules=view.rules, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                services.risk_settings_update(
                    actor=actor,
                    rules=form.rules(),
                    expected_version=form.cleaned_data["version"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as error:
                form.add_rules_error(" ".join(error.messages))
            except ConcurrentEditError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("The rules are saved. The next run uses them."))
                return redirect("risk:rules")
    elif request.method == "POST":
        actor.require(Capability.MANAGE_RISK_SETTINGS)
    return render(request, "risk/rules.html", {"view": view, "form": form})
