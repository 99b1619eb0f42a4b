from django.urls import path

from ketenregie.cases.views import cases, findings, planning, registrations

app_name = "cases"

urlpatterns = [
    path("", cases.case_board, name="case_board"),
    path("list/", cases.case_list, name="case_list"),
    path("new/", cases.case_create, name="case_create"),
    path("registrations/", findings.registration_list, name="registration_list"),
    path(
        "registrations/<int:form_id>/process/",
        registrations.registration_process,
        name="registration_process",
    ),
    path("agreements/", findings.agreement_list, name="agreement_list"),
    path("<int:case_id>/", cases.case_detail, name="case_detail"),
    path("<int:case_id>/edit/", cases.case_edit, name="case_edit"),
    path("<int:case_id>/close/", cases.case_close, name="case_close"),
    path("<int:case_id>/reopen/", cases.case_reopen, name="case_reopen"),
    path("<int:case_id>/timeline/", cases.case_timeline, name="case_timeline"),
    path("<int:case_id>/reporters/", cases.case_reporters, name="case_reporters"),
    path("<int:case_id>/zgw/", cases.case_zgw, name="case_zgw"),
    path("<int:case_id>/zgw/push/", cases.case_zgw_push, name="case_zgw_push"),
    path("<int:case_id>/participants/", planning.participants, name="participants"),
    path("<int:case_id>/planning/", planning.planning, name="planning"),
    path("<int:case_id>/planning/team/", planning.planning_team, name="planning_team"),
    path("<int:case_id>/planning/addresses/", planning.planning_add_address, name="planning_add_address"),
    path("<int:case_id>/planning/stops/<int:stop_id>/", planning.planning_stop, name="planning_stop"),
    path("<int:case_id>/route/", planning.route_list, name="route_list"),
    path("<int:case_id>/findings/new/", findings.finding_create, name="finding_create"),
    path("<int:case_id>/findings/<int:finding_id>/", findings.finding_edit, name="finding_edit"),
    path(
        "<int:case_id>/findings/<int:finding_id>/registrations/new/",
        findings.registration_add,
        name="registration_add",
    ),
    path("<int:case_id>/measures/new/", findings.measure_create, name="measure_create"),
    path("<int:case_id>/measures/<int:measure_id>/", findings.measure_status, name="measure_status"),
    path("<int:case_id>/attachments/new/", findings.attachment_create, name="attachment_create"),
    path(
        "<int:case_id>/attachments/<int:attachment_id>/",
        findings.attachment_download,
        name="attachment_download",
    ),
    path("<int:case_id>/handover/", findings.handover_create, name="handover_create"),
    path("<int:case_id>/handovers/<int:handover_id>/", findings.handover_download, name="handover_download"),
]
