"""Staff pages about the portal under /app/portal/: its information pages and its self-service reports.

They live in the infopoint app, not in portal/, so their strings stay in the staff catalogue."""

from django.urls import path

from ketenregie.infopoint import portal_views

app_name = "portal_staff"

urlpatterns = [
    path("pages/", portal_views.page_list, name="page_list"),
    path("pages/new/", portal_views.page_create, name="page_create"),
    path("pages/<int:page_id>/", portal_views.page_edit, name="page_edit"),
    path("pages/<int:page_id>/<str:language>/", portal_views.translation_edit, name="translation_edit"),
    path("reports/", portal_views.report_list, name="report_list"),
    path("reports/<int:report_id>/", portal_views.report_detail, name="report_detail"),
]
