from django.urls import path

from ketenregie.monitoring.views import catalogue, commitments, migration, programme

app_name = "monitoring"

urlpatterns = [
    path("", catalogue.overview, name="overview"),
    path("refresh/", catalogue.refresh, name="refresh"),
    path("indicators/<slug:code>/", catalogue.indicator_trace, name="indicator_trace"),
    path("indicators/<slug:code>/enter/", catalogue.manual_value_enter, name="manual_value_enter"),
    path("programme/", programme.programme, name="programme"),
    path("report/", programme.report_latest, name="report_latest"),
    path("report/<int:year>/", programme.report, name="report"),
    path("report/<int:year>/pdf/", programme.report_pdf, name="report_pdf"),
    path("commitments/", commitments.commitment_list, name="commitment_list"),
    path("commitments/new/", commitments.commitment_edit, name="commitment_create"),
    path("commitments/<int:commitment_id>/", commitments.commitment_detail, name="commitment_detail"),
    path("commitments/<int:commitment_id>/edit/", commitments.commitment_edit, name="commitment_edit"),
    path("import/", commitments.monitoring_import, name="import"),
    path("migration/", migration.migration, name="migration"),
]
