"""Helpers for the portal tests: a visitor's browser, the outbox, and a valid address form."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.test import Client

from ketenregie.portal.models import OutboxMessage
from ketenregie.portal.protection import new_form_token

CODE = re.compile(r"\b(\d{6})\b")


def visitor(lang: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=lang)
    return client


def last_code(recipient: str) -> str:
    message = OutboxMessage.objects.filter(recipient=recipient).order_by("-pk").first()
    assert message is not None, f"no message to {recipient}"
    match = CODE.search(message.body)
    assert match, message.body
    return match.group(1)


def address_form(address: Any, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "reporter": "self",
        "given_names": "Agnieszka",
        "surname": "Wiśniewska",
        "birth_date": "1991-03-04",
        "nationality": "PL",
        "postcode": address.postcode,
        "house_number": str(address.house_number),
        "house_letter": address.house_letter,
        "house_number_addition": address.house_number_addition,
        "starts_on": (dt.date.today() - dt.timedelta(days=3)).isoformat(),
        "email": "agnieszka@example.com",
        "phone": "",
        "channel": "email",
        "employer_name": "",
        "employer_kvk": "",
        "employer_email": "",
        "website": "",
        "started": new_form_token(),
    }
    data.update(overrides)
    return data


def code_form(code: str) -> dict[str, str]:
    return {"code": code, "website": "", "started": new_form_token()}


def report_address(client: Client, address: Any, lang: str = "en", **overrides: Any) -> Any:
    """Fill in the form and give the code: the whole self-service flow."""
    data = address_form(address, **overrides)
    response = client.post(f"/{lang}/address/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    recipient = (
        data["employer_email"]
        if data["reporter"] == "employer"
        else (data["email"] if data["channel"] == "email" else data["phone"])
    )
    return client.post(f"/{lang}/address/code/", code_form(last_code(recipient)))
