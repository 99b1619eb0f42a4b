"""Civil affairs processes a first-registration form: an RNI registration or a BRP registration request."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ketenregie.cases import selectors, services
from ketenregie.cases.forms import RegistrationProcessForm
from ketenregie.cases.models import RegistrationFormStatus
from ketenregie.core.actor import Actor
from ketenregie.core.concurrency import ConcurrentEditError
from ketenregie.core.permissions import Capability
from ketenregie.people import selectors as people_selectors
from ketenregie.web.decorators import staff_view


@staff_view(Capability.PROCESS_FIRST_REGISTRATIONS, Capability.VIEW_PERSONAL_DATA, Capability.EDIT_PEOPLE)
def registration_process(request: HttpRequest, actor: Actor, form_id: int) -> HttpResponse:
    registration = selectors.registration_form_get(actor=actor, form_id=form_id)
    candidates = people_selectors.registration_candidates(
        actor=actor,
        bsn=registration.bsn,
        given_names=registration.given_names,
        surname_prefix=registration.surname_prefix,
        surname=registration.surname,
        birth_date=registration.birth_date,
    )
    by_id = {candidate.person.pk: candidate for candidate in candidates}
    certain = [c for c in candidates if c.certain]
    initial = {
        "version": registration.version,
        "outcome": "rni" if registration.bsn else "brp_request",
        # A single person with the same BSN is proposed; any other match must be chosen by hand.
        "person": str(certain[0].person.pk) if len(certain) == 1 else ("" if candidates else "new"),
    }
    form = RegistrationProcessForm(request.POST or None, candidate_ids=list(by_id), initial=initial)
    status = 200
    processable = registration.status in (RegistrationFormStatus.DRAWN_UP, RegistrationFormStatus.SENT)
    if request.method == "POST" and not processable:
        status = 409  # processed or rejected in between: the page shows what happened
    if request.method == "POST" and processable:
        if form.is_valid():
            data = form.cleaned_data
            chosen = None if data["person"] == form.NEW else by_id[int(data["person"])]
            try:
                services.registration_form_process(
                    actor=actor,
                    form=registration,
                    expected_version=data["version"],
                    outcome=data["outcome"],
                    person=chosen.person if chosen else None,
                    create_new=chosen is None,
                    bsn=data["bsn"],
                    note=data["note"],
                )
            except ConcurrentEditError as error:
                form.add_error(None, str(error.message))
                status = 409
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    for field, errors in error.message_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    form.add_error(None, error)
            else:
                messages.success(request, _("The form is processed and the person is in the register."))
                return redirect("cases:registration_list")
        if status == 200:
            status = 400
    return render(
        request,
        "cases/registration_process.html",
        {
            "registration": registration,
            "form": form,
            "candidates": candidates,
            "processable": processable,
        },
        status=status,
    )
