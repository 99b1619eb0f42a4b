"""Staff pages: who delivered what, and the queue of rows civil affairs must match by hand."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ketenregie.core.actor import Actor
from ketenregie.core.concurrency import ConcurrentEditError
from ketenregie.core.permissions import Capability
from ketenregie.deliveries import selectors, services
from ketenregie.deliveries.forms import DeliveryFilterForm, ReviewDecisionForm, ReviewFilterForm
from ketenregie.web.decorators import staff_view


@staff_view(Capability.VIEW_REGISTERS)
def delivery_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    form = DeliveryFilterForm(request.GET or None, employers=selectors.delivering_employers(actor=actor))
    filters = form.to_filter()
    page = Paginator(selectors.delivery_list(actor=actor, filters=filters), 25).get_page(
        request.GET.get("page")
    )
    refused = selectors.refused_deliveries(actor=actor, filters=filters)
    return render(request, "deliveries/delivery_list.html", {"form": form, "page": page, "refused": refused})


@staff_view(Capability.VIEW_PERSONAL_DATA, Capability.EDIT_PEOPLE)
def review_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    form = ReviewFilterForm(request.GET or None, employers=selectors.delivering_employers(actor=actor))
    page = selectors.review_page(actor=actor, filters=form.to_filter(), page_number=request.GET.get("page"))
    return render(request, "deliveries/review_list.html", {"form": form, "page": page})


@staff_view(Capability.VIEW_PERSONAL_DATA, Capability.EDIT_PEOPLE)
def review_detail(request: HttpRequest, actor: Actor, review_id: int) -> HttpResponseBase:
    detail = selectors.review_get(actor=actor, review_id=review_id)
    form = ReviewDecisionForm(
        request.POST or None, candidates=detail.candidates, initial={"version": detail.review.version}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.review_decide(
                actor=actor,
                review=detail.review,
                expected_version=form.cleaned_data["version"],
                decision=form.cleaned_data["decision"],
                person=form.chosen(),
            )
        except ConcurrentEditError as error:
            form.add_error(None, str(error.message))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The row is decided."))
            return redirect("deliveries:review_list")
    return render(request, "deliveries/review_detail.html", {"detail": detail, "form": form})
