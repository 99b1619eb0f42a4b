"""Setting up monitoring (functional administration): the catalogue's choices, programme lines with
targets and budgets, and the migration monitor's figures and reception locations."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from ketenregie.core.admin import TenantAdmin, TenantInline, site
from ketenregie.monitoring.models import (
    Indicator,
    LineBudget,
    LineTarget,
    MigrationFigure,
    ProgrammeLine,
    ReceptionLocation,
)


@admin.register(Indicator, site=site)
class IndicatorAdmin(TenantAdmin):
    list_display = ["code", "name", "source", "unit", "is_public", "shared_regionally"]
    list_filter = ["source", "is_public", "shared_regionally"]
    search_fields = ["code", "name"]
    fields = [
        "code",
        "name",
        "definition",
        "source",
        "selector",
        "source_organisation",
        "unit",
        "direction",
        "plausible_min",
        "plausible_max",
        "is_public",
        "shared_regionally",
        "order",
    ]
    readonly_fields = ["code", "source", "selector"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class LineTargetInline(TenantInline):
    model = LineTarget
    extra = 1
    exclude = ["municipality"]


class LineBudgetInline(TenantInline):
    model = LineBudget
    extra = 1
    exclude = ["municipality", "version"]


@admin.register(ProgrammeLine, site=site)
class ProgrammeLineAdmin(TenantAdmin):
    list_display = ["programme", "number", "name"]
    exclude = ["municipality"]
    inlines = [LineTargetInline, LineBudgetInline]

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        for inline_form in formset.forms:
            if inline_form.instance and not inline_form.instance.pk:
                inline_form.instance.municipality = form.instance.municipality
        super().save_formset(request, form, formset, change)


@admin.register(MigrationFigure, site=site)
class MigrationFigureAdmin(TenantAdmin):
    list_display = ["motive", "measure", "period_start", "period_end", "realised", "target"]
    list_filter = ["motive", "measure"]
    exclude = ["municipality"]


@admin.register(ReceptionLocation, site=site)
class ReceptionLocationAdmin(TenantAdmin):
    list_display = ["name", "motive", "kind", "capacity", "opened_on", "ends_on"]
    list_filter = ["motive", "kind"]
    exclude = ["municipality"]
