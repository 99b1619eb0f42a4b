"""Cases in the shape of the Dutch case standard (ZGW Zaken API 1.5.1): the request bodies a push sends.

``case_bodies`` builds, for one case, exactly the bodies that ``zgw_push`` sends: a ``zaak``, its current
``status``, its ``resultaat`` (or None), one ``zaakobject`` per address and one ``rol`` per organisation
taking part. Each is a *request* body of the official schema: no read-only fields (``url``, ``uuid``,
``einddatum``, ``status``, ``resultaat``, ``omschrijvingGeneriek``: the Zaken API derives them), no fields
the standard does not know, string lengths and formats as the schema says. docs/zgw.md has the mapping
table and what is not mapped.

The URLs of the catalogue (zaaktype, statustype, resultaattype, roltype) and of the zaak itself come in a
``ZgwRefs``: resolved from the Catalogi API by ``zgw_client.CatalogueResolver``, or the documented
placeholders of ``placeholder_refs`` when no Catalogi API is configured (an export for reading).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from django.utils import timezone

from ketenregie.cases.models import Case, CaseEventKind, CaseKind, CaseResult, CaseStatus, ParticipantRole


@dataclass(frozen=True)
class Zaaktype:
    identificatie: str
    omschrijving: str
    doel: str
    vertrouwelijkheidaanduiding: str = "vertrouwelijk"


# The default `identificatie` of each kind's zaaktype in the municipality's catalogue; ZGW_ZAAKTYPEN
# overrides them per kind (settings.py).
ZAAKTYPEN: dict[str, Zaaktype] = {
    CaseKind.HOUSE_VISIT: Zaaktype("KR-HUISBEZOEK", "Huisbezoek", "Vaststellen van de feitelijke bewoning"),
    CaseKind.INTEGRAL_CONTROL: Zaaktype(
        "KR-INTEGRALE-CONTROLE", "Integrale controle", "Gezamenlijke controle van woningen met ketenpartners"
    ),
    CaseKind.VACANCY_CHECK: Zaaktype(
        "KR-LEEGSTANDCONTROLE", "Leegstandcontrole", "Vaststellen of een woning bewoond is"
    ),
    CaseKind.SITE_CONTROL: Zaaktype(
        "KR-BOUWPLAATSCONTROLE",
        "Bouwplaats- of werkplekcontrole",
        "Controle op arbeidsomstandigheden en uitbuiting",
    ),
    CaseKind.ADDRESS_INVESTIGATION: Zaaktype(
        "KR-ADRESONDERZOEK", "Adresonderzoek BRP", "Juistheid van de adresregistratie in de BRP vaststellen"
    ),
}

# Statustypen of every zaaktype, matched in the catalogue by volgnummer; the last one is the end status
# (the Zaken API sets the zaak's einddatum when it is set).
STATUSTYPEN: dict[str, tuple[int, str]] = {
    CaseStatus.OPEN: (1, "Geregistreerd"),
    CaseStatus.PLANNED: (2, "Ingepland"),
    CaseStatus.INVESTIGATING: (3, "In onderzoek"),
    CaseStatus.ENFORCEMENT: (4, "Handhaving"),
    CaseStatus.CLOSED: (5, "Afgehandeld"),
}


@dataclass(frozen=True)
class Resultaattype:
    omschrijving: str  # matched in the catalogue (case-insensitively)
    archiefnominatie: str  # for the catalogue's designer: the Zaken API derives archiving from it
    archiefactietermijn: str


RESULTAATTYPEN: dict[str, Resultaattype] = {
    CaseResult.VIOLATION: Resultaattype("Overtreding vastgesteld", "vernietigen", "P10Y"),
    CaseResult.NO_VIOLATION: Resultaattype("Geen overtreding", "vernietigen", "P1Y"),
    CaseResult.HANDED_OVER: Resultaattype("Overgedragen", "vernietigen", "P10Y"),
    CaseResult.NO_ACCESS: Resultaattype("Geen toegang", "vernietigen", "P1Y"),
    CaseResult.WITHDRAWN: Resultaattype("Ingetrokken", "vernietigen", "P1Y"),
}

# The generic role (omschrijvingGeneriek) by which each participant's roltype is looked up. The lead
# organisation handles the case; a partner contributes its own inspection and knowledge, the decisions
# stay with the lead (the standard's "adviseur").
ROL_GENERIEK: dict[str, str] = {ParticipantRole.LEAD: "behandelaar", ParticipantRole.PARTNER: "adviseur"}
ROL_TOELICHTING: dict[str, str] = {
    ParticipantRole.LEAD: "Leidende organisatie",
    ParticipantRole.PARTNER: "Ketenpartner",
}

# Marks the zaakobjecten and rollen this application made, so a later push can tell them from the ones
# others added in the zaaksysteem (only its own are updated or removed).
ADDRESS_RELATION = "Gecontroleerd adres"
ORGANISATION_PREFIX = "KR-ORG-"
LOCAL_ADDRESS_PREFIX = "KR-ADRES-"
BAG_ADDRESS_URL = "https://api.bag.kadaster.nl/lvbag/individuelebevragingen/v2/adressen/{}"

# Placeholders for an export without a Catalogi API or before the first push: the reserved top-level
# domain .invalid (RFC 2606) can never resolve, so nobody mistakes them for a real catalogue or zaak.
PLACEHOLDER_CATALOGI = "https://catalogi.invalid/catalogi/api/v1"
PLACEHOLDER_ZAKEN = "https://zaken.invalid/zaken/api/v1"


@dataclass(frozen=True)
class ZgwRefs:
    """The URLs a case's bodies point at."""

    zaak: str
    zaaktype: str
    statustype: str
    resultaattype: str | None
    roltypen: Mapping[str, str]  # omschrijvingGeneriek -> roltype URL

    def with_zaak(self, zaak_url: str) -> ZgwRefs:
        return replace(self, zaak=zaak_url)


def zaaktype_identificatie(kind: str, overrides: Mapping[str, str] | None = None) -> str:
    return (overrides or {}).get(kind) or ZAAKTYPEN[kind].identificatie


def placeholder_zaak_url(case: Case) -> str:
    return f"{PLACEHOLDER_ZAKEN}/zaken/{case.reference}"


def placeholder_refs(case: Case, *, identificatie: str) -> ZgwRefs:
    volgnummer = STATUSTYPEN[case.status][0]
    return ZgwRefs(
        zaak=placeholder_zaak_url(case),
        zaaktype=f"{PLACEHOLDER_CATALOGI}/zaaktypen/{identificatie}",
        statustype=f"{PLACEHOLDER_CATALOGI}/statustypen/{identificatie}-{volgnummer}",
        resultaattype=f"{PLACEHOLDER_CATALOGI}/resultaattypen/{identificatie}-{case.result}"
        if case.result
        else None,
        roltypen={
            generic: f"{PLACEHOLDER_CATALOGI}/roltypen/{identificatie}-{generic}"
            for generic in ROL_GENERIEK.values()
        },
    )


def fit(text: str, length: int) -> str:
    """The text within the standard's maximum length; a shortened one ends in an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def status_moment(case: Case) -> dt.datetime:
    """When the case got its current status: the last timeline line that set it; for a closed case on
    its closing date (noon, when the closing was recorded on another day). Never in the future."""
    now = timezone.now()
    event = (
        case.events.filter(kind__in=[CaseEventKind.OPENED, CaseEventKind.STATUS, CaseEventKind.CLOSED])
        .order_by("-occurred_at", "-id")
        .first()
    )
    moment = event.occurred_at if event else (case.created_at or now)
    if case.status == CaseStatus.CLOSED and case.closed_on:
        if timezone.localtime(moment).date() != case.closed_on:
            moment = timezone.make_aware(dt.datetime.combine(case.closed_on, dt.time(12)))
    elif case.status == CaseStatus.OPEN and timezone.localtime(moment).date() < case.opened_on:
        moment = timezone.make_aware(dt.datetime.combine(case.opened_on, dt.time(9)))
    return min(moment, now)


def moment_text(moment: dt.datetime) -> str:
    return timezone.localtime(moment).replace(microsecond=0).isoformat()


def _zaak(case: Case, refs: ZgwRefs, rsin: str, zaaktype: Zaaktype) -> dict[str, Any]:
    # The opening date is both the registration and the start: a case is registered when it is opened
    # here (the row's technical creation time differs for imported or backdated cases).
    opened = min(case.opened_on, timezone.localdate())
    stops = list(case.case_addresses.all())
    first = stops[0].address if stops else None
    geometry = (
        {"type": "Point", "coordinates": [float(first.longitude), float(first.latitude)]}
        if first is not None and first.latitude is not None and first.longitude is not None
        else None
    )
    return {
        "identificatie": case.reference,
        "bronorganisatie": rsin,
        "omschrijving": fit(case.title, 80),
        "toelichting": fit(case.description, 1000),
        "zaaktype": refs.zaaktype,
        "registratiedatum": opened.isoformat(),
        "verantwoordelijkeOrganisatie": rsin,
        "startdatum": opened.isoformat(),
        "einddatumGepland": case.planned_on.isoformat()
        if case.planned_on and case.planned_on >= opened
        else None,
        "vertrouwelijkheidaanduiding": zaaktype.vertrouwelijkheidaanduiding,
        "zaakgeometrie": geometry,
        "kenmerken": [{"kenmerk": case.reference, "bron": "Ketenregie"}],
    }


def _zaakobject(stop: Any, zaak_url: str) -> dict[str, Any]:
    address = stop.address
    body: dict[str, Any] = {"zaak": zaak_url}
    if address.bag_address_id:
        body["object"] = BAG_ADDRESS_URL.format(address.bag_address_id)
    body.update(
        {
            "objectType": "adres",
            "relatieomschrijving": ADDRESS_RELATION,
            "objectIdentificatie": {
                "identificatie": address.bag_address_id or f"{LOCAL_ADDRESS_PREFIX}{address.pk}",
                "wplWoonplaatsNaam": fit(address.town, 80),
                "gorOpenbareRuimteNaam": fit(address.street, 80),
                "huisnummer": address.house_number,
                "huisletter": address.house_letter[:1],
                "huisnummertoevoeging": address.house_number_addition[:4],
                "postcode": address.postcode[:7],
            },
        }
    )
    return body


def _rol(participant: Any, refs: ZgwRefs) -> dict[str, Any]:
    organisation = participant.organisation
    key = f"{ORGANISATION_PREFIX}{organisation.pk}"
    body: dict[str, Any] = {
        "zaak": refs.zaak,
        "roltype": refs.roltypen[ROL_GENERIEK[participant.role]],
        "roltoelichting": fit(f"{ROL_TOELICHTING[participant.role]}: {organisation.name}", 1000),
    }
    if organisation.is_municipal:
        body["betrokkeneType"] = "organisatorische_eenheid"
        body["betrokkeneIdentificatie"] = {"identificatie": key[:24], "naam": fit(organisation.name, 50)}
    else:
        # Another organisation is a niet-natuurlijk persoon; its RSIN (innNnpId) is not known here, so it
        # is identified by the municipality's own number (annIdentificatie).
        body["betrokkeneType"] = "niet_natuurlijk_persoon"
        body["betrokkeneIdentificatie"] = {
            "annIdentificatie": key[:17],
            "statutaireNaam": fit(organisation.name, 500),
        }
    return body


def case_bodies(case: Case, refs: ZgwRefs, *, rsin: str) -> dict[str, Any]:
    """The request bodies for one case: ``zaak``, ``status``, ``resultaat`` (or None), ``zaakobjecten``,
    ``rollen``; the order a push sends them in is zaak, zaakobjecten, rollen, resultaat, status."""
    zaaktype = ZAAKTYPEN[case.kind]
    _volgnummer, status_label = STATUSTYPEN[case.status]
    status = {
        "zaak": refs.zaak,
        "statustype": refs.statustype,
        "datumStatusGezet": moment_text(status_moment(case)),
        "statustoelichting": status_label,
    }
    resultaat = None
    if case.result and refs.resultaattype:
        resultaat = {
            "zaak": refs.zaak,
            "resultaattype": refs.resultaattype,
            "toelichting": RESULTAATTYPEN[case.result].omschrijving,
        }
    stops = case.case_addresses.select_related("address").order_by("position", "id")
    participants = case.participants.select_related("organisation").order_by("role", "id")
    return {
        "zaak": _zaak(case, refs, rsin, zaaktype),
        "status": status,
        "resultaat": resultaat,
        "zaakobjecten": [_zaakobject(stop, refs.zaak) for stop in stops],
        "rollen": [_rol(participant, refs) for participant in participants],
    }
