"""Tasks through the API: a long operation answers 202 with a Location here, and the client follows it.

``GET /tasks/{id}`` shows the status (queued, running, done, failed), the progress and, when done, what
the task produced with its URL; a failed task says why and can be retried with ``POST /tasks/{id}/retry``.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from ketenregie.api.viewsets import ApiViewSet
from ketenregie.operations import selectors, services
from ketenregie.operations.models import TaskRun, TaskStatus
from ketenregie.operations.registry import kind_get, kinds


class TaskProgressSerializer(serializers.Serializer):
    done = serializers.IntegerField(min_value=0)
    total = serializers.IntegerField(min_value=0)
    message = serializers.CharField()


class TaskRunSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=[])
    status = serializers.ChoiceField(choices=TaskStatus.choices)
    progress = serializers.SerializerMethodField()
    result = serializers.SerializerMethodField()
    resultUrl = serializers.SerializerMethodField(help_text="Where what the task produced is, once done.")
    error = serializers.CharField(help_text="Why the task failed; empty unless failed.")
    attempts = serializers.IntegerField(min_value=1)
    startedBy = serializers.CharField(source="started_by_name")
    createdAt = serializers.DateTimeField(source="created_at")
    startedAt = serializers.DateTimeField(source="started_at", allow_null=True)
    finishedAt = serializers.DateTimeField(source="finished_at", allow_null=True)

    class Meta:
        model = TaskRun
        fields = ["id", "kind", "status", "progress", "result", "resultUrl", "error", "attempts", "startedBy",
                  "createdAt", "startedAt", "finishedAt"]  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [kind.name for kind in kinds()]  # type: ignore[attr-defined]

    @extend_schema_field(TaskProgressSerializer)
    def get_progress(self, run: TaskRun) -> dict[str, Any]:
        return {"done": run.progress_done, "total": run.progress_total, "message": run.progress_message}

    @extend_schema_field(
        {"type": "object", "nullable": True, "additionalProperties": True,
         "description": "What a finished task produced (ids, counts), by kind; null until done."}
    )  # fmt: skip
    def get_result(self, run: TaskRun) -> dict[str, Any] | None:
        if run.status != TaskStatus.DONE:
            return None
        return {_camel(key): value for key, value in run.result.items()}

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_resultUrl(self, run: TaskRun) -> str | None:
        if run.status != TaskStatus.DONE:
            return None
        api_url = kind_get(run.kind).api_url
        path = api_url(run.result) if api_url is not None else None
        request = self.context.get("request")
        return request.build_absolute_uri(path) if path and request is not None else path


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def accepted(request: Request, run: TaskRun) -> Response:
    """202 Accepted with the task in the body and its URL in Location: the answer to a long operation."""
    location = request.build_absolute_uri(reverse("api:task-detail", args=[run.pk]))
    data = TaskRunSerializer(run, context={"request": request}).data
    return Response(data, status=status.HTTP_202_ACCEPTED, headers={"Location": location})


LOCATION_HEADER = OpenApiParameter(
    "Location",
    OpenApiTypes.URI,
    location=OpenApiParameter.HEADER,
    response=[202],
    description="The task's URL: GET it for the status, the progress and, when done, the result.",
)
ACCEPTED = {202: OpenApiResponse(TaskRunSerializer, description="Accepted: the task is queued (or done).")}


@extend_schema_view(
    list=extend_schema(
        summary="Tasks of the caller's municipality of the kinds the caller's role may start, newest first",
        parameters=[OpenApiParameter("kind", str, description="only tasks of this kind")],
    ),
    retrieve=extend_schema(summary="One task: its status, progress and, when done, its result"),
    retry=extend_schema(
        summary="Try a failed task again", request=None, responses=ACCEPTED, parameters=[LOCATION_HEADER]
    ),
)
class TaskRunViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    serializer_class = TaskRunSerializer

    def get_queryset(self) -> QuerySet[TaskRun]:
        return selectors.task_runs(actor=self.actor, kind=self.request.query_params.get("kind", ""))

    @action(detail=True, methods=["post"])
    def retry(self, request: Request, pk: str) -> Response:
        run = selectors.task_run_get(actor=self.actor, task_id=int(pk))
        return accepted(request, services.task_retry(self.actor, run))
