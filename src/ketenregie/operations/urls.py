from django.urls import path

from ketenregie.operations import views

app_name = "operations"

urlpatterns = [
    path("", views.task_list, name="task_list"),
    path("<int:task_id>/", views.task_detail, name="task_detail"),
    path("<int:task_id>/status/", views.task_status, name="task_status"),
    path("<int:task_id>/retry/", views.task_retry, name="task_retry"),
]
