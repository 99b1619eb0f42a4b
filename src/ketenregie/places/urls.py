from django.urls import path

from ketenregie.places import views

app_name = "places"

urlpatterns = [
    path("", views.address_list, name="address_list"),
    path("<int:address_id>/", views.address_detail, name="address_detail"),
]
