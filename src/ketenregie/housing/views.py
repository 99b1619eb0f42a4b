from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ketenregie.core.actor import Actor
from ketenregie.core.permissions import Capability
from ketenregie.housing import occupants, selectors, services
from ketenregie.housing.forms import LocationFilterForm, PermitForm, QualityMarkForm
from ketenregie.web.decorators import staff_view
from ketenregie.web.exports import Column, export_response
from ketenregie.web.lists import requested_export

LOCATION_COLUMNS = [
    Column(gettext_lazy("name"), lambda loc: loc.name),
    Column(gettext_lazy("kind"), lambda loc: loc.get_kind_display()),
    Column(gettext_lazy("provider"), lambda loc: loc.provider.name if loc.provider else loc.provider_name),
    Column(gettext_lazy("capacity (persons)"), lambda loc: loc.capacity_persons),
    Column(gettext_lazy("addresses"), lambda loc: loc.address_count),
    Column(gettext_lazy("valid quality mark"), lambda loc: loc.has_valid_mark),
    Column(gettext_lazy("valid permit"), lambda loc: loc.has_valid_permit),
]


@staff_view(Capability.VIEW_REGISTERS)
def location_list(request: HttpRequest, actor: Actor) -> HttpResponseBase:
    form = LocationFilterForm(request.GET or None)
    file_format = requested_export(request)
    if file_format:
        locations = selectors.location_export(actor=actor, filters=form.to_filter(), file_format=file_format)
        return export_response(
            rows=locations, columns=LOCATION_COLUMNS, file_format=file_format, filename="huisvestingslocaties"
        )
    page = Paginator(selectors.location_list(actor=actor, filters=form.to_filter()), 25).get_page(
        request.GET.get("page")
    )
    template = (
        "housing/location_list_results.html"
        if request.headers.get("HX-Request")
        else ("housing/location_list.html")
    )
    return render(request, template, {"form": form, "page": page})


@staff_view(Capability.VIEW_REGISTERS)
def location_detail(request: HttpRequest, actor: Actor, location_id: int) -> HttpResponse:
    location = selectors.location_get(actor=actor, location_id=location_id)
    status = selectors.location_status(actor=actor, location=location)
    return render(
        request,
        "housing/location_detail.html",
        {
            "location": location,
            "status": status,
            "occupancy": occupants.location_occupancy(
                actor=actor, location=location, permit=status.current_permit
            ),
            "addresses": selectors.location_addresses(actor=actor, location=location),
            "marks": location.quality_marks.all(),
            "permits": location.permits.all(),
        },
    )


@staff_view(Capability.EDIT_HOUSING)
def quality_mark_create(request: HttpRequest, actor: Actor, location_id: int) -> HttpResponse:
    location = selectors.location_get(actor=actor, location_id=location_id)
    form = QualityMarkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.quality_mark_add(actor=actor, location=location, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The quality mark is recorded."))
            return redirect("housing:location_detail", location_id=location.pk)
    return render(request, "housing/quality_mark_form.html", {"form": form, "location": location})


@staff_view(Capability.EDIT_HOUSING)
def permit_create(request: HttpRequest, actor: Actor, location_id: int) -> HttpResponse:
    location = selectors.location_get(actor=actor, location_id=location_id)
    form = PermitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.permit_decide(actor=actor, location=location, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The permit decision is recorded."))
            return redirect("housing:location_detail", location_id=location.pk)
    return render(request, "housing/permit_form.html", {"form": form, "location": location})
