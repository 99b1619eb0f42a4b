"""Cases: opening from meldingen, findings, measures, closing, the timeline, concurrency, dossiers and ZGW."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from ketenregie.cases import selectors, services
from ketenregie.cases.access import case_access, visible_cases
from ketenregie.cases.dossier import build_dossier
from ketenregie.cases.models import Case, CaseEvent, CaseStatus, Finding, Handover, MeasureKind
from ketenregie.cases.zgw_push import case_export
from ketenregie.core.actor import Actor
from ketenregie.core.concurrency import ConcurrentEditError
from ketenregie.core.models import AuditEvent
from ketenregie.signals.models import Signal, SignalResult, SignalStatus
from tests import factories as f
from tests.conftest import Casework, World

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Messages are read in the English source text; the application itself speaks Dutch by default."""
    with translation.override("en"):
        yield


def test_opening_a_case_from_a_melding_puts_it_in_investigation_and_adds_its_address(
    casework: Casework,
) -> None:
    signal = Signal.objects.get(pk=casework.signal.pk)
    assert signal.status == SignalStatus.INVESTIGATING
    assert list(casework.case.case_addresses.values_list("address_id", flat=True)) == [signal.address_id]
    kinds = list(casework.case.events.order_by("occurred_at", "id").values_list("kind", flat=True))
    assert kinds[:3] == ["opened", "signal", "address"]


def test_every_change_to_a_case_is_in_its_timeline(casework: Casework) -> None:
    kinds = set(CaseEvent.objects.filter(case=casework.case).values_list("kind", flat=True))
    assert {
        "opened",
        "signal",
        "address",
        "participant",
        "finding",
        "registration",
        "measure",
        "attachment",
        "handover",
    } <= kinds
    assert CaseEvent.objects.filter(case=casework.case, kind="status").exists()


def test_the_timeline_is_append_only(casework: Casework) -> None:
    event = CaseEvent.objects.filter(case=casework.case).first()
    assert event is not None
    with pytest.raises(RuntimeError):
        event.save()
    with pytest.raises(RuntimeError):
        CaseEvent.objects.filter(case=casework.case).update(summary="weg")


def test_a_finding_derives_overcrowding_from_the_norm_and_the_floor_area(
    world: World, actor_for: Callable[[str], Actor]
) -> None:
    actor = actor_for("enforcement")
    case = services.case_open(actor=actor, kind="house_visit", title="Bezoek", addresses=[world.address])
    assert world.address.floor_area_m2 == 48
    four = services.finding_record(actor=actor, case=case, address=world.address, persons_found=4)
    five = services.finding_record(actor=actor, case=case, address=world.address, persons_found=5)
    assert (four.overcrowded, four.violation_found) == (False, False)
    assert (five.overcrowded, five.violation_found) == (True, True)
    assert five.persons_registered == 1
    assert five.floor_area_per_person == Decimal("9.6")


@pytest.mark.parametrize(
    ("values", "violation"),
    [
        ({"persons_found": 2}, False),
        ({"persons_found": 2, "fire_safety_issue": True}, True),
        ({"persons_found": 3, "unregistered_persons": 1}, True),
        ({"persons_found": 0, "registered_not_living": 3}, True),
        ({"persons_found": 2, "exploitation_signals": True}, True),
        ({"persons_found": 2, "other_violation": True}, True),
        ({"no_access": True}, False),
    ],
)
def test_violation_found_is_true_when_any_violation_was_established(
    values: dict[str, Any], violation: bool, world: World, actor_for: Callable[[str], Actor]
) -> None:
    actor = actor_for("enforcement")
    case = services.case_open(actor=actor, kind="house_visit", title="Bezoek", addresses=[world.address])
    assert (
        services.finding_record(actor=actor, case=case, address=world.address, **values).violation_found
        is violation
    )


def test_impossible_findings_are_refused(world: World, actor_for: Callable[[str], Actor]) -> None:
    actor = actor_for("enforcement")
    case = services.case_open(actor=actor, kind="house_visit", title="Bezoek", addresses=[world.address])
    with pytest.raises(ValidationError, match="More unregistered persons than persons found"):
        services.finding_record(
            actor=actor, case=case, address=world.address, persons_found=2, unregistered_persons=5
        )
    other = f.AddressFactory(municipality=world.address.municipality)
    with pytest.raises(ValidationError, match="not part of this case"):
        services.finding_record(actor=actor, case=case, address=other, persons_found=2)
    with pytest.raises(ValidationError, match="future"):
        services.finding_record(
            actor=actor, case=case, address=world.address, found_on=dt.date.today() + dt.timedelta(days=2)
        )
    assert not Finding.objects.exists()


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"kind": MeasureKind.PENALTY_ORDER, "deadline": dt.date(2026, 12, 1)}, "amount"),
        ({"kind": MeasureKind.PENALTY_ORDER, "amount": Decimal("500")}, "deadline"),
        (
            {"kind": MeasureKind.PENALTY_ORDER, "amount": Decimal("500"), "deadline": dt.date(2026, 1, 1)},
            "deadline",
        ),
        ({"kind": MeasureKind.FINE}, "amount"),
        ({"kind": MeasureKind.CARE_REFERRAL}, "handed_to"),
        ({"kind": MeasureKind.WARNING, "amount": Decimal("10")}, "amount"),
    ],
)
def test_a_measure_without_what_it_needs_is_refused_naming_the_field(
    values: dict[str, Any], field: str, world: World, actor_for: Callable[[str], Actor]
) -> None:
    actor = actor_for("enforcement")
    case = services.case_open(actor=actor, kind="house_visit", title="Bezoek", addresses=[world.address])
    with pytest.raises(ValidationError) as error:
        services.measure_take(actor=actor, case=case, issued_on=dt.date(2026, 3, 1), **values)
    assert field in error.value.message_dict


def test_closing_a_case_closes_its_meldingen_with_the_matching_result(
    casework: Casework, actor_for: Callable[[str], Actor], django_capture_on_commit_callbacks: Any
) -> None:
    from django.core import mail

    case = Case.objects.get(pk=casework.case.pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.case_close(
            actor=actor_for("enforcement"), case=case, expected_version=case.version, result="violation"
        )
    signal = Signal.objects.get(pk=casework.signal.pk)
    assert (signal.status, signal.result) == (SignalStatus.CLOSED, SignalResult.CONFIRMED)
    assert [m.to for m in mail.outbox] == [["jan.buurman@example.nl"]]
    closed = Case.objects.get(pk=case.pk)
    assert (closed.status, closed.closed_on) == (CaseStatus.CLOSED, dt.date.today())


def test_a_closed_case_is_opened_again_with_a_reason_and_its_meldingen_stay_closed(
    casework: Casework, actor_for: Callable[[str], Actor], client_as: Callable[[str], Client]
) -> None:
    actor = actor_for("enforcement")
    case = Case.objects.get(pk=casework.case.pk)
    with pytest.raises(ValidationError, match="not closed"):
        services.case_reopen(actor=actor, case=case, expected_version=case.version, reason="Nieuwe feiten")
    case = services.case_close(actor=actor, case=case, expected_version=case.version, result="no_violation")
    with pytest.raises(ValidationError):
        services.case_reopen(actor=actor, case=case, expected_version=case.version, reason="   ")
    stale = case.version - 1
    with pytest.raises(ConcurrentEditError):
        services.case_reopen(actor=actor, case=case, expected_version=stale, reason="Nieuwe feiten")
    assert Case.objects.get(pk=case.pk).status == CaseStatus.CLOSED
    response = client_as("enforcement").post(
        reverse("cases:case_reopen", args=[case.pk]),
        {"version": case.version, "reason": "Per abuis gesloten; de buren melden nieuwe bewoners."},
    )
    assert response.status_code == 302
    reopened = Case.objects.get(pk=case.pk)
    assert (reopened.status, reopened.result, reopened.closed_on) == (CaseStatus.INVESTIGATING, "", None)
    assert Signal.objects.get(pk=casework.signal.pk).status == SignalStatus.CLOSED
    last = reopened.events.order_by("-occurred_at", "-id").first()
    assert last is not None
    assert "Per abuis gesloten" in last.summary
    conflict = client_as("enforcement").post(
        reverse("cases:case_reopen", args=[case.pk]), {"version": case.version, "reason": "Nog eens"}
    )
    assert conflict.status_code == 409


def test_two_people_changing_a_case_at_once_the_second_gets_a_conflict(
    casework: Casework, actor_for: Callable[[str], Actor]
) -> None:
    actor = actor_for("enforcement")
    first = Case.objects.get(pk=casework.case.pk)
    second = Case.objects.get(pk=casework.case.pk)
    services.case_update(actor=actor, case=first, expected_version=first.version, title="Eerste titel")
    with pytest.raises(ConcurrentEditError):
        services.case_update(actor=actor, case=second, expected_version=second.version, title="Tweede titel")
    with pytest.raises(ConcurrentEditError):
        services.case_close(actor=actor, case=second, expected_version=second.version, result="no_violation")
    stored = Case.objects.get(pk=casework.case.pk)
    assert stored.title == "Eerste titel"
    assert stored.status != CaseStatus.CLOSED


def test_the_edit_page_shows_the_conflict_and_keeps_what_the_other_saved(
    casework: Casework, client_as: Callable[[str], Client]
) -> None:
    case = Case.objects.get(pk=casework.case.pk)
    url = reverse("cases:case_edit", args=[case.pk])
    form = {"version": case.version, "status": "investigating", "description": ""}
    alice, bob = client_as("enforcement"), client_as("enforcement")
    assert alice.post(url, {**form, "title": "Door Alice"}).status_code == 302
    response = bob.post(url, {**form, "title": "Door Bob"})
    assert response.status_code == 409
    assert "Someone else changed this record after you opened it" in response.content.decode()
    assert Case.objects.get(pk=case.pk).title == "Door Alice"


def test_a_partner_without_an_agreement_cannot_be_invited(
    world: World, actor_for: Callable[[str], Actor]
) -> None:
    from ketenregie.core.models import Organisation

    actor = actor_for("enforcement")
    case = services.case_open(actor=actor, kind="house_visit", title="Bezoek", addresses=[world.address])
    uwv = Organisation.objects.create(municipality=world.address.municipality, name="UWV", kind="uwv")
    with pytest.raises(ValidationError, match="no data-sharing agreement"):
        services.participant_add(actor=actor, case=case, organisation=uwv)
    f.AgreementFactory(municipality=world.address.municipality, parties=[uwv], case_kinds=["site_control"])
    with pytest.raises(ValidationError, match="no data-sharing agreement"):
        services.participant_add(actor=actor, case=case, organisation=uwv)
    assert not case.participants.filter(organisation=uwv).exists()


def test_a_partner_sees_only_cases_it_takes_part_in_and_only_its_categories(
    casework: Casework, actor_for: Callable[[str], Actor]
) -> None:
    from ketenregie.core.actor import actor_for_user

    nla = actor_for("partner")
    assert list(visible_cases(nla)) == [casework.case]
    access = case_access(nla, casework.case)
    assert (access.sees_findings, access.sees_persons, access.sees_reporter) == (True, True, False)
    police = actor_for_user(casework.personas["police_partner"])
    assert police is not None
    police_access = case_access(police, casework.case)
    assert police_access.categories == frozenset({"findings"})
    assert selectors.case_measures(actor=police, access=police_access) == []
    assert selectors.case_registration_forms(actor=police, access=police_access) == []
    assert selectors.case_signals(actor=police, access=police_access) == []
    assert len(selectors.case_findings(actor=police, access=police_access)) == 1
    tax = actor_for_user(casework.personas["tax_partner"])
    assert tax is not None
    assert list(visible_cases(tax)) == []


def test_a_partners_timeline_leaves_out_lines_about_data_it_may_not_see(
    casework: Casework, actor_for: Callable[[str], Actor]
) -> None:
    from ketenregie.core.actor import actor_for_user

    police = actor_for_user(casework.personas["police_partner"])
    assert police is not None
    lines = selectors.case_timeline(actor=police, access=case_access(police, casework.case))
    assert {line.data_category for line in lines} <= {"", "findings"}
    assert not any(line.kind in ("measure", "registration", "attachment") for line in lines)


def test_the_hand_over_dossier_holds_what_the_agreement_allows_and_is_audited(casework: Casework) -> None:
    handover = Handover.objects.get(pk=casework.handover.pk)
    assert handover.to_organisation == casework.nla
    assert handover.measure is not None
    assert handover.measure.kind == MeasureKind.HANDOVER
    assert "reporter" not in handover.data_categories
    with handover.dossier.open("rb") as archive_file:
        archive = zipfile.ZipFile(io.BytesIO(archive_file.read()))
    names = archive.namelist()
    reference = casework.case.reference
    # The inspector's photo, then the reporter's photo with the melding the NLA may see.
    assert names == [
        f"dossier-{reference}.pdf",
        "bijlagen/01-woonkamer.png",
        "bijlagen/02-gevel.png",
        "manifest.json",
    ]
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["legal_basis"].startswith("Art. 5:20 Awb")
    assert "reporter" not in manifest["data_categories"]
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(archive.read(names[0]))).pages)
    assert reference in text
    assert "Art. 5:20 Awb" in text
    assert casework.signal.reference in text
    assert "Zieliński" in text
    assert "last onder dwangsom" in text
    assert "jan.buurman@example.nl" not in text
    assert "Jan Buurman" not in text
    assert AuditEvent.objects.filter(action="export", object_type="cases.case", detail__format="zip").exists()


def test_a_dossier_for_a_findings_only_agreement_leaves_out_names_measures_and_photos(
    casework: Casework,
) -> None:
    from ketenregie.cases.models import DataSharingAgreement

    agreement = DataSharingAgreement.objects.get(name="Convenant politie")
    dossier = build_dossier(
        case=casework.case,
        categories=agreement.categories,
        recipient=casework.police,
        agreement=agreement,
        prepared_by="test",
    )
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(dossier.pdf)).pages)
    assert "Matrassen in de woonkamer" in text
    assert "Zieliński" not in text
    assert "2500" not in text
    assert dossier.attachment_count == 0
    assert "Not included" in text or "Niet opgenomen" in text


def test_handing_over_to_an_organisation_with_an_expired_agreement_is_refused(
    casework: Casework, actor_for: Callable[[str], Actor]
) -> None:
    with pytest.raises(ValidationError, match="no data-sharing agreement"):
        services.handover_create(
            actor=actor_for("enforcement"), case=casework.case, to_organisation=casework.tax
        )
    assert Handover.objects.count() == 1


def test_the_zgw_export_maps_kind_status_and_result(
    casework: Casework, actor_for: Callable[[str], Actor], settings: Any
) -> None:
    settings.ZGW_RSIN = "002220647"
    case = Case.objects.get(pk=casework.case.pk)
    services.case_close(
        actor=actor_for("enforcement"),
        case=case,
        expected_version=case.version,
        result="handed_over",
        close_signals=False,
    )
    exported = case_export(actor=actor_for("enforcement"), case=Case.objects.get(pk=case.pk))
    zaak = exported["zaak"]
    assert zaak["identificatie"] == case.reference
    assert zaak["zaaktype"].endswith("/zaaktypen/KR-HUISBEZOEK")
    assert zaak["bronorganisatie"] == zaak["verantwoordelijkeOrganisatie"] == "002220647"
    assert "einddatum" not in zaak  # read-only: the Zaken API sets it with the end status
    assert exported["status"]["statustype"].endswith("KR-HUISBEZOEK-5")
    assert exported["status"]["statustoelichting"] == "Afgehandeld"
    assert exported["resultaat"]["toelichting"] == "Overgedragen"
    assert exported["zaakobjecten"][0]["objectType"] == "adres"
    assert any(casework.nla.name in rol["roltoelichting"] for rol in exported["rollen"])


def test_the_case_pages_render_for_the_owner(casework: Casework, client_as: Callable[[str], Client]) -> None:
    client = client_as("enforcement")
    pk = casework.case.pk
    for url in (
        reverse("cases:case_board"),
        reverse("cases:case_list"),
        reverse("cases:case_detail", args=[pk]),
        reverse("cases:planning", args=[pk]),
        reverse("cases:route_list", args=[pk]),
        reverse("cases:handover_create", args=[pk]),
        reverse("cases:measure_create", args=[pk]),
        reverse("cases:participants", args=[pk]),
        reverse("cases:case_close", args=[pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
    detail = client.get(reverse("cases:case_detail", args=[pk])).content.decode()
    assert "Zieliński" in detail
    assert "jan.buurman@example.nl" not in detail


def test_the_planning_page_reorders_and_adds_addresses_inline(
    casework: Casework, client_as: Callable[[str], Client], world: World
) -> None:
    client = client_as("enforcement")
    pk = casework.case.pk
    second = f.AddressFactory(municipality=world.address.municipality, postcode="3077AX", house_number=5)
    response = client.post(
        reverse("cases:planning_add_address", args=[pk]),
        {"postcode": "3077 AX", "house_number": "5"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert second.label in response.content.decode()
    stop = casework.case.case_addresses.get(address=second)
    client.post(reverse("cases:planning_stop", args=[pk, stop.pk]), {"action": "up"}, HTTP_HX_REQUEST="true")
    route = casework.case.case_addresses.order_by("position").values_list("address_id", flat=True)
    assert route.first() == second.pk
    unknown = client.post(
        reverse("cases:planning_add_address", args=[pk]),
        {"postcode": "9999 ZZ", "house_number": "1"},
        HTTP_HX_REQUEST="true",
    )
    assert "There is no address with this postcode" in unknown.content.decode()


def test_the_casework_figures_count_the_progress_report_items(
    casework: Casework, actor_for: Callable[[str], Actor], world: World
) -> None:
    from ketenregie.cases.figures import casework_figures

    actor = actor_for("enforcement")
    second = f.AddressFactory(municipality=world.address.municipality)
    control = services.case_open(
        actor=actor, kind="integral_control", title="Integrale controle", addresses=[world.address, second]
    )
    services.finding_record(
        actor=actor, case=control, address=world.address, found_on=dt.date(2026, 3, 20), persons_found=7
    )
    services.finding_record(
        actor=actor, case=control, address=second, found_on=dt.date(2026, 3, 20), persons_found=2
    )
    figures = casework_figures(
        actor=actor_for("council"), start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31)
    )
    assert figures.overcrowding_signals == 1
    assert figures.overcrowding_confirmed == 0
    assert (figures.integral_controls, figures.integral_control_visits) == (1, 2)
    assert figures.integral_control_homes_with_violation == 1
    assert figures.first_registration_forms == 1
    assert figures.dossiers_to_nla == 1
    earlier = casework_figures(
        actor=actor_for("council"), start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31)
    )
    assert (earlier.integral_controls, earlier.first_registration_forms) == (0, 0)


def test_the_casework_indicators_of_the_kpi_catalogue_agree_with_the_figures(
    casework: Casework, actor_for: Callable[[str], Actor], world: World
) -> None:
    from ketenregie.core.kpi import Period
    from ketenregie.monitoring.indicators.registry import computed_for

    actor = actor_for("enforcement")
    control = services.case_open(
        actor=actor, kind="integral_control", title="Integrale controle", addresses=[world.address]
    )
    services.finding_record(
        actor=actor, case=control, address=world.address, found_on=dt.date(2026, 3, 20), persons_found=7
    )
    catalogue = computed_for()
    council = actor_for("council")
    year = Period.year(2026)
    values = {
        code: catalogue[code](actor=council, period=year).value
        for code in (
            "signals_overcrowding",
            "signals_overcrowding_confirmed",
            "integral_controls",
            "integral_control_visits",
            "integral_control_homes_with_violation",
            "first_registration_forms",
            "dossiers_to_nla",
        )
    }
    assert values == {
        "signals_overcrowding": 1,
        "signals_overcrowding_confirmed": 0,
        "integral_controls": 1,
        "integral_control_visits": 1,
        "integral_control_homes_with_violation": 1,
        "first_registration_forms": 1,
        "dossiers_to_nla": 1,
    }
    by_neighbourhood = catalogue["signals_overcrowding"](actor=council, period=year).by_neighbourhood
    assert dict(by_neighbourhood) == {world.address.neighbourhood_id: 1}
    assert catalogue["integral_controls"](actor=council, period=Period.year(2025)).value == 0
