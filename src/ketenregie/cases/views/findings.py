"""Findings, first-registration forms, measures, attachments, hand-overs and agreements."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from ketenregie.cases import history, selectors, services
from ketenregie.cases.forms import (
    AttachmentForm,
    FindingForm,
    HandoverForm,
    MeasureForm,
    MeasureStatusForm,
    RegistrationFormForm,
    RegistrationStatusForm,
)
from ketenregie.cases.models import Measure
from ketenregie.cases.services.lifecycle import require_recording
from ketenregie.cases.views.cases import _managed
from ketenregie.cases.views.common import case_view
from ketenregie.core.actor import Actor
from ketenregie.core.concurrency import ConcurrentEditError
from ketenregie.core.permissions import Capability
from ketenregie.core.selectors import organisations
from ketenregie.core.validators import parse_id
from ketenregie.web.decorators import staff_view


@case_view(Capability.RECORD_FINDINGS)
def finding_create(request: HttpRequest, actor: Actor, case_id: int) -> HttpResponse:
    case, access = selectors.case_get(actor=actor, case_id=case_id)
    require_recording(actor, case)
    stops = {stop.address_id: stop for stop in selectors.case_addresses(actor=actor, access=access)}
    stop = stops.get(parse_id(request.POST.get("address") or request.GET.get("address")) or 0)
    if stop is None:
        raise Http404("address not in this case")
    form = FindingForm(
        request.POST or None,
        request.FILES or None,
        initial={"found_on": case.planned_on or timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            finding = services.finding_record(
                actor=actor,
                case=case,
                address=stop.address,
                found_on=form.cleaned_data["found_on"],
                **form.values(),
            )
            for upload in form.cleaned_data["attachments"]:
                services.attachment_add(actor=actor, case=case, upload=upload, finding=finding)
        except ValidationError as error:
            form.add_error(None, error)
        except PermissionDenied as denied:
            form.add_error("attachments", str(denied))
        else:
            messages.success(
                request, _("The finding at %(address)s is recorded.") % {"address": stop.address.label}
            )
            if finding.unregistered_persons and access.sees_persons:
                return redirect("cases:registration_add", case_id=case.pk, finding_id=finding.pk)
            return redirect("cases:case_detail", case_id=case.pk)
    return render(
        request, "cases/finding_form.html", {"case": case, "stop": stop, "form": form, "finding": None}
    )


@case_view(Capability.RECORD_FINDINGS)
def finding_edit(request: HttpRequest, actor: Actor, case_id: int, finding_id: int) -> HttpResponse:
    case, access = selectors.case_get(actor=actor, case_id=case_id)
    require_recording(actor, case)
    finding = selectors.finding_get(actor=actor, access=access, finding_id=finding_id)
    history.require_may_change(actor, finding)
    initial = {
        name: getattr(finding, name) for name in FindingForm.base_fields if name not in ("attachments",)
    }
    form = FindingForm(request.POST or None, request.FILES or None, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.finding_update(
                actor=actor,
                finding=finding,
                expected_version=form.cleaned_data["version"] or 0,
                **form.values(),
            )
            for upload in form.cleaned_data["attachments"]:
                services.attachment_add(actor=actor, case=case, upload=upload, finding=finding)
        except ConcurrentEditError as error:
            form.add_error(None, str(error.message))
            status = 409
        except ValidationError as error:
            form.add_error(None, error)
        except PermissionDenied as denied:
            form.add_error("attachments", str(denied))
        else:
            messages.success(request, _("The finding is saved."))
            return redirect("cases:case_detail", case_id=case.pk)
    stop = case.case_addresses.select_related("address").filter(address=finding.address).first()
    return render(
        request,
        "cases/finding_form.html",
        {"case": case, "stop": stop, "form": form, "finding": finding},
        status=status,
    )


@case_view(Capability.RECORD_FINDINGS)
def registration_add(request: HttpRequest, actor: Actor, case_id: int, finding_id: int) -> HttpResponse:
    case, access = selectors.case_get(actor=actor, case_id=case_id)
    if not access.sees_persons:
        raise PermissionDenied(_("Your organisation's agreement does not cover identities of persons."))
    finding = selectors.finding_get(actor=actor, access=access, finding_id=finding_id)
    form = RegistrationFormForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.registration_form_add(actor=actor, finding=finding, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The first-registration form is drawn up."))
            if request.POST.get("another"):
                return redirect("cases:registration_add", case_id=case.pk, finding_id=finding.pk)
            return redirect("cases:case_detail", case_id=case.pk)
    drawn_up = finding.registration_forms.count()
    return render(
        request,
        "cases/registration_form.html",
        {"case": case, "finding": finding, "form": form, "drawn_up": drawn_up},
    )


@staff_view(Capability.PROCESS_FIRST_REGISTRATIONS, Capability.VIEW_PERSONAL_DATA)
def registration_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    """Civil affairs' work list of first-registration forms waiting for the BRP."""
    if request.method == "POST":
        form_id = request.POST.get("form", "")
        status_form = RegistrationStatusForm(request.POST)
        registration_id = parse_id(form_id)
        if registration_id is not None and status_form.is_valid():
            registration = selectors.registration_form_get(actor=actor, form_id=registration_id)
            try:
                services.registration_form_set_status(
                    actor=actor,
                    form=registration,
                    expected_version=status_form.cleaned_data["version"],
                    status=status_form.cleaned_data["status"],
                )
            except ConcurrentEditError as error:
                messages.error(request, str(error.message))
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(
                    request,
                    _("The form is marked: %(status)s.") % {"status": registration.get_status_display()},
                )
        return redirect("cases:registration_list")
    status = request.GET.get("status", "drawn_up")
    page = selectors.registration_forms_to_process(actor=actor, status=status)
    return render(request, "cases/registration_list.html", {"page": page, "status": status})


@case_view(Capability.MANAGE_CASES)
def measure_create(request: HttpRequest, actor: Actor, case_id: int) -> HttpResponse:
    case, access = _managed(actor, case_id)
    stops = selectors.case_addresses(actor=actor, access=access)
    form = MeasureForm(
        request.POST or None,
        addresses=stops,
        organisations=organisations(actor=actor),
        initial={"issued_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.measure_take(
                actor=actor,
                case=case,
                kind=data["kind"],
                address=form.addresses.get(data["address"] or 0),
                addressee=data["addressee"],
                issued_on=data["issued_on"],
                amount=data["amount"],
                max_amount=data["max_amount"],
                deadline=data["deadline"],
                handed_to=data["handed_to"],
                notes=data["notes"],
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error)
        else:
            messages.success(request, _("The measure is recorded."))
            return redirect("cases:case_detail", case_id=case.pk)
    return render(request, "cases/measure_form.html", {"case": case, "form": form})


@case_view(Capability.MANAGE_CASES)
def measure_status(request: HttpRequest, actor: Actor, case_id: int, measure_id: int) -> HttpResponse:
    case, _access = _managed(actor, case_id)
    measure = Measure.objects.filter(pk=measure_id, case=case).first()
    if measure is None:
        raise Http404("measure not found")
    history.require_may_change(actor, measure)
    form = MeasureStatusForm(
        request.POST or None, initial={"version": measure.version, "status": measure.status}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.measure_set_status(
                actor=actor,
                measure=measure,
                expected_version=form.cleaned_data["version"],
                status=form.cleaned_data["status"],
            )
        except ConcurrentEditError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("The measure is updated."))
            return redirect("cases:case_detail", case_id=case.pk)
    return render(request, "cases/measure_status.html", {"case": case, "measure": measure, "form": form})


@case_view(Capability.RECORD_FINDINGS)
def attachment_create(request: HttpRequest, actor: Actor, case_id: int) -> HttpResponse:
    case, access = selectors.case_get(actor=actor, case_id=case_id)
    if not access.sees_attachments:
        raise PermissionDenied(_("Your organisation's agreement does not cover photos and documents."))
    form = AttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            for upload in form.cleaned_data["attachments"]:
                services.attachment_add(
                    actor=actor, case=case, upload=upload, description=form.cleaned_data["description"]
                )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The files are attached."))
            return redirect("cases:case_detail", case_id=case.pk)
    return render(
        request,
        "cases/attachment_form.html",
        {"case": case, "form": form},
        status=400 if form.errors else 200,
    )


@case_view()
def attachment_download(request: HttpRequest, actor: Actor, case_id: int, attachment_id: int) -> FileResponse:
    _case, access = selectors.case_get(actor=actor, case_id=case_id)
    attachment = selectors.case_attachment_get(actor=actor, access=access, attachment_id=attachment_id)
    response = FileResponse(
        attachment.file.open("rb"),
        content_type=attachment.content_type,
        as_attachment=not attachment.is_image,
        filename=attachment.original_name,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@case_view(Capability.HAND_OVER_CASES)
def handover_create(request: HttpRequest, actor: Actor, case_id: int) -> HttpResponse:
    case, _access = _managed(actor, case_id)
    form = HandoverForm(request.POST or None, organisations=selectors.handover_recipients(actor=actor))
    if request.method == "POST" and form.is_valid():
        try:
            handover = services.handover_create(
                actor=actor,
                case=case,
                to_organisation=form.cleaned_data["to_organisation"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            form.add_error("to_organisation", error)
        else:
            messages.success(
                request,
                _("The dossier is handed over to %(organisation)s and recorded.")
                % {"organisation": handover.to_organisation.name},
            )
            return redirect("cases:case_detail", case_id=case.pk)
    agreements = [
        (
            organisation,
            services.find_agreement(
                municipality_id=case.municipality_id, organisation=organisation, kind=case.kind
            ),
        )
        for organisation in form.fields["to_organisation"].queryset  # type: ignore[attr-defined]
    ]
    return render(request, "cases/handover_form.html", {"case": case, "form": form, "agreements": agreements})


@case_view()
def handover_download(request: HttpRequest, actor: Actor, case_id: int, handover_id: int) -> FileResponse:
    case, access = selectors.case_get(actor=actor, case_id=case_id)
    handover = selectors.handover_get(actor=actor, access=access, handover_id=handover_id)
    if not handover.dossier:
        raise Http404("no dossier archived")
    response = FileResponse(
        handover.dossier.open("rb"),
        content_type="application/zip",
        as_attachment=True,
        filename=f"dossier-{case.reference}.zip",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@staff_view(Capability.VIEW_AGREEMENTS)
def agreement_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    return render(
        request,
        "cases/agreement_list.html",
        {"agreements": selectors.agreements(actor=actor), "today": timezone.localdate()},
    )
