from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class TenantModel(models.Model):
    """A record that belongs to exactly one municipality. Selectors always filter on it."""

    municipality = models.ForeignKey(
        "core.Municipality", on_delete=models.CASCADE, related_name="+", verbose_name=_("municipality")
    )

    class Meta:
        abstract = True


class VersionedModel(models.Model):
    """Optimistic locking: a write names the version it read, and fails if someone wrote in between."""

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True
