from django.urls import path

from ketenregie.core import views

app_name = "core"

urlpatterns = [
    path("", views.audit_list, name="audit_list"),
    path("toegang/", views.access_review, name="access_review"),
]
