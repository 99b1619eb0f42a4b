from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ketenregie.core import selectors
from ketenregie.core.actor import Actor
from ketenregie.core.forms import AuditFilterForm
from ketenregie.core.permissions import Capability
from ketenregie.web.decorators import staff_view
from ketenregie.web.exports import Column, export_response
from ketenregie.web.lists import requested_export, stash_filters, stashed_filters

AUDIT_COLUMNS = [
    Column(_("when"), lambda e: e.occurred_at),
    Column(_("user"), lambda e: e.username),
    Column(_("organisation"), lambda e: e.organisation_name),
    Column(_("role"), lambda e: e.role),
    Column(_("action"), lambda e: e.get_action_display()),
    Column(_("object type"), lambda e: e.object_type),
    Column(_("object id"), lambda e: e.object_id),
    Column(_("purpose"), lambda e: e.purpose),
    Column(_("detail"), lambda e: e.detail),
]
FILTER_SCOPE = "audit"
GRANT_DAYS = 90
FAILED_LOGIN_DAYS = 30


@staff_view(Capability.VIEW_AUDIT_TRAIL)
def audit_list(request: HttpRequest, actor: Actor) -> HttpResponseBase:
    if request.method == "POST":
        key = stash_filters(request, scope=FILTER_SCOPE, data=request.POST.dict())
        return redirect(f"{reverse('core:audit_list')}?f={key}")
    form = AuditFilterForm(stashed_filters(request, scope=FILTER_SCOPE) or None)
    file_format = requested_export(request)
    if file_format:
        events = selectors.audit_export(actor=actor, filters=form.to_filter(), file_format=file_format)
        return export_response(
            rows=events.iterator(chunk_size=2000),
            columns=AUDIT_COLUMNS,
            file_format=file_format,
            filename="audittrail",
        )
    events = selectors.audit_events(actor=actor, filters=form.to_filter())
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "core/audit_list.html", {"form": form, "page": page})


@staff_view(Capability.VIEW_AUDIT_TRAIL)
def access_review(request: HttpRequest, actor: Actor) -> HttpResponseBase:
    """Who was given a role that reads personal data, and who failed to log in."""
    return render(
        request,
        "core/access_review.html",
        {
            "grants": selectors.personal_data_grants(actor=actor, days=GRANT_DAYS),
            "grant_days": GRANT_DAYS,
            "failed_logins": selectors.failed_logins(actor=actor, days=FAILED_LOGIN_DAYS),
            "failed_login_days": FAILED_LOGIN_DAYS,
        },
    )
