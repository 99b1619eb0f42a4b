from django.urls import path

from ketenregie.web import import_views, sso_views, views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("login/second-factor/", sso_views.sso_second_factor, name="sso_second_factor"),
    path("organisation/", views.switch_organisation, name="switch_organisation"),
    path("account/two-factor/", views.two_factor, name="two_factor"),
    path("account/tokens/", views.api_tokens, name="api_tokens"),
    path("import/", import_views.import_view, name="import"),
]
