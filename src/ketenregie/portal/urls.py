"""The public portal under /{lang}/. /{lang}/dashboard/ is kept free for the public dashboard (issue 7)."""

from django.urls import path, register_converter

from ketenregie.portal import views
from ketenregie.portal.languages import LanguageConverter

register_converter(LanguageConverter, "lang")

app_name = "portal"

urlpatterns = [
    path("<lang:lang>/", views.home, name="home"),
    path("<lang:lang>/info/<slug:slug>/", views.info_page, name="info_page"),
    path("<lang:lang>/privacy/", views.privacy, name="privacy"),
    path("<lang:lang>/address/", views.address_start, name="address_start"),
    path("<lang:lang>/address/code/", views.address_code, name="address_code"),
    path("<lang:lang>/address/code/new/", views.address_resend, name="address_resend"),
    path("<lang:lang>/address/done/", views.address_done, name="address_done"),
    path("<lang:lang>/employers/", views.group_start, name="group_start"),
    path("<lang:lang>/employers/code/", views.group_code, name="group_code"),
    path("<lang:lang>/employers/code/new/", views.group_resend, name="group_resend"),
    path("<lang:lang>/employers/list/", views.group_upload, name="group_upload"),
    path("<lang:lang>/report/", views.signal, name="signal"),
]
