"""The public portal: /{lang}/… in ten languages, no login for reading.

No personal data in URLs: a submission waiting for its code is kept server-side, and the browser's
session holds only its random token. Every form has a honeypot, a signed fill-time token and a rate limit.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from ketenregie.core.imports import ImportConflict, ImportRejected, RowError, run_import
from ketenregie.core.middleware import public_information
from ketenregie.core.uploads import check_upload
from ketenregie.employers.selectors import EmployerFilter, employer_list
from ketenregie.infopoint.selectors import (
    digid_helped,
    open_registration_moments,
    public_activities,
    unique_visitors,
)
from ketenregie.places.selectors import address_find
from ketenregie.portal import selectors, services, verification
from ketenregie.portal.context import Portal, PortalNotConfigured, portal_actor, portal_municipality
from ketenregie.portal.forms import (
    OTHER_COUNTRY,
    AddressUpdateForm,
    CodeForm,
    GroupStartForm,
    GroupUploadForm,
    ResendForm,
    SignalForm,
)
from ketenregie.portal.group_import import Employer, GroupRegistrationImporter
from ketenregie.portal.languages import PORTAL_LANGUAGES, preferred_language
from ketenregie.portal.models import CodeChannel, Flag, ReporterKind, SelfServiceReport, VerificationPurpose
from ketenregie.portal.protection import rate_limited
from ketenregie.portal.senders import mask
from ketenregie.signals.intake import ReportedAddress, Reporter, SignalIntake, signal_create_initial
from ketenregie.signals.selectors import category_by_code

if TYPE_CHECKING:
    from ketenregie.places.models import Address

ADDRESS_TOKEN = "portal.address.token"  # noqa: S105  (a session key, not a secret)
ADDRESS_DONE = "portal.address.done"
GROUP_TOKEN = "portal.group.token"  # noqa: S105  (a session key, not a secret)
GROUP_EMPLOYER = "portal.group.employer"
GROUP_SESSION_MINUTES = 60
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60

PortalView = Callable[..., HttpResponse]


def _activate(request: HttpRequest, lang: str) -> None:
    translation.activate(lang)
    request.LANGUAGE_CODE = lang


def _remember(request: HttpRequest, response: HttpResponse, lang: str) -> HttpResponse:
    response.headers["Content-Language"] = lang
    if request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != lang:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            lang,
            max_age=LANGUAGE_COOKIE_AGE,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
    return response


def portal_page(view: PortalView) -> PortalView:
    """Speak the URL's language, remember it, and give the view the municipality and actor."""

    @wraps(view)
    def wrapped(request: HttpRequest, lang: str, *args: Any, **kwargs: Any) -> HttpResponse:
        _activate(request, lang)
        try:
            municipality = portal_municipality()
        except PortalNotConfigured:
            response = render(request, "portal/unavailable.html", {"portal": None}, status=503)
            return _remember(request, response, lang)
        portal = Portal(municipality=municipality, actor=portal_actor(municipality), language=lang)
        request.portal = portal  # type: ignore[attr-defined]
        response = view(request, portal, *args, **kwargs)
        return _remember(request, response, lang)

    return wrapped


@public_information
@require_GET
@vary_on_headers("Accept-Language", "Cookie")
def choose_language(request: HttpRequest) -> HttpResponse:
    """/ → /{lang}/: the language chosen before, else the browser's, else Dutch."""
    return HttpResponseRedirect(reverse("portal:home", kwargs={"lang": preferred_language(request)}))


@public_information
@require_GET
@portal_page
def home(request: HttpRequest, portal: Portal) -> HttpResponse:
    last_year = timezone.localdate().year - 1
    start, end = dt.date(last_year, 1, 1), dt.date(last_year, 12, 31)
    return render(
        request,
        "portal/home.html",
        {
            "portal": portal,
            "pages": selectors.published_pages(actor=portal.actor, language=portal.language),
            "activities": public_activities(actor=portal.actor, on=timezone.localdate()),
            "last_year": last_year,
            "visitors": unique_visitors(actor=portal.actor, start=start, end=end),
            "digid": digid_helped(actor=portal.actor, start=start, end=end),
            "threshold": selectors.suppression_threshold(actor=portal.actor),
        },
    )


@public_information
@require_GET
@portal_page
def info_page(request: HttpRequest, portal: Portal, slug: str) -> HttpResponse:
    shown = selectors.published_page(actor=portal.actor, slug=slug, language=portal.language)
    return render(request, "portal/info_page.html", {"portal": portal, "shown": shown})


@public_information
@require_GET
@portal_page
def privacy(request: HttpRequest, portal: Portal) -> HttpResponse:
    return render(request, "portal/privacy.html", {"portal": portal})


# Self-service: stay address and contact details.


@never_cache
@portal_page
@rate_limited("address")
def address_start(request: HttpRequest, portal: Portal) -> HttpResponse:
    form = AddressUpdateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        address = address_find(
            actor=portal.actor,
            postcode=data["postcode"],
            house_number=data["house_number"],
            house_letter=data["house_letter"],
            house_number_addition=data["house_number_addition"],
        )
        if address is None:
            form.add_error(
                "postcode",
                _(
                    "We cannot find this address in %(municipality)s. "
                    "Check the postcode, house number and letter."
                )
                % {"municipality": portal.municipality.name},
            )
        else:
            is_employer = data["reporter"] == ReporterKind.EMPLOYER
            update = services.AddressUpdate(
                reporter=data["reporter"],
                given_names=data["given_names"].strip(),
                surname=data["surname"].strip(),
                birth_date=data["birth_date"],
                nationality="" if data["nationality"] == OTHER_COUNTRY else data["nationality"],
                address_id=address.pk,
                starts_on=data["starts_on"],
                language=portal.language,
                email=data["email"],
                phone=data["phone"],
                employer_kvk=data["employer_kvk"] if is_employer else "",
                employer_name=data["employer_name"] if is_employer else "",
                employer_email=data["employer_email"] if is_employer else "",
                consent=bool(data["consent"]) if is_employer else False,
            )
            channel = CodeChannel.EMAIL if is_employer else data["channel"]
            if is_employer:
                recipient = data["employer_email"]
            else:
                recipient = data["email"] if channel == CodeChannel.EMAIL else data["phone"]
            pending = verification.start(
                municipality=portal.municipality,
                purpose=VerificationPurpose.ADDRESS,
                language=portal.language,
                channel=channel,
                recipient=recipient,
                payload=update.to_payload(),
            )
            request.session[ADDRESS_TOKEN] = pending.token
            return redirect("portal:address_code", lang=portal.language)
    return render(request, "portal/address_form.html", {"portal": portal, "form": form})


def _expired_session(request: HttpRequest, portal: Portal, start: str) -> HttpResponse:
    messages.info(
        request, _("Your session has ended, or you have not filled in the form yet. Please start here.")
    )
    return redirect(start, lang=portal.language)


def _code_problem(result: verification.CheckResult) -> str:
    outcome = result.outcome
    if outcome is verification.Outcome.WRONG:
        return ngettext(
            "This code is not right. You can try %(count)d more time.",
            "This code is not right. You can try %(count)d more times.",
            result.tries_left,
        ) % {"count": result.tries_left}
    if outcome is verification.Outcome.EXPIRED:
        return _("This code has expired. Ask for a new code below.")
    return _("You typed a wrong code too often. Ask for a new code below.")


@never_cache
@portal_page
@rate_limited("code")
def address_code(request: HttpRequest, portal: Portal) -> HttpResponse:
    pending = verification.find(token=request.session.get(ADDRESS_TOKEN), purpose=VerificationPurpose.ADDRESS)
    if pending is None:
        return _expired_session(request, portal, "portal:address_start")
    if pending.consumed_at is not None:
        return redirect("portal:address_done", lang=portal.language)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = verification.check(pending=pending, code=form.cleaned_data["code"])
        if result.outcome is verification.Outcome.OK:
            update = services.AddressUpdate.from_payload(pending.payload)
            try:
                with transaction.atomic():
                    if not verification.consume(pending=pending):
                        return redirect("portal:address_done", lang=portal.language)
                    report = services.address_update_apply(
                        actor=portal.actor, update=update, verified_by=pending.channel
                    )
            except ValidationError:
                return render(request, "portal/failed.html", {"portal": portal}, status=409)
            # The token stays: sending the code again (a double click) now leads to the same answer.
            request.session[ADDRESS_DONE] = report.pk
            return redirect("portal:address_done", lang=portal.language)
        if result.outcome is verification.Outcome.USED:
            return redirect("portal:address_done", lang=portal.language)
        form.add_error("code", _code_problem(result))
    return render(
        request,
        "portal/code_form.html",
        {
            "portal": portal,
            "form": form,
            "resend_form": ResendForm(),
            "recipient": mask(pending.recipient),
            "channel": pending.channel,
            "minutes": settings.PORTAL_CODE_MINUTES,
            "resend_url": reverse("portal:address_resend", kwargs={"lang": portal.language}),
            "start_url": reverse("portal:address_start", kwargs={"lang": portal.language}),
            "step": 2,
        },
    )


def _resend(
    request: HttpRequest, portal: Portal, *, token_key: str, purpose: str, code_view: str, start: str
) -> HttpResponse:
    pending = verification.find(token=request.session.get(token_key), purpose=purpose)
    if pending is None:
        return _expired_session(request, portal, start)
    form = ResendForm(request.POST)
    if not form.is_valid():
        for error in form.non_field_errors():
            messages.error(request, str(error))
    elif verification.resend(pending=pending):
        messages.success(request, _("We sent a new code. The old code no longer works."))
    else:
        messages.error(request, _("We cannot send more codes for this form. Please fill in the form again."))
        request.session.pop(token_key, None)
        return redirect(start, lang=portal.language)
    return redirect(code_view, lang=portal.language)


@require_POST
@portal_page
@rate_limited("resend")
def address_resend(request: HttpRequest, portal: Portal) -> HttpResponse:
    return _resend(
        request,
        portal,
        token_key=ADDRESS_TOKEN,
        purpose=VerificationPurpose.ADDRESS,
        code_view="portal:address_code",
        start="portal:address_start",
    )


@never_cache
@require_GET
@portal_page
def address_done(request: HttpRequest, portal: Portal) -> HttpResponse:
    report = (
        SelfServiceReport.objects.select_related("address")
        .filter(pk=request.session.get(ADDRESS_DONE) or 0, municipality=portal.municipality)
        .first()
    )
    if report is None:
        return _expired_session(request, portal, "portal:address_start")
    flags = set(report.flags)
    registration = next(
        (
            shown.page.slug
            for shown in selectors.published_pages(actor=portal.actor, language=portal.language)
            if shown.page.topic == "registration"
        ),
        None,
    )
    return render(
        request,
        "portal/address_done.html",
        {
            "portal": portal,
            "report": report,
            "to_check": bool(flags - {Flag.NOT_REGISTERED, Flag.CONTACT_REPLACED}),
            "not_registered": Flag.NOT_REGISTERED in flags,
            "date_conflict": Flag.DATE_CONFLICT in flags,
            "registration_slug": registration,
        },
    )


# Group registration by an employer.


def _group_employer(request: HttpRequest) -> Employer | None:
    stored = request.session.get(GROUP_EMPLOYER)
    if not stored or dt.datetime.fromisoformat(stored["until"]) < timezone.now():
        return None
    return Employer(kvk_number=stored["kvk"], name=stored["name"], email=stored["email"])


@never_cache
@portal_page
@rate_limited("group")
def group_start(request: HttpRequest, portal: Portal) -> HttpResponse:
    form = GroupStartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        kvk = form.cleaned_data["kvk_number"]
        employer = employer_list(actor=portal.actor, filters=EmployerFilter(search=kvk)).first()
        if employer is None:
            form.add_error(
                "kvk_number",
                _("We do not know this KvK number. Ask the information point to add your company first."),
            )
        else:
            pending = verification.start(
                municipality=portal.municipality,
                purpose=VerificationPurpose.GROUP,
                language=portal.language,
                channel=CodeChannel.EMAIL,
                recipient=form.cleaned_data["email"],
                payload={"kvk": kvk, "name": employer.name, "email": form.cleaned_data["email"]},
            )
            request.session[GROUP_TOKEN] = pending.token
            return redirect("portal:group_code", lang=portal.language)
    return render(request, "portal/group_start.html", {"portal": portal, "form": form})


@never_cache
@portal_page
@rate_limited("code")
def group_code(request: HttpRequest, portal: Portal) -> HttpResponse:
    pending = verification.find(token=request.session.get(GROUP_TOKEN), purpose=VerificationPurpose.GROUP)
    if pending is None:
        return _expired_session(request, portal, "portal:group_start")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = verification.check(pending=pending, code=form.cleaned_data["code"])
        if result.outcome is verification.Outcome.OK:
            payload = dict(pending.payload)
            with transaction.atomic():
                used = not verification.consume(pending=pending)
            if not used:
                until = timezone.now() + dt.timedelta(minutes=GROUP_SESSION_MINUTES)
                request.session[GROUP_EMPLOYER] = {**payload, "until": until.isoformat()}
            request.session.pop(GROUP_TOKEN, None)
            return redirect("portal:group_upload", lang=portal.language)
        if result.outcome is verification.Outcome.USED:
            return redirect("portal:group_upload", lang=portal.language)
        form.add_error("code", _code_problem(result))
    return render(
        request,
        "portal/code_form.html",
        {
            "portal": portal,
            "form": form,
            "resend_form": ResendForm(),
            "recipient": mask(pending.recipient),
            "channel": pending.channel,
            "minutes": settings.PORTAL_CODE_MINUTES,
            "resend_url": reverse("portal:group_resend", kwargs={"lang": portal.language}),
            "start_url": reverse("portal:group_start", kwargs={"lang": portal.language}),
            "step": 2,
            "group": True,
        },
    )


@require_POST
@portal_page
@rate_limited("resend")
def group_resend(request: HttpRequest, portal: Portal) -> HttpResponse:
    return _resend(
        request,
        portal,
        token_key=GROUP_TOKEN,
        purpose=VerificationPurpose.GROUP,
        code_view="portal:group_code",
        start="portal:group_start",
    )


@never_cache
@portal_page
@rate_limited("group_upload")
def group_upload(request: HttpRequest, portal: Portal) -> HttpResponse:
    employer = _group_employer(request)
    if employer is None:
        return _expired_session(request, portal, "portal:group_start")
    moments = list(open_registration_moments(actor=portal.actor, on=timezone.localdate()))
    choices = [
        (str(m.pk), f"{m.held_on:%d-%m-%Y} – {m.title}" + (f" ({m.location})" if m.location else ""))
        for m in moments
    ]
    form = GroupUploadForm(request.POST or None, request.FILES or None, moments=choices)
    context: dict[str, Any] = {
        "portal": portal,
        "form": form,
        "employer": employer,
        "has_moments": bool(moments),
        "columns": (*GroupRegistrationImporter.required_columns, *GroupRegistrationImporter.optional_columns),
        "required_columns": GroupRegistrationImporter.required_columns,
    }
    if request.method == "POST" and moments and form.is_valid():
        activity = next(m for m in moments if str(m.pk) == form.cleaned_data["activity"])
        importer = GroupRegistrationImporter(employer=employer, activity=activity, language=portal.language)
        try:
            result = run_import(actor=portal.actor, importer=importer, data=form.cleaned_data["file"].read())
        except ImportConflict as conflict:
            context["errors"] = [RowError(0, "", str(conflict))]
        except ImportRejected as rejected:
            context["errors"] = rejected.errors
        else:
            context["result"] = result
            context["recorded"] = result.created + result.updated
            context["flagged"] = importer.flagged
            context["form"] = GroupUploadForm(moments=choices)
    return render(request, "portal/group_upload.html", context)


# Anonymous melding.

_HOUSE_NUMBER = re.compile(r"^\s*(\d{1,5})\s*([A-Za-z]?)\s*(?:[- ]\s*([A-Za-z0-9]{1,4}))?\s*$")


@never_cache
@portal_page
@rate_limited("signal")
def signal(request: HttpRequest, portal: Portal) -> HttpResponse:
    form = SignalForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        address = None
        if data["postcode"] and data["house_number"]:
            match = _HOUSE_NUMBER.match(data["house_number"])
            if match:
                address = address_find(
                    actor=portal.actor,
                    postcode=data["postcode"],
                    house_number=int(match.group(1)),
                    house_letter=match.group(2),
                    house_number_addition=match.group(3) or "",
                )
            if address is None:
                form.add_error(
                    "postcode",
                    _("We cannot find this address. Check it, or describe the place in the field below."),
                )
        if not form.errors:
            reference = _submit_signal(form, portal, address)
            if reference is not None:
                return render(request, "portal/signal_done.html", {"portal": portal, "reference": reference})
    return render(request, "portal/signal_form.html", {"portal": portal, "form": form})


def _submit_signal(form: SignalForm, portal: Portal, address: Address | None) -> str | None:
    """The form as the one intake record; returns the melding's reference, or None when the photo or the
    intake refused it (then the form says why)."""
    data = form.cleaned_data
    photo = data.get("photo")
    try:
        # Opening the photo checks more than the form's quick look at its first bytes. It is stored as
        # "foto": the name it had on the visitor's device is not ours to keep.
        attachments = (check_upload(ContentFile(photo.read(), name="foto")),) if photo else ()
    except ValidationError:
        form.add_error(
            "photo",
            _("This photo cannot be opened. Please send another photo, or send your report without one."),
        )
        return None
    intake = SignalIntake(
        municipality=portal.municipality,
        description=data["description"],
        # The form offers the main categories only; one no longer in use becomes 'other'.
        category=category_by_code(municipality=portal.municipality, code=data["category"]),
        address=address,
        reported_address=ReportedAddress(text=data["location"]),
        reporter=Reporter(
            name=data["contact_name"],
            email=data["contact_email"],
            phone=data["contact_phone"],
            language=portal.language,
        ),
        attachments=attachments,
        public_source="portal",
    )
    try:
        return signal_create_initial(intake).reference
    except ValidationError as error:
        # As general errors: the intake names its own fields, not the form's.
        form.add_error(None, error.messages)
        return None


# Error pages in the visitor's language.


def _portal_language_of(path: str) -> str | None:
    first = path.strip("/").split("/", 1)[0]
    return first if first in PORTAL_LANGUAGES else None


def _portal_error(request: HttpRequest, lang: str, template: str, status: int) -> HttpResponse:
    _activate(request, lang)
    try:
        portal: Portal | None = Portal(
            municipality=(municipality := portal_municipality()),
            actor=portal_actor(municipality),
            language=lang,
        )
    except PortalNotConfigured:
        portal = None
    return _remember(request, render(request, template, {"portal": portal}, status=status), lang)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    lang = _portal_language_of(request.path)
    if lang is None:
        from ketenregie.web.views import not_found as staff_not_found

        return staff_not_found(request, exception)
    return _portal_error(request, lang, "portal/not_found.html", 404)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    lang = _portal_language_of(request.path)
    if lang is None:
        from django.views.csrf import csrf_failure as django_csrf_failure

        return django_csrf_failure(request, reason)
    return _portal_error(request, lang, "portal/form_expired.html", 403)
