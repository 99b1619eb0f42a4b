from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ketenregie.core.actor import Actor
from ketenregie.core.concurrency import ConcurrentEditError
from ketenregie.core.permissions import Capability
from ketenregie.signals import selectors, services
from ketenregie.signals.forms import (
    CloseForm,
    ResolveAddressForm,
    SignalFilterForm,
    SignalIntakeForm,
    TriageForm,
)
from ketenregie.signals.intake import signal_create_initial
from ketenregie.signals.models import Signal
from ketenregie.signals.selectors import QUEUES
from ketenregie.web.decorators import staff_view
from ketenregie.web.exports import Column, export_response
from ketenregie.web.lists import requested_export

SIGNAL_COLUMNS = [
    Column(gettext_lazy("number"), lambda s: s.reference),
    Column(gettext_lazy("received at"), lambda s: s.received_at),
    Column(gettext_lazy("channel"), lambda s: s.get_channel_display()),
    Column(gettext_lazy("main category"), lambda s: s.category.top.name),
    Column(gettext_lazy("category"), lambda s: s.category.name),
    Column(gettext_lazy("address"), lambda s: s.address.label if s.address else s.location_text),
    Column(gettext_lazy("address to be resolved"), lambda s: s.needs_address),
    Column(gettext_lazy("status"), lambda s: s.get_status_display()),
    Column(gettext_lazy("deadline"), lambda s: s.due_on),
    Column(gettext_lazy("result"), lambda s: s.get_result_display()),
    Column(gettext_lazy("closed at"), lambda s: s.closed_at),
    Column(gettext_lazy("linked to"), lambda s: s.duplicate_of_id and f"M-{s.duplicate_of_id:06d}"),
]


def _queue(request: HttpRequest) -> str:
    queue = request.GET.get("queue", "open")
    return queue if queue in QUEUES else "open"


@staff_view(Capability.VIEW_SIGNALS)
def signal_list(request: HttpRequest, actor: Actor) -> HttpResponseBase:
    """The triage queue: open meldingen by deadline, with tabs for each status and the overdue ones."""
    queue = _queue(request)
    form = SignalFilterForm(request.GET or None, actor=actor)
    filters = form.to_filter(queue)
    file_format = requested_export(request)
    if file_format:
        rows = selectors.signal_export(actor=actor, filters=filters, file_format=file_format)
        return export_response(
            rows=rows.iterator(chunk_size=2000),
            columns=SIGNAL_COLUMNS,
            file_format=file_format,
            filename="meldingen",
        )
    page = selectors.signal_page(actor=actor, filters=filters, page_number=request.GET.get("page"))
    context = {"form": form, "page": page, "queue": queue, "today": _today()}
    if request.headers.get("HX-Request"):
        return render(request, "signals/signal_list_results.html", context)
    context["counts"] = selectors.signal_queue_counts(actor=actor)
    context["classifier"] = selectors.classifier_info(actor=actor)
    return render(request, "signals/signal_list.html", context)


def _today() -> Any:
    from django.utils import timezone

    return timezone.localdate()


@staff_view(Capability.SUBMIT_SIGNALS)
def signal_create(request: HttpRequest, actor: Actor) -> HttpResponse:
    form = SignalIntakeForm(request.POST or None, request.FILES or None, actor=actor)
    if request.method == "POST" and form.is_valid():
        try:
            signal = signal_create_initial(form.intake(), actor=actor)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if signal.needs_address:
                messages.warning(
                    request,
                    _(
                        "Melding %(reference)s is saved. Its address was not found in the register; it is "
                        "flagged so the address can be resolved."
                    )
                    % {"reference": signal.reference},
                )
            else:
                messages.success(
                    request, _("Melding %(reference)s is saved.") % {"reference": signal.reference}
                )
            if signal.duplicate_of_id:
                messages.info(
                    request,
                    _("It is linked to the open melding %(reference)s at the same address.")
                    % {"reference": signal.duplicate_of.reference if signal.duplicate_of else ""},
                )
            if actor.can(Capability.VIEW_SIGNALS):
                return redirect("signals:signal_detail", signal_id=signal.pk)
            return render(request, "signals/signal_received.html", {"signal": signal})
    return render(request, "signals/signal_form.html", {"form": form})


@staff_view(Capability.SUBMIT_SIGNALS)
@require_POST
def signal_suggest(request: HttpRequest, actor: Actor) -> HttpResponse:
    """The suggested category for the text typed so far (htmx); the user decides whether to use it."""
    text = request.POST.get("description", "")[:5000]
    suggestion = selectors.signal_suggest(actor=actor, text=text) if len(text.strip()) >= 10 else None
    return render(
        request, "signals/includes/suggestion.html", {"suggestion": suggestion, "field": "category"}
    )


def _detail_context(actor: Actor, signal: Signal, **forms: Any) -> dict[str, Any]:
    from ketenregie.cases.selectors import cases_for_signal

    version = {"version": signal.version}
    return {
        "signal": signal,
        "duplicates": selectors.signal_duplicates(actor=actor, signal=signal),
        "attachments": selectors.signal_attachments(actor=actor, signal=signal),
        "has_contact": selectors.signal_has_contact(actor=actor, signal=signal),
        "cases": cases_for_signal(actor=actor, signal=signal) if actor.can(Capability.VIEW_CASES) else [],
        "triage_form": forms.get("triage_form")
        or TriageForm(
            initial={**version, "category": signal.category_id, "assigned_to": signal.assigned_to_id},
            actor=actor,
        ),
        "address_form": forms.get("address_form") or ResolveAddressForm(initial=version),
        "close_form": forms.get("close_form") or CloseForm(initial=version),
        "signal_suggestion": selectors.Suggestion(
            category=signal.suggested_category, confidence=signal.suggestion_confidence or 0
        )
        if signal.suggested_category
        else None,
        "today": _today(),
    }


@staff_view(Capability.VIEW_SIGNALS)
def signal_detail(request: HttpRequest, actor: Actor, signal_id: int) -> HttpResponse:
    signal = selectors.signal_get(actor=actor, signal_id=signal_id)
    return render(request, "signals/signal_detail.html", _detail_context(actor, signal))


@staff_view(Capability.VIEW_SIGNAL_REPORTERS)
def signal_reporter(request: HttpRequest, actor: Actor, signal_id: int) -> HttpResponse:
    signal = selectors.signal_get(actor=actor, signal_id=signal_id)
    contact = selectors.signal_reporter(actor=actor, signal=signal)
    template = (
        "signals/includes/reporter.html"
        if request.headers.get("HX-Request")
        else "signals/signal_reporter.html"
    )
    return render(request, template, {"signal": signal, "contact": contact})


@staff_view(Capability.VIEW_SIGNALS)
def signal_attachment(request: HttpRequest, actor: Actor, signal_id: int, attachment_id: int) -> FileResponse:
    attachment = selectors.signal_attachment_get(
        actor=actor, signal_id=signal_id, attachment_id=attachment_id
    )
    response = FileResponse(
        attachment.file.open("rb"),
        content_type=attachment.content_type,
        as_attachment=not attachment.is_image,
        filename=attachment.original_name,
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _conflict(form: Any, error: ConcurrentEditError) -> None:
    form.add_error(None, str(error.message))


@staff_view(Capability.HANDLE_SIGNALS)
def signal_triage(request: HttpRequest, actor: Actor, signal_id: int) -> HttpResponse:
    signal = selectors.signal_get(actor=actor, signal_id=signal_id)
    form = TriageForm(
        request.POST or None,
        initial={
            "version": signal.version,
            "category": signal.category_id,
            "assigned_to": signal.assigned_to_id,
        },
        actor=actor,
    )
    inline = bool(request.headers.get("HX-Request")) and request.POST.get("inline") == "1"
    conflict = False
    if request.method == "POST" and form.is_valid():
        try:
            signal = services.signal_triage(
                actor=actor,
                signal=signal,
                expected_version=form.cleaned_data["version"],
                category=form.cleaned_data["category_object"],
                assigned_to=form.cleaned_data["assigned_user"],
            )
        except ConcurrentEditError as error:
            _conflict(form, error)
            conflict = True
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if inline:
                row = selectors.signal_list(actor=actor, filters=selectors.SignalFilter(queue="all")).get(
                    pk=signal.pk
                )
                return render(
                    request,
                    "signals/includes/queue_row.html",
                    {"signal": row, "today": _today(), "done": True},
                )
            messages.success(request, _("The melding is triaged."))
            return redirect("signals:signal_detail", signal_id=signal.pk)
    if inline:
        # htmx swaps only successful responses: the row comes back with the reason it was not saved.
        row = selectors.signal_list(actor=actor, filters=selectors.SignalFilter(queue="all")).get(
            pk=signal.pk
        )
        errors = [str(e) for e in form.non_field_errors()] or [
            str(e) for errs in form.errors.values() for e in errs
        ]
        return render(
            request,
            "signals/includes/queue_row.html",
            {"signal": row, "today": _today(), "errors": errors, "conflict": conflict},
        )
    return _action_page(request, actor, signal, triage_form=form)


def _action_page(request: HttpRequest, actor: Actor, signal: Signal, **forms: Any) -> HttpResponse:
    status = 400 if request.method == "POST" else 200
    return render(
        request, "signals/signal_detail.html", _detail_context(actor, signal, **forms), status=status
    )


@staff_view(Capability.HANDLE_SIGNALS)
def signal_address(request: HttpRequest, actor: Actor, signal_id: int) -> HttpResponse:
    signal = selectors.signal_get(actor=actor, signal_id=signal_id)
    form = ResolveAddressForm(request.POST or None, initial={"version": signal.version})
    if request.method == "POST" and form.is_valid():
        address = services.resolve_address(actor.municipality, form.reported_address())
        if address is None:
            form.add_error(
                "postcode",
                _("There is no address with this postcode and house number in this municipality's register."),
            )
        else:
            try:
                services.signal_resolve_address(
                    actor=actor, signal=signal, expected_version=form.cleaned_data["version"], address=address
                )
            except ConcurrentEditError as error:
                _conflict(form, error)
            else:
                messages.success(
                    request, _("The address is resolved: %(address)s.") % {"address": address.label}
                )
                return redirect("signals:signal_detail", signal_id=signal.pk)
    return _action_page(request, actor, signal, address_form=form)


@staff_view(Capability.HANDLE_SIGNALS)
def signal_close(request: HttpRequest, actor: Actor, signal_id: int) -> HttpResponse:
    signal = selectors.signal_get(actor=actor, signal_id=signal_id)
    form = CloseForm(request.POST or None, initial={"version": signal.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.signal_close(
                actor=actor,
                signal=signal,
                expected_version=form.cleaned_data["version"],
                result=form.cleaned_data["result"],
                note=form.cleaned_data["note"],
            )
        except ConcurrentEditError as error:
            _conflict(form, error)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The melding is closed."))
            return redirect(reverse("signals:signal_detail", args=[signal.pk]))
    return _action_page(request, actor, signal, close_form=form)
