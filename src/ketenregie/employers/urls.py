from django.urls import path

from ketenregie.employers import views

app_name = "employers"

urlpatterns = [
    path("", views.employer_list, name="employer_list"),
    path("new/", views.employer_create, name="employer_create"),
    path("<int:employer_id>/", views.employer_detail, name="employer_detail"),
    path("<int:employer_id>/edit/", views.employer_edit, name="employer_edit"),
    path("<int:employer_id>/check-kvk/", views.employer_check_kvk, name="employer_check_kvk"),
    path("<int:employer_id>/violations/new/", views.violation_create, name="violation_create"),
    path("covenants/<int:covenant_id>/", views.covenant_detail, name="covenant_detail"),
    path("covenants/<int:covenant_id>/deliveries/", views.covenant_deliveries, name="covenant_deliveries"),
    path("covenants/steps/<int:step_id>/conclude/", views.escalation_conclude, name="escalation_conclude"),
]
