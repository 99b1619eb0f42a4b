from django.urls import path

from ketenregie.people import views

app_name = "people"

urlpatterns = [
    path("", views.person_list, name="person_list"),
    path("<int:person_id>/", views.person_detail, name="person_detail"),
    path("<int:person_id>/edit/", views.person_edit, name="person_edit"),
    path("<int:person_id>/move/", views.person_move, name="person_move"),
    path(
        "<int:person_id>/residences/<int:residence_id>/verification/",
        views.residence_verify,
        name="residence_verify",
    ),
]
