from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.functional import SimpleLazyObject

from ketenregie.core.actor import Actor, actor_for_request


class ActorMiddleware:
    """Puts ``request.actor`` on every request, computed only when a view asks for it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.actor = SimpleLazyObject(lambda: actor_for_request(request))  # type: ignore[attr-defined]
        return self.get_response(request)


def get_actor(request: HttpRequest) -> Actor | None:
    """The request's actor, or None for anonymous users and users without an active membership."""
    actor = getattr(request, "actor", None)
    return actor if actor else None


class StaffLanguageMiddleware:
    """Dutch first: the staff application speaks Dutch unless the user chose another language.

    Unlike Django's LocaleMiddleware it ignores the browser's Accept-Language, so a civil servant with
    an English browser still sees the Dutch terms of the trade; the language switcher sets a cookie.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in settings.STAFF_LANGUAGES else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class NulCharacterInRequest(BadRequest):
    """A NUL character in the path or a query parameter: PostgreSQL refuses it in text."""


class RejectNulCharactersMiddleware:
    """Refuses a request with a NUL character in its path or query string, before any view sees it.

    Form fields refuse NUL themselves (Django's CharField has a validator for it), but query parameters
    reach filters and searches directly, and PostgreSQL answers a NUL in text with an error: a 500.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()
        ):
            raise NulCharacterInRequest("NUL character in the path or a query parameter")
        return self.get_response(request)


ViewFunction = TypeVar("ViewFunction", bound=Callable[..., HttpResponse])


def public_information(view: ViewFunction) -> ViewFunction:
    """Marks a view whose pages hold only public information: NoStoreMiddleware lets them be cached."""
    view.public_information = True  # type: ignore[attr-defined]
    return view


class NoStoreMiddleware:
    """``Cache-Control: no-store`` on every response, except pages of views marked public_information.

    Pages of the staff application and the API hold personal data, and so do the portal's forms; no
    browser, proxy or shared computer may keep a copy. Deciding per view, with no-store as the default,
    keeps a new page private until someone decides it is public. Static files never get here: WhiteNoise
    answers them first.
    """

    ALWAYS_PRIVATE = ("/app/", "/api/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def process_view(self, request: HttpRequest, view_func: Callable[..., Any], *args: Any) -> None:
        request._public_information = getattr(view_func, "public_information", False)  # type: ignore[attr-defined]

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        public = getattr(request, "_public_information", False)
        if public and not request.path.startswith(self.ALWAYS_PRIVATE):
            return response
        if "no-store" not in response.get("Cache-Control", ""):
            response["Cache-Control"] = "no-store"
        response.headers.setdefault("Pragma", "no-cache")
        return response
