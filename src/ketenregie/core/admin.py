"""Functional administration (functioneel beheer): organisations, users, memberships and norms.

Only the admin role gets in, only its own municipality is visible, and every change is written to
the audit trail as well as to Django's own log.
"""

from __future__ import annotations

from functools import update_wrapper
from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ketenregie.core import audit
from ketenregie.core.middleware import get_actor
from ketenregie.core.models import AuditAction, Membership, Norms, Organisation, User
from ketenregie.core.permissions import Capability


class KetenregieAdminSite(admin.AdminSite):
    site_header = _("Ketenregie – functional administration")
    site_title = _("Ketenregie administration")
    index_title = _("Administration")

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        # One login for the whole staff application; a logged-in user without the role gets a 403.
        if request.user.is_authenticated:
            raise PermissionDenied(_("Only functional administrators can open the administration."))
        return redirect_to_login(request.get_full_path(), reverse("web:login"))

    def admin_view(self, view: Any, cacheable: bool = False) -> Any:
        inner = super().admin_view(view, cacheable)

        def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path(), reverse("web:login"))
            if not self.has_permission(request):
                raise PermissionDenied(_("Only functional administrators can open the administration."))
            return inner(request, *args, **kwargs)

        return update_wrapper(checked, inner)

    def has_permission(self, request: HttpRequest) -> bool:
        actor = get_actor(request)
        return bool(request.user.is_active and actor is not None and actor.can(Capability.ADMINISTER))


site = KetenregieAdminSite(name="admin")


class TenantAdmin(admin.ModelAdmin):
    """Shows and changes only the administrator's own municipality, and audits every change."""

    tenant_field = "municipality"

    def _actor(self, request: HttpRequest) -> Any:
        return get_actor(request)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return site.has_permission(request)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return site.has_permission(request)

    has_change_permission = has_view_permission
    has_add_permission = has_view_permission

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        actor = self._actor(request)
        queryset = super().get_queryset(request)
        return queryset.filter(**{self.tenant_field: actor.municipality}) if actor else queryset.none()

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        actor = self._actor(request)
        if not change and self.tenant_field == "municipality":
            obj.municipality = actor.municipality
        super().save_model(request, obj, form, change)
        audit.record_change(
            actor,
            instance=obj,
            action=AuditAction.UPDATE if change else AuditAction.CREATE,
            changed_fields=form.changed_data,
        )


@admin.register(Organisation, site=site)
class OrganisationAdmin(TenantAdmin):
    list_display = ["name", "kind", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name"]
    exclude = ["municipality"]


@admin.register(Membership, site=site)
class MembershipAdmin(TenantAdmin):
    tenant_field = "organisation__municipality"
    list_display = ["user", "organisation", "role", "is_active"]
    list_filter = ["role", "is_active", "organisation"]
    search_fields = ["user__username", "organisation__name"]
    autocomplete_fields = ["user"]

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "organisation":
            actor = self._actor(request)
            kwargs["queryset"] = Organisation.objects.filter(municipality=actor.municipality)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Norms, site=site)
class NormsAdmin(TenantAdmin):
    list_display = [
        "municipality",
        "floor_area_per_person_m2",
        "permit_requires_quality_mark",
        "suppression_threshold",
    ]
    exclude = ["municipality"]

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(User, site=site)
class UserAdmin(DjangoUserAdmin, TenantAdmin):
    """Users of this municipality: those with a membership in one of its organisations."""

    tenant_field = "memberships__organisation__municipality"
    list_display = ["username", "first_name", "last_name", "email", "is_active", "is_demo_account"]
    list_filter = ["is_active", "is_demo_account"]
    readonly_fields = ["last_login", "date_joined", "is_demo_account"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email")}),
        (_("Status"), {"fields": ("is_active", "is_demo_account", "last_login", "date_joined")}),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return TenantAdmin.get_queryset(self, request).distinct()
