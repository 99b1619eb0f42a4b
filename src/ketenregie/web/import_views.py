from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ketenregie.core.actor import Actor
from ketenregie.core.imports import ImportRejected, run_import
from ketenregie.core.permissions import Capability
from ketenregie.deliveries import selectors as delivery_selectors
from ketenregie.deliveries.models import DeliveryChannel
from ketenregie.deliveries.services import DeliveryContext
from ketenregie.web.decorators import staff_view
from ketenregie.web.import_kinds import DELIVERY_KINDS, IMPORT_KINDS, importer_for


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Which register"),
        choices=[(key, label) for key, (label, _cls) in IMPORT_KINDS.items()],
    )
    employer_kvk = forms.CharField(
        label=gettext_lazy("Delivered for (KvK number)"),
        required=False,
        max_length=8,
        help_text=gettext_lazy("For a delivery: the employer, agency or provider whose list this is."),
    )
    file = forms.FileField(
        label=gettext_lazy("CSV file"),
        help_text=gettext_lazy("UTF-8, separated by semicolons or commas, with a header row."),
    )

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        limit: int = settings.IMPORT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is %(size)d MB; the limit is %(limit)d MB.")
                % {"size": upload.size // 2**20, "limit": limit // 2**20}
            )
        if not upload.name.lower().endswith((".csv", ".txt")):
            raise forms.ValidationError(_("Upload a .csv file."))
        return upload


@staff_view(Capability.IMPORT_REGISTERS)
def import_view(request: HttpRequest, actor: Actor) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    context: dict[str, object] = {
        "form": form,
        "kinds": {
            key: (label, cls.required_columns, cls.optional_columns)
            for key, (label, cls) in IMPORT_KINDS.items()
        },
    }
    if request.method == "POST" and form.is_valid():
        kind, upload = form.cleaned_data["kind"], form.cleaned_data["file"]
        data = upload.read()
        delivery = _delivery_context(actor, form, kind, upload.name, data) if kind in DELIVERY_KINDS else None
        if kind in DELIVERY_KINDS and delivery is None:
            return render(request, "web/import.html", context)
        try:
            result = run_import(actor=actor, importer=importer_for(kind, delivery), data=data)
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
            context["result"] = result
            messages.success(
                request,
                _("Imported: %(created)d new, %(updated)d changed, %(unchanged)d unchanged.")
                % {"created": result.created, "updated": result.updated, "unchanged": result.unchanged},
            )
    return render(request, "web/import.html", context)


def _delivery_context(
    actor: Actor, form: ImportForm, kind: str, file_name: str, data: bytes
) -> DeliveryContext | None:
    """Whom an uploaded delivery is for; None (with the error on the form) when that is not clear."""
    try:
        employer = delivery_selectors.delivering_employer(
            actor=actor, employer_kvk=form.cleaned_data["employer_kvk"].strip()
        )
    except ValidationError as error:
        form.add_error("employer_kvk", error.message_dict.get("employer_kvk", error.messages))
        return None
    except PermissionDenied as error:
        form.add_error("employer_kvk", str(error))
        return None
    return delivery_selectors.employer_delivery_context(
        actor=actor, kind=kind, employer=employer, channel=DeliveryChannel.UPLOAD, file_name=file_name
    ).with_data(data)
