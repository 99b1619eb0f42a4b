from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ketenregie.core.actor import Actor
from ketenregie.core.concurrency import ConcurrentEditError
from ketenregie.core.permissions import Capability
from ketenregie.deliveries import selectors as delivery_selectors
from ketenregie.employers import registry, selectors, services
from ketenregie.employers.forms import (
    CovenantJoinForm,
    EmployerFilterForm,
    EmployerForm,
    EscalationConcludeForm,
    ViolationForm,
)
from ketenregie.employers.kvk_client import KvkError
from ketenregie.employers.models import RegistryCheckStatus
from ketenregie.web.decorators import staff_view
from ketenregie.web.exports import Column, export_response
from ketenregie.web.lists import requested_export

EMPLOYER_COLUMNS = [
    Column(gettext_lazy("KvK number"), lambda e: e.kvk_number),
    Column(gettext_lazy("name"), lambda e: e.name),
    Column(gettext_lazy("kind"), lambda e: e.get_kind_display()),
    Column(gettext_lazy("sector"), lambda e: e.get_sector_display()),
    Column(gettext_lazy("SNA certified"), lambda e: e.sna_certified),
    Column(gettext_lazy("SNA certified since"), lambda e: e.sna_certified_since),
    Column(gettext_lazy("branch organisation"), lambda e: e.branch_membership),
    Column(gettext_lazy("WTTA admission"), lambda e: e.get_wtta_status_display()),
    Column(gettext_lazy("current workers"), lambda e: e.current_workers),
    Column(gettext_lazy("proven violations"), lambda e: e.proven_violations),
]

KVK_ERRORS: dict[str, Any] = {
    KvkError.UNAUTHORISED: gettext_lazy("the KvK refused the API key"),
    KvkError.TIMEOUT: gettext_lazy("the KvK did not answer in time"),
    KvkError.RATE_LIMITED: gettext_lazy("too many requests to the KvK; try again later"),
    KvkError.MALFORMED: gettext_lazy("the KvK's answer could not be read"),
    KvkError.INVALID_NUMBER: gettext_lazy("the KvK calls the number invalid"),
    KvkError.UNAVAILABLE: gettext_lazy("the KvK could not be reached"),
}


@staff_view(Capability.VIEW_REGISTERS)
def employer_list(request: HttpRequest, actor: Actor) -> HttpResponseBase:
    form = EmployerFilterForm(request.GET or None)
    file_format = requested_export(request)
    if file_format:
        employers = selectors.employer_export(actor=actor, filters=form.to_filter(), file_format=file_format)
        return export_response(
            rows=employers.iterator(chunk_size=2000),
            columns=EMPLOYER_COLUMNS,
            file_format=file_format,
            filename="werkgevers",
        )
    page = Paginator(selectors.employer_list(actor=actor, filters=form.to_filter()), 25).get_page(
        request.GET.get("page")
    )
    template = (
        "employers/employer_list_results.html"
        if request.headers.get("HX-Request")
        else ("employers/employer_list.html")
    )
    return render(
        request, template, {"form": form, "page": page, "covenants": selectors.covenants(actor=actor)}
    )


@staff_view(Capability.VIEW_REGISTERS)
def employer_detail(request: HttpRequest, actor: Actor, employer_id: int) -> HttpResponse:
    employer = selectors.employer_get(actor=actor, employer_id=employer_id)
    workers = (
        selectors.employer_workers(actor=actor, employer=employer)
        if actor.can(Capability.VIEW_PERSONAL_DATA) and request.GET.get("workers") == "1"
        else None
    )
    kvk_check = selectors.employer_registry_check(actor=actor, employer=employer)
    return render(
        request,
        "employers/employer_detail.html",
        {
            "employer": employer,
            "workforce": selectors.employer_workforce(actor=actor, employer=employer),
            "workers": workers,
            "violations": selectors.employer_violations(actor=actor, employer=employer),
            "memberships": selectors.employer_memberships(actor=actor, employer=employer),
            "kvk_check": kvk_check,
            "kvk_error": KVK_ERRORS.get(kvk_check.error, kvk_check.error) if kvk_check else "",
            "kvk_configured": selectors.kvk_lookups_configured(),
            "deliveries": delivery_selectors.employer_deliveries(actor=actor, employer=employer),
            "delivery_status": delivery_selectors.employer_delivery_status(actor=actor, employer=employer),
        },
    )


@require_POST
@staff_view(Capability.EDIT_EMPLOYERS)
def employer_check_kvk(request: HttpRequest, actor: Actor, employer_id: int) -> HttpResponse:
    employer = selectors.employer_get(actor=actor, employer_id=employer_id)
    check = registry.employer_check_kvk(actor=actor, employer=employer)
    if check is None:
        messages.warning(request, _("Not checked: no KvK connection is configured."))
    elif check.status == RegistryCheckStatus.ERROR:
        messages.error(request, _("The KvK could not be asked; the outcome is shown below."))
    else:
        messages.success(request, _("The employer is checked against the KvK."))
    return redirect("employers:employer_detail", employer_id=employer.pk)


@staff_view(Capability.EDIT_EMPLOYERS)
def employer_create(request: HttpRequest, actor: Actor) -> HttpResponse:
    form = EmployerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            employer = services.employer_create(actor=actor, **form.changes())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The employer is registered."))
            return redirect("employers:employer_detail", employer_id=employer.pk)
    return render(request, "employers/employer_form.html", {"form": form, "employer": None})


@staff_view(Capability.EDIT_EMPLOYERS)
def employer_edit(request: HttpRequest, actor: Actor, employer_id: int) -> HttpResponse:
    employer = selectors.employer_get(actor=actor, employer_id=employer_id)
    form = EmployerForm(request.POST or None, instance=employer)
    if request.method == "POST" and form.is_valid():
        try:
            services.employer_update(
                actor=actor,
                employer=employer,
                expected_version=form.cleaned_data["version"] or 0,
                **form.changes(),
            )
        except ConcurrentEditError as error:
            form.add_error(None, str(error.message))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The changes are saved."))
            return redirect("employers:employer_detail", employer_id=employer.pk)
    return render(request, "employers/employer_form.html", {"form": form, "employer": employer})


@staff_view(Capability.RECORD_VIOLATIONS)
def violation_create(request: HttpRequest, actor: Actor, employer_id: int) -> HttpResponse:
    employer = selectors.employer_get(actor=actor, employer_id=employer_id)
    form = ViolationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.violation_record(actor=actor, employer=employer, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The violation is recorded."))
            return redirect("employers:employer_detail", employer_id=employer.pk)
    return render(request, "employers/violation_form.html", {"form": form, "employer": employer})


@staff_view(Capability.VIEW_REGISTERS)
def covenant_detail(request: HttpRequest, actor: Actor, covenant_id: int) -> HttpResponse:
    covenant = selectors.covenant_get(actor=actor, covenant_id=covenant_id)
    form = CovenantJoinForm(
        request.POST or None, employers=selectors.covenant_candidates(actor=actor, covenant=covenant)
    )
    if request.method == "POST":
        actor.require(Capability.MANAGE_COVENANT)
        if form.is_valid():
            try:
                services.covenant_join(
                    actor=actor,
                    covenant=covenant,
                    employer=form.cleaned_data["employer"],
                    joined_on=form.cleaned_data["joined_on"],
                )
            except ValidationError as error:
                form.add_error("employer", error)
            else:
                messages.success(request, _("The employer has joined the covenant."))
                return redirect("employers:covenant_detail", covenant_id=covenant.pk)
    return render(
        request,
        "employers/covenant_detail.html",
        {
            "covenant": covenant,
            "memberships": selectors.covenant_memberships(actor=actor, covenant=covenant),
            "form": form,
        },
    )


@staff_view(Capability.MANAGE_COVENANT)
def escalation_conclude(request: HttpRequest, actor: Actor, step_id: int) -> HttpResponse:
    step = selectors.escalation_step_get(actor=actor, step_id=step_id)
    form = EscalationConcludeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.escalation_conclude(actor=actor, step=step, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The step is concluded."))
            return redirect("employers:covenant_detail", covenant_id=step.membership.covenant_id)
    return render(request, "employers/escalation_form.html", {"form": form, "step": step})


DELIVERY_OVERVIEW_COLUMNS = [
    Column(gettext_lazy("KvK number"), lambda row: row.employer.kvk_number),
    Column(gettext_lazy("name"), lambda row: row.employer.name),
    Column(gettext_lazy("member since"), lambda row: row.membership.joined_on),
    Column(gettext_lazy("membership"), lambda row: row.membership.get_status_display()),
    Column(gettext_lazy("last delivery"), lambda row: row.last_delivered_at),
    Column(gettext_lazy("overdue"), lambda row: row.overdue),
]


@staff_view(Capability.MANAGE_COVENANT)
def covenant_deliveries(request: HttpRequest, actor: Actor, covenant_id: int) -> HttpResponseBase:
    """Which members delivered this month, and which are behind (the rule: deliveries.selectors)."""
    covenant = selectors.covenant_get(actor=actor, covenant_id=covenant_id)
    status = request.GET.get("status", "")
    sort = request.GET.get("sort", "name")
    file_format = requested_export(request)
    if file_format:
        return export_response(
            rows=delivery_selectors.covenant_delivery_export(
                actor=actor, covenant=covenant, status=status, sort=sort, file_format=file_format
            ),
            columns=DELIVERY_OVERVIEW_COLUMNS,
            file_format=file_format,
            filename="leveringen-convenant",
        )
    rows = delivery_selectors.covenant_delivery_overview(
        actor=actor, covenant=covenant, status=status, sort=sort
    )
    return render(
        request,
        "employers/covenant_deliveries.html",
        {
            "covenant": covenant,
            "rows": rows,
            "status": status,
            "sort": sort,
            "due_since": delivery_selectors.delivery_due_since(timezone.localdate()),
            "grace_days": delivery_selectors.grace_days(),
        },
    )
