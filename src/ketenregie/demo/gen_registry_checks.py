"""Employers checked against the registers: stored KvK outcomes and one SNA register snapshot.

No network: the KvK answers come from an in-memory transport that speaks the Basisprofiel protocol, and
the SNA register is a CSV built from the demo's own certified agencies, imported through the importer.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import httpx

from ketenregie.core.actor import Actor
from ketenregie.core.imports import run_import
from ketenregie.core.models import Role
from ketenregie.demo.context import GenerationContext
from ketenregie.employers.kvk_client import KvkClient
from ketenregie.employers.models import Employer
from ketenregie.employers.registry import employer_check_kvk
from ketenregie.employers.sna_register import SnaRegisterImporter

CHECKED = 12


def _profile(number: str, name: str, *, ended: dt.date | None = None) -> dict[str, object]:
    registration: dict[str, str] = {"datumAanvang": "20120301"}
    if ended:
        registration["datumEinde"] = ended.strftime("%Y%m%d")
    return {
        "kvkNummer": number,
        "naam": name,
        "statutaireNaam": name,
        "formeleRegistratiedatum": "20120301",
        "materieleRegistratie": registration,
        "handelsnamen": [{"naam": name, "volgorde": 0}],
        "sbiActiviteiten": [
            {"sbiCode": "78201", "sbiOmschrijving": "Uitzendbureaus", "indHoofdactiviteit": "Ja"}
        ],
    }


def build_registry_checks(ctx: GenerationContext) -> None:
    actor = Actor.system(
        ctx.municipality, name="demo", roles=frozenset({Role.CIVIL_AFFAIRS, Role.ENFORCEMENT})
    )
    employers = list(Employer.objects.filter(municipality=ctx.municipality).order_by("pk")[:CHECKED])
    answers: dict[str, dict[str, object]] = {}
    for index, employer in enumerate(employers):
        if index == 1:  # the KvK says this company ended two months ago
            answers[employer.kvk_number] = _profile(
                employer.kvk_number, employer.name, ended=ctx.reference_date - dt.timedelta(days=60)
            )
        elif index == 2:  # registered under another name
            answers[employer.kvk_number] = _profile(employer.kvk_number, f"Holding {employer.name}")
        elif index != 3:  # index 3: a number the KvK does not know
            answers[employer.kvk_number] = _profile(employer.kvk_number, employer.name)

    def answer(request: httpx.Request) -> httpx.Response:
        number = request.url.path.rsplit("/", 1)[-1]
        if number in answers:
            return httpx.Response(200, content=json.dumps(answers[number]).encode())
        fout = {"fout": [{"code": "IPD0005", "omschrijving": "Het product is niet leverbaar"}]}
        return httpx.Response(404, content=json.dumps(fout).encode())

    client = KvkClient(base_url="http://kvk.demo/api", api_key="demo", transport=httpx.MockTransport(answer))
    for employer in employers:
        employer_check_kvk(actor=actor, employer=employer, client=client)
    ctx.counts["kvk_checks"] = len(employers)

    # The SNA register of today: every certified agency but one (whose certification lapses), plus
    # companies elsewhere in the country that the import ignores.
    certified = list(
        Employer.objects.filter(municipality=ctx.municipality, sna_certified=True).order_by("pk")
    )
    lines = ["kvk_number;name;registration_number;status;certified_since;inspection_body"]
    for index, employer in enumerate(certified[1:], start=1):
        since = employer.sna_certified_since or ctx.reference_date - dt.timedelta(days=400)
        lines.append(
            f"{employer.kvk_number};{employer.name};SNA-{index:05d};gecertificeerd;{since:%Y-%m-%d};Normec"
        )
    lines += [
        "99000001;Elders Uitzend B.V.;SNA-90001;gecertificeerd;2019-04-01;Normec",
        "99000002;Nieuw Aangemeld B.V.;SNA-90002;aangemeld;;Normec",
    ]
    if len(lines) > 1:
        importer: Any = SnaRegisterImporter()  # the kinds table types its importers the same way
        run_import(actor=actor, importer=importer, data="\n".join(lines).encode())
    ctx.counts["sna_register_rows"] = len(lines) - 1
