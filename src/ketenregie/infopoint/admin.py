"""Functional administration of the information points themselves (the log is kept in the staff pages)."""

from __future__ import annotations

from django.contrib import admin

from ketenregie.core.admin import TenantAdmin, site
from ketenregie.infopoint.models import InformationPoint


@admin.register(InformationPoint, site=site)
class InformationPointAdmin(TenantAdmin):
    list_display = ["name", "address", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name"]
    exclude = ["municipality"]
