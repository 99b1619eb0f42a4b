from django.urls import path

from ketenregie.people import views, views_profile

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
    path("<int:person_id>/employments/new/", views_profile.employment_add, name="employment_add"),
    path(
        "<int:person_id>/employments/<int:employment_id>/end/",
        views_profile.employment_end,
        name="employment_end",
    ),
    path("<int:person_id>/labour-migrant/", views_profile.labour_migrant_edit, name="labour_migrant_edit"),
    path(
        "<int:person_id>/labour-migrant/confirm/",
        views_profile.labour_migrant_confirm,
        name="labour_migrant_confirm",
    ),
]
