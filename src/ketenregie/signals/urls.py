from django.urls import path

from ketenregie.signals import views

app_name = "signals"

urlpatterns = [
    path("", views.signal_list, name="signal_list"),
    path("new/", views.signal_create, name="signal_create"),
    path("suggest/", views.signal_suggest, name="suggest"),
    path("<int:signal_id>/", views.signal_detail, name="signal_detail"),
    path("<int:signal_id>/reporter/", views.signal_reporter, name="signal_reporter"),
    path("<int:signal_id>/triage/", views.signal_triage, name="signal_triage"),
    path("<int:signal_id>/address/", views.signal_address, name="signal_address"),
    path("<int:signal_id>/close/", views.signal_close, name="signal_close"),
    path(
        "<int:signal_id>/attachments/<int:attachment_id>/", views.signal_attachment, name="signal_attachment"
    ),
]
