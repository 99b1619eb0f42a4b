from django.urls import path

from ketenregie.retention import views

app_name = "retention"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("periods/<slug:record_type>/", views.policy_edit, name="policy_edit"),
    path("holds/", views.hold_place_by_reference, name="hold_place_by_reference"),
    path("cases/<int:case_id>/hold/", views.hold_place, name="hold_place"),
    path("holds/<int:hold_id>/lift/", views.hold_lift, name="hold_lift"),
]
