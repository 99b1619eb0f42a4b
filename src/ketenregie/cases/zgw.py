"""Cases in the shape of the Dutch case standard (ZGW Zaken API 1.5: zaak, status, resultaat, zaakobject,
rol).

The mapping below says which zaaktype, statustype and resultaattype each kind, status and result is; the
export builds the JSON a Zaken API expects, so cases can be registered in a zaaksysteem later. Nothing is
sent anywhere: the URLs point into a catalogue whose base address is a parameter.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from ketenregie.cases.models import Case, CaseKind, CaseResult, CaseStatus

# A stable namespace so the same case always gets the same UUID in the export.
_NAMESPACE = uuid.UUID("7d1f4c1e-3a55-4f1e-9a0c-6b3f0e2a9c11")


@dataclass(frozen=True)
class Zaaktype:
    identificatie: str
    omschrijving: str
    doel: str
    vertrouwelijkheidaanduiding: str = "vertrouwelijk"


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

# Statustypen in order (volgnummer); the last one is the end status.
STATUSTYPEN: dict[str, tuple[int, str]] = {
    CaseStatus.OPEN: (1, "Geregistreerd"),
    CaseStatus.PLANNED: (2, "Ingepland"),
    CaseStatus.INVESTIGATING: (3, "In onderzoek"),
    CaseStatus.ENFORCEMENT: (4, "Handhaving"),
    CaseStatus.CLOSED: (5, "Afgehandeld"),
}


@dataclass(frozen=True)
class Resultaattype:
    omschrijving: str
    archiefnominatie: str
    archiefactietermijn: str  # ISO 8601 duration after the case closed


RESULTAATTYPEN: dict[str, Resultaattype] = {
    CaseResult.VIOLATION: Resultaattype("Overtreding vastgesteld", "vernietigen", "P10Y"),
    CaseResult.NO_VIOLATION: Resultaattype("Geen overtreding", "vernietigen", "P1Y"),
    CaseResult.HANDED_OVER: Resultaattype("Overgedragen", "vernietigen", "P10Y"),
    CaseResult.NO_ACCESS: Resultaattype("Geen toegang", "vernietigen", "P1Y"),
    CaseResult.WITHDRAWN: Resultaattype("Ingetrokken", "vernietigen", "P1Y"),
}


def _uuid(kind: str, case: Case, suffix: str = "") -> str:
    return str(uuid.uuid5(_NAMESPACE, f"{kind}:{case.municipality_id}:{case.pk}:{suffix}"))


def _add_years(day: Any, duration: str) -> str:
    years = int(duration.removeprefix("P").removesuffix("Y"))
    try:
        return day.replace(year=day.year + years).isoformat()
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28).isoformat()


def case_to_zgw(
    case: Case,
    *,
    zaken_url: str = "https://zaken.example.nl/zaken/api/v1",
    catalogi_url: str = "https://catalogi.example.nl/catalogi/api/v1",
    rsin: str = "",
) -> dict[str, Any]:
    """The case as ZGW resources: ``zaak``, its ``status``, ``resultaat``, ``zaakobjecten`` and ``rollen``."""
    zaaktype = ZAAKTYPEN[case.kind]
    zaak_uuid = _uuid("zaak", case)
    zaak_url = f"{zaken_url}/zaken/{zaak_uuid}"
    zaaktype_url = f"{catalogi_url}/zaaktypen/{zaaktype.identificatie}"
    volgnummer, status_omschrijving = STATUSTYPEN[case.status]
    status = {
        "url": f"{zaken_url}/statussen/{_uuid('status', case, case.status)}",
        "zaak": zaak_url,
        "statustype": f"{catalogi_url}/statustypen/{zaaktype.identificatie}-{volgnummer}",
        "statustypeOmschrijving": status_omschrijving,
        "volgnummer": volgnummer,
        "datumStatusGezet": (case.closed_on or case.opened_on).isoformat()
        if case.status in (CaseStatus.CLOSED, CaseStatus.OPEN)
        else case.updated_at.isoformat(),
    }
    resultaat = None
    archief: dict[str, Any] = {"archiefnominatie": None, "archiefactiedatum": None}
    if case.result:
        resultaattype = RESULTAATTYPEN[case.result]
        resultaat = {
            "url": f"{zaken_url}/resultaten/{_uuid('resultaat', case)}",
            "zaak": zaak_url,
            "resultaattype": f"{catalogi_url}/resultaattypen/{zaaktype.identificatie}-{case.result}",
            "resultaattypeOmschrijving": resultaattype.omschrijving,
            "toelichting": "",
        }
        archief = {
            "archiefnominatie": resultaattype.archiefnominatie,
            "archiefactiedatum": _add_years(case.closed_on, resultaattype.archiefactietermijn)
            if case.closed_on
            else None,
        }
    stops = list(case.case_addresses.select_related("address").order_by("position", "id"))
    first = stops[0].address if stops else None
    zaak = {
        "url": zaak_url,
        "uuid": zaak_uuid,
        "identificatie": case.reference,
        "bronorganisatie": rsin,
        "omschrijving": case.title[:80],
        "toelichting": case.description[:1000],
        "zaaktype": zaaktype_url,
        "zaaktypeOmschrijving": zaaktype.omschrijving,
        "registratiedatum": case.created_at.date().isoformat()
        if case.created_at
        else case.opened_on.isoformat(),
        "verantwoordelijkeOrganisatie": rsin,
        "startdatum": case.opened_on.isoformat(),
        "einddatum": case.closed_on.isoformat() if case.closed_on else None,
        "einddatumGepland": case.planned_on.isoformat() if case.planned_on else None,
        "vertrouwelijkheidaanduiding": zaaktype.vertrouwelijkheidaanduiding,
        "zaakgeometrie": {"type": "Point", "coordinates": [first.longitude, first.latitude]}
        if first is not None and first.latitude is not None and first.longitude is not None
        else None,
        "kenmerken": [{"kenmerk": case.reference, "bron": "Ketenregie"}],
        "status": status["url"],
        "resultaat": resultaat["url"] if resultaat else None,
        "archiefstatus": "nog_te_archiveren",
        **archief,
    }
    zaakobjecten = [
        {
            "url": f"{zaken_url}/zaakobjecten/{_uuid('zaakobject', case, str(stop.address_id))}",
            "zaak": zaak_url,
            "object": f"https://api.bag.kadaster.nl/lvbag/individuelebevragingen/v2/adresseerbareobjecten/{stop.address.bag_object_id}"
            if stop.address.bag_object_id
            else "",
            "objectType": "adres",
            "relatieomschrijving": "Gecontroleerd adres",
            "objectIdentificatie": {
                "identificatie": stop.address.bag_address_id,
                "wplWoonplaatsNaam": stop.address.town,
                "gorOpenbareRuimteNaam": stop.address.street,
                "huisnummer": stop.address.house_number,
                "huisletter": stop.address.house_letter,
                "huisnummertoevoeging": stop.address.house_number_addition,
                "postcode": stop.address.postcode,
            },
        }
        for stop in stops
    ]
    rollen = [
        {
            "url": f"{zaken_url}/rollen/{_uuid('rol', case, str(participant.organisation_id))}",
            "zaak": zaak_url,
            "betrokkeneType": "organisatorische_eenheid"
            if participant.organisation.is_municipal
            else "niet_natuurlijk_persoon",
            "roltype": f"{catalogi_url}/roltypen/{zaaktype.identificatie}-{participant.role}",
            "omschrijvingGeneriek": "behandelaar" if participant.role == "lead" else "mede_initiator",
            "roltoelichting": participant.organisation.name,
            "betrokkeneIdentificatie": {"naam": participant.organisation.name},
        }
        for participant in case.participants.select_related("organisation").order_by("role", "id")
    ]
    return {
        "zaak": zaak,
        "status": status,
        "resultaat": resultaat,
        "zaakobjecten": zaakobjecten,
        "rollen": rollen,
    }
