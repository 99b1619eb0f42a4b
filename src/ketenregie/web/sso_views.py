"""The single sign-on edge: mozilla-django-oidc's views, answering 404 while OIDC_ENABLED is off,
with the reason of a refused login on the login page, and the local second factor when required."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django_otp import devices_for_user
from django_otp import login as otp_login
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
    OIDCLogoutView,
)

from ketenregie.core.second_factor import second_factor_check
from ketenregie.core.sso import SSO_SESSION_KEY, ProviderUnavailable, oidc_setting, refusal_message
from ketenregie.web.views import TokenForm


class _WhileEnabled(View):
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if not settings.OIDC_ENABLED:
            raise Http404
        return super().dispatch(request, *args, **kwargs)


def _back_to_login(request: HttpRequest, reason: str) -> HttpResponse:
    messages.error(request, refusal_message(reason))
    return redirect("web:login")


class AuthenticateView(_WhileEnabled, OIDCAuthenticationRequestView):
    """Sends the browser to the provider. The endpoint is read here, not when the view is made, so a
    provider that cannot be reached gives the login page with a message instead of an error page."""

    get_settings = staticmethod(oidc_setting)

    def __init__(self, **kwargs: Any) -> None:
        View.__init__(self, **kwargs)

    def get(self, request: HttpRequest) -> HttpResponse:
        try:
            self.OIDC_OP_AUTH_ENDPOINT = oidc_setting("OIDC_OP_AUTHORIZATION_ENDPOINT")
        except ProviderUnavailable:
            return _back_to_login(request, "unavailable")
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        return super().get(request)


class CallbackView(_WhileEnabled, OIDCAuthenticationCallbackView):
    get_settings = staticmethod(oidc_setting)

    def get(self, request: HttpRequest) -> HttpResponse:
        try:
            return super().get(request)
        except SuspiciousOperation:
            # A state this browser never asked for: an old tab, a replayed or a forged callback.
            return _back_to_login(request, "invalid_token")

    def login_failure(self) -> HttpResponse:
        if self.request.GET.get("error"):
            reason = "cancelled" if self.request.GET["error"] == "access_denied" else "failed"
        else:
            reason = getattr(self.request, "sso_refusal", "failed")
        return _back_to_login(self.request, reason)

    def login_success(self) -> HttpResponse:
        response: HttpResponse = super().login_success()
        self.request.session[SSO_SESSION_KEY] = True
        if settings.OIDC_REQUIRE_LOCAL_OTP:
            return redirect(f"{reverse('web:sso_second_factor')}?{urlencode({'next': response['Location']})}")
        return response


class LogoutView(_WhileEnabled, OIDCLogoutView):
    """/oidc/logout/: ends the session here and, when the provider has an end-session endpoint, there."""

    get_settings = staticmethod(oidc_setting)


def second_factor_pending(request: HttpRequest) -> bool:
    """After single sign-on with OIDC_REQUIRE_LOCAL_OTP, until the user gave their app's code."""
    user = getattr(request, "user", None)
    return bool(
        settings.OIDC_REQUIRE_LOCAL_OTP
        and user is not None
        and user.is_authenticated
        and request.session.get(SSO_SESSION_KEY)
        and not user.is_verified()
    )


@never_cache
def sso_second_factor(request: HttpRequest) -> HttpResponse:
    """The local second factor after single sign-on, for installations that require it."""
    if not request.user.is_authenticated:
        return redirect("web:login")
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = reverse("web:home")
    if not second_factor_pending(request):
        return HttpResponseRedirect(next_url)
    has_device = any(devices_for_user(request.user, confirmed=True))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and has_device and form.is_valid():
        check = second_factor_check(request.user, form.cleaned_data["token"])
        if check.device is not None:
            otp_login(request, check.device)
            return HttpResponseRedirect(next_url)
        form.add_error("token", _("That code is not right. Try the newest code from your authenticator app."))
    context = {"form": form, "has_device": has_device, "next": next_url}
    return render(request, "web/sso_second_factor.html", context)


class SecondFactorAfterSsoMiddleware:
    """Holds a single sign-on session to the second-factor page (and the set-up of an app, and logging
    out) until the code is given, when OIDC_REQUIRE_LOCAL_OTP asks for it."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if second_factor_pending(request):
            allowed = {reverse("web:sso_second_factor"), reverse("web:logout")}
            if not any(devices_for_user(request.user, confirmed=True)):
                # Setting up a first authenticator; one that exists is never replaced from here.
                allowed.add(reverse("web:two_factor"))
            if request.path_info not in allowed and not request.path_info.startswith(settings.STATIC_URL):
                return redirect(
                    f"{reverse('web:sso_second_factor')}?{urlencode({'next': request.path_info})}"
                )
        response: HttpResponse = self.get_response(request)
        return response
