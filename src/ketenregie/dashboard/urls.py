from django.urls import path

from ketenregie.dashboard import views as public_views

app_name = "dashboard"

urlpatterns = [
    path("", public_views.index, name="index"),
    path("<str:code>/", public_views.municipality, name="municipality"),
    path("<str:code>/regio/", public_views.regional, name="regional"),
    path("<str:code>/export.csv", public_views.export, name="export"),
]
