from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ketenregie.core.actor import Actor
from ketenregie.core.imports import ImportRejected, run_import
from ketenregie.core.permissions import Capability
from ketenregie.web.decorators import staff_view
from ketenregie.web.import_kinds import IMPORT_KINDS, importer_for


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Which register"),
        choices=[(key, label) for key, (label, _cls) in IMPORT_KINDS.items()],
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
        importer = importer_for(form.cleaned_data["kind"])
        try:
            result = run_import(actor=actor, importer=importer, data=form.cleaned_data["file"].read())
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
            for note in result.notes:
                messages.info(request, note)
    return render(request, "web/import.html", context)
