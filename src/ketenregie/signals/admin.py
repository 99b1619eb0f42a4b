"""Functional administration of melding categories: names, sub-categories and deadlines per municipality."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from ketenregie.core.admin import TenantAdmin, site
from ketenregie.signals.models import SignalCategory


@admin.register(SignalCategory, site=site)
class SignalCategoryAdmin(TenantAdmin):
    list_display = ["name", "code", "parent", "deadline_days", "is_active", "position"]
    list_filter = ["is_active", "parent"]
    search_fields = ["name", "code"]
    exclude = ["municipality"]
    ordering = ["parent__position", "position", "name"]

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "parent":
            # Two levels only; TenantAdmin narrows this to the municipality.
            kwargs["queryset"] = SignalCategory.objects.filter(parent__isnull=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        return {"deadline_days": 14}
