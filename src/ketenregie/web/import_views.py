from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ketenregie.core.actor import Actor
from ketenregie.core.imports import ImportConflict, ImportRejected, run_import
from ketenregie.core.permissions import Capability
from ketenregie.deliveries.models import DeliveryChannel, DeliveryObligation, DeliverySource
from ketenregie.deliveries.selectors import deliverers
from ketenregie.deliveries.services import DeliveryContext, delivery_context_for, delivery_refused
from ketenregie.web.decorators import staff_view
from ketenregie.web.import_kinds import IMPORT_KINDS, importer_for, is_delivery

if TYPE_CHECKING:
    from ketenregie.employers.models import Employer

# delivery_context_for's error keys → the form's fields (the page names the employer by choice, not KvK).
DELIVERY_FIELDS = {"employer_kvk": "employer", "source": "source", "obligation": "obligation"}


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Which register"),
        choices=[(key, label) for key, (label, _cls) in IMPORT_KINDS.items()],
    )
    file = forms.FileField(
        label=gettext_lazy("CSV file"),
        help_text=gettext_lazy("UTF-8, separated by semicolons or commas, with a header row."),
    )
    # Deliveries only: who delivers, as what, under which obligation.
    employer: forms.ModelChoiceField[Employer] = forms.ModelChoiceField(
        label=gettext_lazy("Delivered by (for a delivery)"),
        required=False,
        queryset=None,  # the deliverers the actor may name, given to __init__
        help_text=gettext_lazy("The employer, temp agency or housing provider whose list this is."),
    )
    source = forms.ChoiceField(
        label=gettext_lazy("Deliverer kind"),
        required=False,
        choices=[("", gettext_lazy("from the employer")), *DeliverySource.choices],
    )
    # The empty first choice is what a browser sends untouched: the obligation then follows from the
    # membership (delivery_context_for), not from whichever obligation happens to be listed first.
    obligation = forms.ChoiceField(
        label=gettext_lazy("Delivered under"),
        required=False,
        choices=[("", gettext_lazy("as the membership says")), *DeliveryObligation.choices],
    )

    def __init__(self, *args: Any, employers: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if employers is None:  # a form that imports no deliveries (the monitoring import)
            for name in ("employer", "source", "obligation"):
                del self.fields[name]
        else:
            self.fields["employer"].queryset = employers  # type: ignore[attr-defined]

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
    form = ImportForm(request.POST or None, request.FILES or None, employers=deliverers(actor=actor))
    context: dict[str, object] = {
        "form": form,
        "kinds": {
            key: (label, cls.required_columns, cls.optional_columns)
            for key, (label, cls) in IMPORT_KINDS.items()
        },
    }
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["file"].read()
        kind = form.cleaned_data["kind"]
        delivery: DeliveryContext | None = None
        if is_delivery(kind):
            employer = form.cleaned_data["employer"]
            try:
                delivery = delivery_context_for(
                    actor=actor,
                    kind=kind,
                    channel=DeliveryChannel.UPLOAD,
                    employer_kvk=employer.kvk_number if employer else "",
                    source=form.cleaned_data["source"],
                    obligation=form.cleaned_data["obligation"],
                    file_name=form.cleaned_data["file"].name,
                ).with_data(data)
            except ValidationError as error:
                for field, field_messages in error.message_dict.items():
                    form.add_error(DELIVERY_FIELDS.get(field), field_messages)
                return render(request, "web/import.html", context)
        importer = importer_for(kind, delivery)
        try:
            result = run_import(actor=actor, importer=importer, data=data)
        except ImportConflict as conflict:
            messages.error(request, str(conflict))
        except ImportRejected as rejected:
            delivery_refused(actor=actor, importer=importer, error_count=len(rejected.errors))
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
            review_count = getattr(importer, "review_count", 0)
            if review_count:
                messages.warning(
                    request,
                    _(
                        "%(count)d row(s) may be a known person and wait for civil affairs "
                        "in the review queue."
                    )
                    % {"count": review_count},
                )
    return render(request, "web/import.html", context)
