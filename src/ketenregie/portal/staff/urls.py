"""Staff pages about the portal under /app/portal/: its information pages and its self-service reports."""

from django.urls import path

from ketenregie.portal.staff import views

app_name = "portal_staff"

urlpatterns = [
    path("pages/", views.page_list, name="page_list"),
    path("pages/new/", views.page_create, name="page_create"),
    path("pages/<int:page_id>/", views.page_edit, name="page_edit"),
    path("pages/<int:page_id>/<str:language>/", views.translation_edit, name="translation_edit"),
    path("reports/", views.report_list, name="report_list"),
    path("reports/<int:report_id>/", views.report_detail, name="report_detail"),
]
