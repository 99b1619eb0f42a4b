from django.urls import path

from ketenregie.housing import views

app_name = "housing"

urlpatterns = [
    path("", views.location_list, name="location_list"),
    path("<int:location_id>/", views.location_detail, name="location_detail"),
    path("<int:location_id>/quality-marks/new/", views.quality_mark_create, name="quality_mark_create"),
    path("<int:location_id>/permits/new/", views.permit_create, name="permit_create"),
]
