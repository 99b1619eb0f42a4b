"""Long work done outside the request: one TaskRun per start of a task, with its progress and outcome.

The row is the task's record for the people who started it: what it is doing, how far it got, what it
produced or why it failed. It never holds personal data: parameters are dates and options, results are
ids and links, errors are sentences written for staff.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ketenregie.core.models import TenantModel


class TaskStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


ACTIVE_STATUSES = (TaskStatus.QUEUED, TaskStatus.RUNNING)


class TaskRun(TenantModel):
    kind = models.CharField(_("kind"), max_length=64)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=TaskStatus.choices, default=TaskStatus.QUEUED
    )
    started_by = models.ForeignKey(
        "core.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    # Kept when the account goes; "system:scheduler" for a scheduled start.
    started_by_name = models.CharField(_("started by"), max_length=150)
    # The organisation the starter acted for: the worker acts for the same one.
    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The language of the page that started it, for the progress and error sentences.
    language = models.CharField(_("language"), max_length=8, blank=True)
    progress_done = models.PositiveIntegerField(_("steps done"), default=0)
    progress_total = models.PositiveIntegerField(_("steps"), default=0)
    progress_message = models.CharField(_("progress"), max_length=200, blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=1)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["municipality", "-created_at"], name="taskrun_municipality_recent")]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.status})"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def percent(self) -> int:
        if not self.progress_total:
            return 100 if self.status == TaskStatus.DONE else 0
        return min(100, round(100 * self.progress_done / self.progress_total))


class WorkerHeartbeat(models.Model):
    """When each worker last said it was alive; /health/ reads the newest."""

    hostname = models.CharField(_("worker"), max_length=200, unique=True)
    seen_at = models.DateTimeField(_("seen at"))

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self) -> str:
        return self.hostname
