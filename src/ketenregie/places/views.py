from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from ketenregie.core.actor import Actor
from ketenregie.core.permissions import Capability
from ketenregie.housing.selectors import locations_at_address
from ketenregie.people.selectors import address_occupancy
from ketenregie.places import selectors
from ketenregie.places.forms import AddressFilterForm
from ketenregie.web.decorators import staff_view
from ketenregie.web.exports import Column, export_response
from ketenregie.web.lists import requested_export

ADDRESS_COLUMNS = [
    Column(_("BAG addressable object id"), lambda a: a.bag_object_id),
    Column(_("BAG nummeraanduiding id"), lambda a: a.bag_address_id),
    Column(_("street"), lambda a: a.street),
    Column(_("house number"), lambda a: a.house_number_full),
    Column(_("postcode"), lambda a: a.postcode),
    Column(_("town"), lambda a: a.town),
    Column(_("neighbourhood"), lambda a: a.neighbourhood.name if a.neighbourhood else ""),
    Column(_("floor area (m²)"), lambda a: a.floor_area_m2),
    Column(_("use purposes"), lambda a: a.use_purposes),
    Column(_("living here (BRP and stay addresses)"), lambda a: a.registered_persons),
    Column(_("BAG status"), lambda a: a.bag_status),
]


@staff_view(Capability.VIEW_REGISTERS)
def address_list(request: HttpRequest, actor: Actor) -> HttpResponseBase:
    form = AddressFilterForm(request.GET or None, actor=actor)
    file_format = requested_export(request)
    if file_format:
        rows = selectors.address_export(actor=actor, filters=form.to_filter(), file_format=file_format)
        return export_response(
            rows=rows, columns=ADDRESS_COLUMNS, file_format=file_format, filename="adressen"
        )
    page = selectors.address_page(actor=actor, filters=form.to_filter(), page_number=request.GET.get("page"))
    template = (
        "places/address_list_results.html"
        if request.headers.get("HX-Request")
        else "places/address_list.html"
    )
    return render(request, template, {"form": form, "page": page})


@staff_view(Capability.VIEW_REGISTERS)
def address_detail(request: HttpRequest, actor: Actor, address_id: int) -> HttpResponse:
    address = selectors.address_get(actor=actor, address_id=address_id)
    return render(
        request,
        "places/address_detail.html",
        {
            "address": address,
            "occupancy": address_occupancy(actor=actor, address=address),
            "locations": locations_at_address(actor=actor, address=address),
        },
    )
