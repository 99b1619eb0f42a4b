from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries

from ketenregie.core.actor import Actor
from ketenregie.core.concurrency import ConcurrentEditError
from ketenregie.core.permissions import Capability
from ketenregie.employers.selectors import person_employments
from ketenregie.people import selectors, services
from ketenregie.people.brp_tables import rni_rows
from ketenregie.people.forms import MoveForm, PersonFilterForm, PersonForm, VerificationForm
from ketenregie.people.models import VerificationMethod
from ketenregie.people.verification import next_statuses
from ketenregie.places.selectors import address_find
from ketenregie.web.decorators import staff_view
from ketenregie.web.exports import Column, export_response
from ketenregie.web.lists import requested_export, stash_filters, stashed_filters

PERSON_COLUMNS = [
    Column(gettext_lazy("BSN"), lambda p: p.bsn),
    Column(gettext_lazy("given names"), lambda p: p.given_names),
    Column(gettext_lazy("surname prefix"), lambda p: p.surname_prefix),
    Column(gettext_lazy("surname"), lambda p: p.surname),
    Column(gettext_lazy("date of birth"), lambda p: p.birth_date),
    Column(gettext_lazy("nationality"), lambda p: p.nationality),
    Column(gettext_lazy("country"), lambda p: countries.name(p.nationality) if p.nationality else ""),
    Column(gettext_lazy("registration status"), lambda p: p.get_registration_status_display()),
    Column(gettext_lazy("phone"), lambda p: p.phone),
    Column(gettext_lazy("e-mail"), lambda p: p.email),
]

FILTER_SCOPE = "people"


@staff_view(Capability.VIEW_PERSONAL_DATA)
def person_list(request: HttpRequest, actor: Actor) -> HttpResponseBase:
    if request.method == "POST":
        # Names and BSNs are searched by POST and kept in the session: never in the URL.
        key = stash_filters(request, scope=FILTER_SCOPE, data=request.POST.dict())
        return redirect(f"{reverse('people:person_list')}?f={key}")
    form = PersonFilterForm(stashed_filters(request, scope=FILTER_SCOPE) or None)
    filters = form.to_filter()
    file_format = requested_export(request)
    if file_format:
        people = selectors.person_export(actor=actor, filters=filters, file_format=file_format)
        return export_response(
            rows=people.iterator(chunk_size=2000),
            columns=PERSON_COLUMNS,
            file_format=file_format,
            filename="personen",
        )
    page = selectors.person_page(actor=actor, filters=filters, page_number=request.GET.get("page"))
    return render(request, "people/person_list.html", {"form": form, "page": page})


@staff_view(Capability.VIEW_PERSONAL_DATA)
def person_detail(request: HttpRequest, actor: Actor, person_id: int) -> HttpResponse:
    person = selectors.person_get(actor=actor, person_id=person_id)
    residences = selectors.person_residences(actor=actor, person=person)
    history = selectors.residence_verifications(actor=actor, residences=residences)
    for residence in residences:
        residence.verification_steps = history.get(residence.pk, [])  # type: ignore[attr-defined]
        residence.can_move_to = next_statuses(residence.verification_status)  # type: ignore[attr-defined]
    return render(
        request,
        "people/person_detail.html",
        {
            "person": person,
            "residences": residences,
            "employments": person_employments(actor=actor, person=person),
            "methods": VerificationMethod.choices,
            "labour_migrant": getattr(person, "labour_migrant", None),
            "rni_rows": rni_rows(person.rni),
        },
    )


@staff_view(Capability.VIEW_PERSONAL_DATA, Capability.EDIT_PEOPLE)
def person_edit(request: HttpRequest, actor: Actor, person_id: int) -> HttpResponse:
    person = selectors.person_get(actor=actor, person_id=person_id, context="person_edit")
    form = PersonForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(
                actor=actor, person=person, expected_version=form.cleaned_data["version"], **form.changes()
            )
        except ConcurrentEditError as error:
            form.add_error(None, str(error.message))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The changes are saved."))
            return redirect("people:person_detail", person_id=person.pk)
    return render(request, "people/person_form.html", {"form": form, "person": person})


@staff_view(Capability.VIEW_PERSONAL_DATA, Capability.EDIT_PEOPLE)
def person_move(request: HttpRequest, actor: Actor, person_id: int) -> HttpResponse:
    person = selectors.person_get(actor=actor, person_id=person_id, context="person_move")
    form = MoveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        address = address_find(
            actor=actor,
            postcode=data["postcode"],
            house_number=data["house_number"],
            house_letter=data["house_letter"],
            house_number_addition=data["house_number_addition"],
        )
        if address is None:
            form.add_error(
                "postcode",
                _("There is no address with this postcode and house number in this municipality's register."),
            )
        else:
            try:
                services.residence_start(
                    actor=actor,
                    person=person,
                    address=address,
                    starts_on=data["starts_on"],
                    source=data["source"],
                    verification_status=data["verification_status"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The new address is registered; the previous one has ended."))
                return redirect("people:person_detail", person_id=person.pk)
    return render(request, "people/person_move.html", {"form": form, "person": person})


@staff_view(Capability.VIEW_PERSONAL_DATA, Capability.EDIT_PEOPLE)
def residence_verify(request: HttpRequest, actor: Actor, person_id: int, residence_id: int) -> HttpResponse:
    """Verify, reject or dispute one residence (a plain POST with the version; GET shows the form alone)."""
    person = selectors.person_get(actor=actor, person_id=person_id, context="residence_verify")
    residence = selectors.residence_get(actor=actor, person=person, residence_id=residence_id)
    form = VerificationForm(
        request.POST or None,
        current_status=residence.verification_status,
        initial={"version": residence.version},
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.residence_verify(
                    actor=actor,
                    residence=residence,
                    status=data["status"],
                    method=data["method"],
                    note=data["note"],
                    expected_version=data["version"],
                )
            except ConcurrentEditError as error:
                form.add_error(None, str(error.message))
                status = 409
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("The verification of the address is recorded."))
                return redirect("people:person_detail", person_id=person.pk)
        status = status if status != 200 else 400
    steps = selectors.residence_verifications(actor=actor, residences=[residence])[residence.pk]
    return render(
        request,
        "people/residence_verify.html",
        {"person": person, "residence": residence, "form": form, "steps": steps},
        status=status,
    )


def _add_errors(form: VerificationForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
