from django.urls import include, path, re_path

from ketenregie.core.admin import site as admin_site
from ketenregie.portal import views as portal_views
from ketenregie.web import views as web_views

app_patterns = [
    path("", include("ketenregie.web.urls")),
    path("addresses/", include("ketenregie.places.urls")),
    path("people/", include("ketenregie.people.urls")),
    path("employers/", include("ketenregie.employers.urls")),
    path("leveringen/", include("ketenregie.deliveries.urls")),
    path("housing/", include("ketenregie.housing.urls")),
    path("infopoint/", include("ketenregie.infopoint.urls")),
    path("portal/", include("ketenregie.portal.staff.urls")),
    path("signals/", include("ketenregie.signals.urls")),
    path("cases/", include("ketenregie.cases.urls")),
    path("risk/", include("ketenregie.risk.urls")),
    path("retention/", include("ketenregie.retention.urls")),
    path("audit/", include("ketenregie.core.urls")),
    path("beheer/", admin_site.urls),
    path("monitoring/", include("ketenregie.monitoring.urls")),
    path("tasks/", include("ketenregie.operations.urls")),
]

urlpatterns = [
    path("health/", web_views.health, name="health"),
    path("app/", include(app_patterns)),
    path("api/v1/", include("ketenregie.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    # Single sign-on (mozilla-django-oidc's three views, ours answer 404 while OIDC_ENABLED is off).
    path("oidc/", include("ketenregie.web.sso_urls")),
    re_path(r"^(?P<lang>nl|en|pl|ro|bg|lt|hu|uk|pt|es)/dashboard/", include("ketenregie.dashboard.urls")),
    # The public portal: /{lang}/…; / sends the visitor to their language.
    path("", portal_views.choose_language, name="portal_root"),
    path("", include("ketenregie.portal.urls")),
]

handler400 = "ketenregie.web.views.bad_request"
handler403 = "ketenregie.web.views.permission_denied"
handler404 = "ketenregie.portal.views.not_found"
handler500 = "ketenregie.web.views.server_error"
