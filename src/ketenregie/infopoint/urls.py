from django.urls import path

from ketenregie.infopoint import views

app_name = "infopoint"

urlpatterns = [
    path("contacts/", views.contact_list, name="contact_list"),
    path("contacts/new/", views.contact_create, name="contact_create"),
    path("contacts/<int:contact_id>/", views.contact_edit, name="contact_edit"),
    path("activities/", views.activity_list, name="activity_list"),
    path("activities/new/", views.activity_create, name="activity_create"),
    path("activities/<int:activity_id>/", views.activity_edit, name="activity_edit"),
]
