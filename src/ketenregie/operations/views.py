"""Staff pages of tasks: the list of recent runs, one run followed while it works, and a retry.

The status block (``operations/_task_status.html``) asks for itself again every two seconds while the
task is queued or running (htmx), and stops once it shows the result or the reason it failed.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ketenregie.core.actor import Actor
from ketenregie.operations import selectors, services
from ketenregie.operations.models import TaskRun
from ketenregie.operations.registry import kind_get
from ketenregie.web.decorators import staff_view

PAGE_SIZE = 25


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def status_context(actor: Actor, run: TaskRun, *, error: str = "") -> dict[str, object]:
    kind = kind_get(run.kind)
    page_url = kind.page_url(run.result) if kind.page_url is not None and run.result else None
    return {"task": run, "kind_label": kind.label, "result_url": page_url, "retry_error": error}


def task_response(request: HttpRequest, actor: Actor, run: TaskRun, *, error: str = "") -> HttpResponse:
    """What a page that started a task answers: the status block for htmx, else the task's own page."""
    if is_htmx(request):
        return render(request, "operations/_task_status.html", status_context(actor, run, error=error))
    return redirect("operations:task_detail", run.pk)


@staff_view()
def task_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    page = Paginator(selectors.task_runs(actor=actor), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(run, kind_get(run.kind).label) for run in page.object_list]
    return render(request, "operations/task_list.html", {"page": page, "rows": rows})


@staff_view()
def task_detail(request: HttpRequest, actor: Actor, task_id: int) -> HttpResponse:
    run = selectors.task_run_get(actor=actor, task_id=task_id)
    return render(request, "operations/task_detail.html", status_context(actor, run))


@staff_view()
def task_status(request: HttpRequest, actor: Actor, task_id: int) -> HttpResponse:
    run = selectors.task_run_get(actor=actor, task_id=task_id)
    return render(request, "operations/_task_status.html", status_context(actor, run))


@require_POST
@staff_view()
def task_retry(request: HttpRequest, actor: Actor, task_id: int) -> HttpResponse:
    run = selectors.task_run_get(actor=actor, task_id=task_id)
    try:
        run = services.task_retry(actor, run)
    except ValidationError as error:
        return task_response(request, actor, run, error=" ".join(error.messages))
    return task_response(request, actor, run)
