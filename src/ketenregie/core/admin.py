"""Functional administration (functioneel beheer): organisations, users, memberships and norms.

Only the admin role gets in, only its own municipality is visible, and every change is written to
the audit trail as well as to Django's own log.

Every model on this site is registered with a TenantAdmin and every inline is a TenantInline: they
scope the lists, the object lookups (change, history, password, delete, actions all go through
``get_queryset``), the choices of every relation field, the autocomplete results and the related
list filters to the administrator's municipality. tests/test_admin_tenancy.py walks the registry.
"""

from __future__ import annotations

from functools import update_wrapper
from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import get_fields_from_path, get_model_from_relation, unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured, PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ketenregie.core import audit
from ketenregie.core.actor import Actor
from ketenregie.core.middleware import get_actor
from ketenregie.core.models import AuditAction, Membership, Municipality, Norms, Organisation, User
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


def tenant_queryset(request: HttpRequest, model: type[Model]) -> QuerySet[Any]:
    """The records of ``model`` an administrator may see and pick: what the model's own admin lists,
    or else the records of their municipality. A model with neither cannot be offered at all."""
    actor = get_actor(request)
    manager = model._default_manager
    if actor is None:
        return manager.none()
    registered = site._registry.get(model)
    if isinstance(registered, TenantAdmin):
        return registered.get_queryset(request)
    if model is Municipality:
        return manager.filter(pk=actor.municipality.pk)
    try:
        model._meta.get_field("municipality")
    except FieldDoesNotExist:
        raise ImproperlyConfigured(
            f"{model._meta.label} is offered in the administration but belongs to no municipality."
        ) from None
    return manager.filter(municipality=actor.municipality)


def _within_tenant(request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
    scoped = tenant_queryset(request, queryset.model).order_by().values("pk")
    return queryset.filter(pk__in=scoped)


class TenantRelatedFieldListFilter(admin.RelatedFieldListFilter):
    """Django's related filter offers every record of the related model, other municipalities' too."""

    def field_choices(self, field: Any, request: HttpRequest, model_admin: Any) -> Any:
        ordering = self.field_admin_ordering(field, request, model_admin)
        scoped = tenant_queryset(request, get_model_from_relation(field)).order_by().values("pk")
        return field.get_choices(include_blank=False, limit_choices_to={"pk__in": scoped}, ordering=ordering)


class TenantFieldsMixin:
    """The choices of every foreign key and many-to-many field: the administrator's municipality only.

    Done here for every field, not per admin, because a field that someone forgot offered (and
    accepted) any id: a Rotterdam administrator could give a Zoetermeer user a membership.
    """

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        kwargs["queryset"] = self._tenant_choices(db_field, request, kwargs.get("queryset"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        kwargs["queryset"] = self._tenant_choices(db_field, request, kwargs.get("queryset"))
        return super().formfield_for_manytomany(db_field, request, **kwargs)  # type: ignore[misc]

    def _tenant_choices(
        self, db_field: Any, request: HttpRequest, queryset: QuerySet[Any] | None
    ) -> QuerySet[Any]:
        if queryset is None:
            # The related admin's ordering, as Django would pick it.
            queryset = self.get_field_queryset(None, db_field, request)  # type: ignore[attr-defined]
        if queryset is None:
            queryset = db_field.remote_field.model._default_manager.all()
        return _within_tenant(request, queryset)


class TenantInline(TenantFieldsMixin, admin.TabularInline):
    """An inline on a TenantAdmin: the parent is already scoped, its own relation fields are scoped here."""


class TenantAdmin(TenantFieldsMixin, admin.ModelAdmin):
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

    def get_list_filter(self, request: HttpRequest) -> Any:
        return [self._tenant_list_filter(entry) for entry in super().get_list_filter(request)]

    def _tenant_list_filter(self, entry: Any) -> Any:
        if isinstance(entry, str) and get_fields_from_path(self.model, entry)[-1].is_relation:
            return (entry, TenantRelatedFieldListFilter)
        if (
            isinstance(entry, (list, tuple))
            and isinstance(entry[1], type)
            and issubclass(entry[1], admin.RelatedFieldListFilter)
        ):
            return (entry[0], TenantRelatedFieldListFilter)
        return entry

    def assign_tenant(self, obj: Any, actor: Actor) -> None:
        """A new record belongs to the administrator's municipality."""
        if self.tenant_field == "municipality":
            obj.municipality = actor.municipality

    def audited_fields(self, form: Any) -> list[str]:
        return list(form.changed_data)

    def record_change(self, actor: Actor, obj: Any, fields: list[str], *, change: bool) -> None:
        audit.record_change(
            actor,
            instance=obj,
            action=AuditAction.UPDATE if change else AuditAction.CREATE,
            changed_fields=fields,
        )

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        actor = self._actor(request)
        if not change:
            self.assign_tenant(obj, actor)
        super().save_model(request, obj, form, change)
        self.record_change(actor, obj, self.audited_fields(form), change=change)


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

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> Any:
        # A membership is one person's role; handing it to someone else is a new grant, not a change.
        return ("user",) if obj is not None else ()

    def record_change(self, actor: Actor, obj: Any, fields: list[str], *, change: bool) -> None:
        audit.record_membership_change(
            actor,
            membership=obj,
            action=AuditAction.UPDATE if change else AuditAction.CREATE,
            changed_fields=fields,
        )


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


# Fields of Django's user forms that set the password; the trail names them all "password".
PASSWORD_FIELDS = frozenset({"password", "password1", "password2", "usable_password"})


@admin.register(User, site=site)
class UserAdmin(DjangoUserAdmin, TenantAdmin):
    """Users of this municipality: those it created and those with a membership in one of its
    organisations. An account that also works for another municipality is shown but not changed:
    whoever resets its password reads that municipality's data too."""

    list_display = ["username", "first_name", "last_name", "email", "is_active", "is_demo_account"]
    list_filter = ["is_active", "is_demo_account"]
    readonly_fields = ["last_login", "date_joined", "is_demo_account"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email")}),
        (_("Status"), {"fields": ("is_active", "is_demo_account", "last_login", "date_joined")}),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        actor = self._actor(request)
        queryset = admin.ModelAdmin.get_queryset(self, request)
        if actor is None:
            return queryset.none()
        municipality = actor.municipality
        return queryset.filter(
            Q(municipality=municipality) | Q(memberships__organisation__municipality=municipality)
        ).distinct()

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        if not site.has_permission(request):
            return False
        return obj is None or not _shared_with_another_municipality(obj, self._actor(request).municipality)

    def assign_tenant(self, obj: Any, actor: Actor) -> None:
        obj.municipality = actor.municipality

    def audited_fields(self, form: Any) -> list[str]:
        fields = {"password" if name in PASSWORD_FIELDS else name for name in form.changed_data}
        return sorted(fields)

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> HttpResponse:
        user = self.get_object(request, unquote(id))
        before = user.password if user is not None else None
        response = super().user_change_password(request, id, form_url)
        if user is not None and request.method == "POST":
            user.refresh_from_db(fields=["password"])
            # Compared here, never stored: the trail only says that the password was set.
            if user.password != before:
                self.record_change(self._actor(request), user, ["password"], change=True)
        return response


def _shared_with_another_municipality(user: Any, municipality: Municipality) -> bool:
    if user.municipality_id not in (None, municipality.pk):
        return True
    return Membership.objects.filter(user=user).exclude(organisation__municipality=municipality).exists()
