from django.urls import path

from ketenregie.risk import views

app_name = "risk"

urlpatterns = [
    path("", views.score_list, name="score_list"),
    path("map/", views.score_map, name="score_map"),
    path("addresses/<int:address_id>/", views.address_scores, name="address_scores"),
    path("employers/", views.employer_list, name="employer_list"),
    path("runs/", views.run_list, name="run_list"),
    path("runs/new/", views.run_create, name="run_create"),
    path("lists/", views.control_list_list, name="control_list_list"),
    path("lists/new/", views.control_list_create, name="control_list_create"),
    path("lists/<int:list_id>/", views.control_list_detail, name="control_list_detail"),
    path("lists/<int:list_id>/integral-control/", views.plan_integral_control, name="plan_integral_control"),
    path("entries/<int:entry_id>/case/", views.entry_open_case, name="entry_open_case"),
    path("entries/<int:entry_id>/set-aside/", views.entry_set_aside, name="entry_set_aside"),
    path("entries/<int:entry_id>/reopen/", views.entry_reopen, name="entry_reopen"),
    path("rules/", views.rules, name="rules"),
]
