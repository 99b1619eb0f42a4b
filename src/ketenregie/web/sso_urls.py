"""mozilla-django-oidc's URLs, with the names its views and backend reverse, on the views of
web/sso_views.py (settings.OIDC_CALLBACK_CLASS and OIDC_AUTHENTICATE_CLASS name the same two)."""

from django.urls import path

from ketenregie.web import sso_views

urlpatterns = [
    path("callback/", sso_views.CallbackView.as_view(), name="oidc_authentication_callback"),
    path("authenticate/", sso_views.AuthenticateView.as_view(), name="oidc_authentication_init"),
    path("logout/", sso_views.LogoutView.as_view(), name="oidc_logout"),
]
