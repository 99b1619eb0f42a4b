from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp.plugins.otp_totp.models import TOTPDevice

from ketenregie.api.problems import is_api_request, problem_http_response
from ketenregie.core import audit
from ketenregie.core.actor import ACTIVE_ORGANISATION_SESSION_KEY, Actor, organisations_of, request_user
from ketenregie.core.middleware import NulCharacterInRequest
from ketenregie.core.models import AuditAction
from ketenregie.core.second_factor import second_factor_check
from ketenregie.core.sso import SSO_SESSION_KEY, end_session_url
from ketenregie.core.tokens import token_revoke, tokens_of
from ketenregie.core.validators import parse_id
from ketenregie.operations.selectors import worker_status
from ketenregie.web.decorators import staff_view
from ketenregie.web.home import key_figures_for


@require_GET
@never_cache
def health(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    # A missing or stale worker is reported, not a failure of this process: the web still serves.
    worker = worker_status()
    return JsonResponse(
        {
            "status": "ok",
            "database": "ok",
            "worker": worker.state,
            "workerSeenAt": worker.seen_at.isoformat() if worker.seen_at else None,
        }
    )


class StaffAuthenticationForm(AuthenticationForm):
    """Username and password, plus a one-time code for users who set up a second factor."""

    otp_token = forms.CharField(
        label=gettext_lazy("Code from your authenticator app"),
        required=False,
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        help_text=gettext_lazy("Only needed if you set up two-factor authentication."),
    )
    otp_device: Device | None = None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        user = self.get_user()
        if user is not None:
            token = (cleaned.get("otp_token") or "").strip()
            check = second_factor_check(user, token)
            if not check.passed:
                # A wrong second factor counts towards the lockout, like a wrong password.
                user_login_failed.send(
                    sender=__name__, credentials={"username": user.get_username()}, request=self.request
                )
                self.user_cache = None
                raise forms.ValidationError(
                    _("Enter the six-digit code from your authenticator app.")
                    if not token
                    else _("That code is not right. Try the newest code from your authenticator app."),
                    code="otp_invalid",
                )
            self.otp_device = check.device
        return cleaned


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    authentication_form = StaffAuthenticationForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if settings.OIDC_ENABLED:
            next_url = context.get("next") or ""
            query = f"?{urlencode({'next': next_url})}" if next_url else ""
            context["sso_url"] = reverse("oidc_authentication_init") + query
            context["sso_provider_name"] = settings.OIDC_PROVIDER_NAME
        return context

    def form_valid(self, form: StaffAuthenticationForm) -> HttpResponse:  # type: ignore[override]
        response = super().form_valid(form)
        if form.otp_device is not None:
            otp_login(self.request, form.otp_device)
        return response


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    # After single sign-on the provider's session ends too, or the next login would pass straight through.
    provider_logout = end_session_url(request) if request.session.get(SSO_SESSION_KEY) else ""
    logout(request)
    messages.info(request, _("You are logged out."))
    if provider_logout:
        return HttpResponseRedirect(provider_logout)
    return redirect("web:login")


@staff_view()
def home(request: HttpRequest, actor: Actor) -> HttpResponse:
    return render(request, "web/home.html", {"figures": key_figures_for(actor=actor)})


@login_required
@require_POST
def switch_organisation(request: HttpRequest) -> HttpResponse:
    allowed = {o.pk: o for o in organisations_of(request_user(request))}
    organisation_id = parse_id(request.POST.get("organisation"))
    if organisation_id is None or organisation_id not in allowed:
        messages.error(request, _("You do not work for that organisation."))
    else:
        request.session[ACTIVE_ORGANISATION_SESSION_KEY] = organisation_id
        messages.success(
            request, _("You now work for %(organisation)s.") % {"organisation": allowed[organisation_id]}
        )
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = reverse("web:home")
    return HttpResponseRedirect(next_url)


class TokenForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("Six-digit code"),
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


@staff_view()
@never_cache
def two_factor(request: HttpRequest, actor: Actor) -> HttpResponse:
    """Set up (or remove) a TOTP second factor for the logged-in user."""
    user = request_user(request)
    confirmed = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if request.method == "POST" and request.POST.get("action") == "remove" and confirmed:
        # Only a session that passed this second factor may remove it: otherwise whoever holds the
        # password (or the identity provider's login) could swap in their own authenticator.
        if not getattr(user, "is_verified", lambda: False)():
            messages.error(request, _("Log in with your current code before you switch this off."))
            return redirect("web:two_factor")
        TOTPDevice.objects.filter(user=user).delete()
        audit.record_change(actor, instance=user, action=AuditAction.UPDATE, changed_fields=["second_factor"])
        messages.success(request, _("Two-factor authentication is switched off."))
        return redirect("web:two_factor")
    if confirmed:
        return render(request, "web/two_factor.html", {"confirmed": True})
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first() or TOTPDevice.objects.create(
        user=user, name="authenticator", confirmed=False
    )
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"].strip()):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            messages.success(
                request, _("Two-factor authentication is on. You will be asked for a code when you log in.")
            )
            return redirect("web:two_factor")
        form.add_error(
            "token", _("That code is not right. Check the time on your phone and try the newest code.")
        )
    qr = segno.make(device.config_url, error="m").svg_data_uri(scale=4)
    context: dict[str, Any] = {"confirmed": False, "form": form, "qr": qr, "secret": _base32(device.bin_key)}
    return render(request, "web/two_factor.html", context)


@staff_view()
@never_cache
def api_tokens(request: HttpRequest, actor: Actor) -> HttpResponse:
    """The user's own API tokens that still work, each with a button to revoke it; never their keys."""
    user = request_user(request)
    if request.method == "POST":
        token_revoke(user=user, token_id=request.POST.get("token"), actor=actor)
        messages.success(request, _("The token is revoked; programs that use it are refused from now on."))
        return redirect("web:api_tokens")
    context = {"tokens": tokens_of(user), "lifetime_hours": settings.API_TOKEN_LIFETIME_HOURS}
    return render(request, "web/api_tokens.html", context)


def _base32(key: bytes) -> str:
    import base64

    return base64.b32encode(key).decode().rstrip("=")


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """A request Django itself refused: a body over the size limit, too many fields, a NUL byte."""
    if isinstance(exception, NulCharacterInRequest):
        status, detail, code = 400, "Het pad of een parameter bevat een NUL-teken.", "nulCharacter"
    elif isinstance(exception, RequestDataTooBig):
        status, detail, code = 413, "De body is groter dan de server aanneemt.", "requestTooLarge"
    elif isinstance(exception, (TooManyFieldsSent, TooManyFilesSent)):
        status, detail, code = 400, "Het verzoek heeft te veel velden of bestanden.", "tooManyFields"
    else:
        status, detail, code = 400, "Het verzoek kan niet worden verwerkt.", "badRequest"
    if is_api_request(request):
        return problem_http_response(request, status_code=status, detail=detail, code=code)
    return render(
        request,
        "web/error.html",
        {"status": status, "title": _("Bad request"), "message": _("The request could not be processed.")},
        status=status,
    )


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if is_api_request(request):
        return problem_http_response(request, status_code=403, code="permissionDenied")
    message = str(exception) if exception and str(exception) else _("You may not see this page.")
    return render(
        request, "web/error.html", {"status": 403, "title": _("No access"), "message": message}, status=403
    )


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if is_api_request(request):
        return problem_http_response(request, status_code=404, code="notFound")
    return render(
        request,
        "web/error.html",
        {
            "status": 404,
            "title": _("Page not found"),
            "message": _("This page does not exist, or it belongs to another municipality."),
        },
        status=404,
    )


def server_error(request: HttpRequest) -> HttpResponse:
    # Never a traceback or exception text: it could hold personal data. The log has the details.
    if is_api_request(request):
        return problem_http_response(
            request,
            status_code=500,
            detail="De fout is gelogd. Probeer het later opnieuw.",
            code="serverError",
        )
    return render(
        request,
        "web/error.html",
        {
            "status": 500,
            "title": _("Something went wrong"),
            "message": _("The error has been logged. Please try again later."),
        },
        status=500,
    )


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """django-axes' answer to a locked-out login: problem+json on the API's token endpoint."""
    status = settings.AXES_HTTP_RESPONSE_CODE
    if is_api_request(request):
        return problem_http_response(
            request,
            status_code=status,
            detail="Te veel mislukte pogingen om in te loggen. Probeer het later opnieuw.",
            code="lockedOut",
            headers={"Retry-After": str(int(settings.AXES_COOLOFF_TIME.total_seconds()))},
        )
    return render(request, settings.AXES_LOCKOUT_TEMPLATE, status=status)
