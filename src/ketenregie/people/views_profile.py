"""The person page's work and labour-migration actions: add and end an employment, record, change or
confirm the labour-migrant profile. Employments are the employers app's: read and written through
its selectors and services, never its models."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ketenregie.core.actor import Actor
from ketenregie.core.concurrency import ConcurrentEditError
from ketenregie.core.permissions import Capability
from ketenregie.employers import selectors as employer_selectors
from ketenregie.employers import services as employer_services
from ketenregie.people import selectors, services
from ketenregie.people.forms import ConfirmForm, EmploymentEndForm, EmploymentForm, LabourMigrantForm
from ketenregie.web.decorators import staff_view

EDIT = (Capability.VIEW_PERSONAL_DATA, Capability.EDIT_PEOPLE)


@staff_view(*EDIT)
def employment_add(request: HttpRequest, actor: Actor, person_id: int) -> HttpResponse:
    person = selectors.person_get(actor=actor, person_id=person_id, context="employment_add")
    form = EmploymentForm(request.POST or None, employers=employer_selectors.employer_options(actor=actor))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            employer_services.employment_start(
                actor=actor,
                person=person,
                employer=data["employer"],
                hirer=data["hirer"],
                sector=data["sector"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The employment is recorded."))
            return redirect("people:person_detail", person_id=person.pk)
    return render(request, "people/employment_form.html", {"form": form, "person": person})


@staff_view(*EDIT)
def employment_end(request: HttpRequest, actor: Actor, person_id: int, employment_id: int) -> HttpResponse:
    person = selectors.person_get(actor=actor, person_id=person_id, context="employment_end")
    employment = employer_selectors.person_employment_get(
        actor=actor, person=person, employment_id=employment_id
    )
    form = EmploymentEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            employer_services.employment_end(
                actor=actor, employment=employment, ends_on=form.cleaned_data["ends_on"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The employment has ended."))
            return redirect("people:person_detail", person_id=person.pk)
    return render(
        request, "people/employment_end.html", {"form": form, "person": person, "employment": employment}
    )


@staff_view(*EDIT)
def labour_migrant_edit(request: HttpRequest, actor: Actor, person_id: int) -> HttpResponse:
    person = selectors.person_get(actor=actor, person_id=person_id, context="labour_migrant_edit")
    migrant = getattr(person, "labour_migrant", None)
    initial = (
        {
            "version": migrant.version,
            "country_of_origin": migrant.country_of_origin,
            "arrival_date": migrant.arrival_date,
            "sector": migrant.sector,
        }
        if migrant
        else {"country_of_origin": person.nationality}
    )
    form = LabourMigrantForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.labour_migrant_record(
                actor=actor,
                person=person,
                country_of_origin=data["country_of_origin"],
                arrival_date=data["arrival_date"],
                sector=data["sector"],
                expected_version=data["version"],
                confirm=data["confirm"],
            )
        except ConcurrentEditError as error:
            form.add_error(None, str(error.message))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The labour-migrant profile is saved."))
            return redirect("people:person_detail", person_id=person.pk)
    return render(
        request, "people/labour_migrant_form.html", {"form": form, "person": person, "migrant": migrant}
    )


@staff_view(*EDIT)
def labour_migrant_confirm(request: HttpRequest, actor: Actor, person_id: int) -> HttpResponse:
    person = selectors.person_get(actor=actor, person_id=person_id, context="labour_migrant_confirm")
    migrant = selectors.person_labour_migrant(actor=actor, person=person)
    form = ConfirmForm(request.POST or None, initial={"version": migrant.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.labour_migrant_confirm(
                actor=actor, migrant=migrant, expected_version=form.cleaned_data["version"]
            )
        except ConcurrentEditError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("The labour-migrant profile is confirmed."))
            return redirect("people:person_detail", person_id=person.pk)
    return render(
        request, "people/labour_migrant_confirm.html", {"form": form, "person": person, "migrant": migrant}
    )
