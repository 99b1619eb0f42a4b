from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ketenregie.core.actor import Actor
from ketenregie.core.concurrency import ConcurrentEditError
from ketenregie.core.imports import ImportConflict, ImportRejected, run_import
from ketenregie.core.permissions import Capability
from ketenregie.monitoring import selectors, services
from ketenregie.monitoring.forms import CommitmentFilterForm, CommitmentForm
from ketenregie.monitoring.imports import BenchmarkImporter, CommitmentImporter
from ketenregie.web.decorators import staff_view
from ketenregie.web.exports import Column, export_response
from ketenregie.web.import_views import ImportForm
from ketenregie.web.lists import requested_export

COMMITMENT_COLUMNS = [
    Column(gettext_lazy("number"), lambda c: c.number),
    Column(gettext_lazy("kind"), lambda c: c.get_kind_display()),
    Column(gettext_lazy("title"), lambda c: c.title),
    Column(gettext_lazy("date"), lambda c: c.adopted_on),
    Column(gettext_lazy("owner"), lambda c: c.owner),
    Column(gettext_lazy("due date"), lambda c: c.due_on),
    Column(gettext_lazy("status"), lambda c: c.get_status_display()),
    Column(gettext_lazy("proposed settlement"), lambda c: c.settlement_text),
    Column(gettext_lazy("settled on"), lambda c: c.settled_on),
]


@staff_view(Capability.VIEW_MONITORING)
def commitment_list(request: HttpRequest, actor: Actor) -> HttpResponseBase:
    form = CommitmentFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    rows = selectors.commitments(
        actor=actor, status=data.get("status", ""), overdue=bool(data.get("overdue"))
    )
    if data.get("kind"):
        rows = rows.filter(kind=data["kind"])
    file_format = requested_export(request)
    if file_format:
        rows = selectors.commitments_export(actor=actor, rows=rows, file_format=file_format, filters=data)
        return export_response(
            rows=rows, columns=COMMITMENT_COLUMNS, file_format=file_format, filename="toezeggingen-en-moties"
        )
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    return render(request, "monitoring/commitment_list.html", {"form": form, "page": page})


@staff_view(Capability.VIEW_MONITORING)
def commitment_detail(request: HttpRequest, actor: Actor, commitment_id: int) -> HttpResponse:
    commitment = selectors.commitment_get(actor=actor, commitment_id=commitment_id)
    return render(request, "monitoring/commitment_detail.html", {"commitment": commitment})


@staff_view(Capability.EDIT_MONITORING)
def commitment_edit(request: HttpRequest, actor: Actor, commitment_id: int | None = None) -> HttpResponse:
    commitment = selectors.commitment_get(actor=actor, commitment_id=commitment_id) if commitment_id else None
    form = CommitmentForm(request.POST or None, instance=commitment)
    if request.method == "POST" and form.is_valid():
        try:
            if commitment is None:
                commitment = services.commitment_create(actor=actor, **form.changes())
            else:
                services.commitment_update(
                    actor=actor,
                    commitment=commitment,
                    expected_version=form.cleaned_data["version"] or 0,
                    **form.changes(),
                )
        except ConcurrentEditError as error:
            form.add_error(None, str(error.message))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The commitment is saved."))
            return redirect("monitoring:commitment_detail", commitment_id=commitment.pk)
    return render(request, "monitoring/commitment_form.html", {"form": form, "commitment": commitment})


MONITORING_IMPORTS: dict[str, tuple[Any, Any]] = {
    "commitments": (gettext_lazy("Commitments (council export)"), CommitmentImporter),
    "benchmarks": (gettext_lazy("Benchmark figures (CBS, Divosa)"), BenchmarkImporter),
}


@staff_view(Capability.EDIT_MONITORING)
def monitoring_import(request: HttpRequest, actor: Actor) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    form.fields["kind"].choices = [(key, label) for key, (label, _cls) in MONITORING_IMPORTS.items()]  # type: ignore[attr-defined]
    context: dict[str, object] = {
        "form": form,
        "kinds": {
            key: (label, cls.required_columns, cls.optional_columns)
            for key, (label, cls) in MONITORING_IMPORTS.items()
        },
    }
    if request.method == "POST" and form.is_valid():
        importer = MONITORING_IMPORTS[form.cleaned_data["kind"]][1]()
        try:
            result = run_import(actor=actor, importer=importer, data=form.cleaned_data["file"].read())
        except ImportConflict as conflict:
            messages.error(request, str(conflict))
        except ImportRejected as rejected:
            context["errors"] = rejected.errors
            messages.error(
                request,
                _(
                    "Nothing was imported: %(count)d problem(s) in the file. Fix every row "
                    "listed below and upload the file again."
                )
                % {"count": len(rejected.errors)},
            )
        else:
            messages.success(
                request,
                _("Imported: %(created)d new, %(updated)d changed, %(unchanged)d unchanged.")
                % {"created": result.created, "updated": result.updated, "unchanged": result.unchanged},
            )
    return render(request, "web/import.html", context)
