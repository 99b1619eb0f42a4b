"""Bot protection and rate limits for every public form, without any external service.

- A honeypot: a text field people never see (hidden by the style sheet) that simple bots fill in.
- A signed timestamp: a form sent back within PORTAL_MIN_FILL_SECONDS of being shown is refused, and one
  older than two hours asks the visitor to check and send again.
- A rate limit per client address and form (core.ratelimit), with a friendly page in the visitor's
  language when it is reached.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.conf import settings
from django.core import signing
from django.forms.renderers import TemplatesSetting
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ketenregie.core.ratelimit import Rate, client_key, hit

FORM_MAX_AGE_SECONDS = 2 * 60 * 60
_SALT = "ketenregie.portal.form-started"

# Requests per client address, per form. Sending codes costs money and can flood an inbox: those are
# the tightest. PORTAL_RATE_LIMIT_FACTOR multiplies them all.
RATES: dict[str, str] = {
    "address": "10/10m",
    "code": "20/10m",
    "resend": "5/10m",
    "group": "10/10m",
    "group_upload": "20/h",
    "signal": "10/h",
}


class PortalFormRenderer(TemplatesSetting):
    form_template_name = "portal/forms/form.html"
    field_template_name = "portal/forms/field.html"


class PortalForm(forms.Form):
    """A public form: rendered with the portal's templates, errors linked to their fields."""

    default_renderer = PortalFormRenderer()

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                bound = self[name]
                described = [f"{bound.auto_id}_error"]
                if self.fields[name].help_text:
                    described.append(f"{bound.auto_id}_helptext")
                widget.attrs["aria-describedby"] = " ".join(described)


def new_form_token() -> str:
    return signing.dumps({"t": time.time()}, salt=_SALT)


class ProtectedForm(PortalForm):
    website = forms.CharField(
        label=gettext_lazy("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    started = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["started"].initial = new_form_token()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        problem = self._bot_problem(data)
        # Whatever happened, the form shown again gets a fresh timestamp.
        if self.is_bound:
            fresh = self.data.copy()  # type: ignore[attr-defined]
            fresh[self.add_prefix("started")] = new_form_token()
            self.data = fresh
        if problem:
            raise forms.ValidationError(problem, code="bot_check")
        return data

    def _bot_problem(self, data: dict[str, Any]) -> str:
        if data.get("website"):
            return _("We could not accept this form. Please wait a moment and send it again.")
        try:
            started = signing.loads(data.get("started") or "", salt=_SALT, max_age=FORM_MAX_AGE_SECONDS)["t"]
        except signing.SignatureExpired:
            return _("This form was open for a long time. Please check your answers and send it again.")
        except (signing.BadSignature, KeyError, TypeError):
            return _("We could not accept this form. Please wait a moment and send it again.")
        if time.time() - float(started) < settings.PORTAL_MIN_FILL_SECONDS:
            return _("We could not accept this form. Please wait a moment and send it again.")
        return ""


def rate_limited(scope: str) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Limit POSTs to a portal view per client; over the limit the visitor gets a 429 page."""
    rate = Rate.parse(RATES[scope])

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method == "POST":
                verdict = hit(
                    scope=f"portal.{scope}",
                    key=client_key(request),
                    rate=rate.scaled(settings.PORTAL_RATE_LIMIT_FACTOR),
                )
                if not verdict.allowed:
                    minutes = max(1, round(verdict.retry_after / 60))
                    response = render(request, "portal/too_many.html", {"minutes": minutes}, status=429)
                    response["Retry-After"] = str(verdict.retry_after)
                    return response
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
