"""From intake to a closed case in a real browser, with axe-core checking every page on the way."""

from __future__ import annotations

import random
import re
from typing import Any

import pytest
from django.core import mail

from ketenregie.cases.models import Case, CaseStatus, FirstRegistrationForm
from ketenregie.signals.models import Signal, SignalClassifier, SignalResult, SignalStatus
from tests import factories as f
from tests.browser.conftest import axe_violations
from tests.browser.test_staff_application import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def seeded(personas: dict[str, Any], municipality: Any) -> Any:
    from ketenregie.demo.signal_texts import signal_text
    from ketenregie.signals import classifier

    neighbourhood = f.NeighbourhoodFactory(municipality=municipality, name="Tarwewijk", is_priority=True)
    address = f.AddressFactory(
        municipality=municipality,
        neighbourhood=neighbourhood,
        street="Mijnsherenlaan",
        house_number=12,
        postcode="3081CA",
        floor_area_m2=45,
    )
    f.signal_category(municipality)
    rng = random.Random(4)
    labels = [rng.choice(["overcrowding", "nuisance", "housing_fraud", "homelessness"]) for _ in range(300)]
    trained = classifier.train([signal_text(rng, label) for label in labels], labels)
    SignalClassifier.objects.create(
        municipality=municipality,
        samples=trained.samples,
        held_out=trained.held_out,
        accuracy=trained.accuracy,
        labels=trained.model.labels,
        model=trained.model.to_json(),
    )
    return address


def check(page: Any) -> None:
    assert axe_violations(page) == [], page.url


def test_an_officer_takes_a_melding_from_intake_to_a_closed_case(
    page: Any, live_server: Any, seeded: Any
) -> None:
    login(page, live_server, "enforcement")
    page.get_by_role("navigation").get_by_role("link", name="Meldingen", exact=True).click()
    check(page)
    page.click("text=Melding registreren")
    check(page)
    page.fill(
        "#id_description",
        "Er slapen minstens twaalf arbeidsmigranten op matrassen in deze kleine bovenwoning.",
    )
    page.wait_for_selector("#kr-suggestion .kr-use-suggestion")
    assert "Overbewoning" in page.inner_text("#kr-suggestion")
    page.click("#kr-suggestion .kr-use-suggestion")
    assert (
        page.eval_on_selector("#id_category", "s => s.options[s.selectedIndex].text")
        == "Overbewoning (algemeen)"
    )
    check(page)
    page.fill("#id_postcode", "3081 CA")
    page.fill("#id_house_number", "12")
    page.fill("#id_reporter_email", "buurvrouw@example.nl")
    page.click("button:has-text('Melding opslaan')")
    page.wait_for_selector("h1:has-text('Melding M-')")
    check(page)
    signal = Signal.objects.get()
    assert signal.address == seeded
    assert "Mijnsherenlaan 12" in page.inner_text("main")

    page.click("text=Zaak openen")
    page.wait_for_selector("h1:has-text('Zaak openen')")
    check(page)
    page.click("button:has-text('De zaak openen')")
    page.wait_for_selector("text=Constatering vastleggen")
    check(page)
    case = Case.objects.get()
    assert Signal.objects.get().status == SignalStatus.INVESTIGATING

    page.click("text=Constatering vastleggen")
    page.wait_for_selector("#id_persons_found")
    check(page)
    page.fill("#id_persons_found", "9")
    page.fill("#id_unregistered_persons", "1")
    page.check("#id_fire_safety_issue")
    page.click("button:has-text('Constatering opslaan')")
    page.wait_for_selector("h1:has-text('Eerste vestigingsformulier')")
    check(page)
    page.fill("#id_given_names", "Ionuț")
    page.fill("#id_surname", "Popescu")
    page.fill("#id_birth_date", "1991-06-02")
    page.select_option("#id_nationality", "RO")
    page.click("button:has-text('Formulier opslaan')")
    page.wait_for_selector("h1:has-text('Z-')")
    assert FirstRegistrationForm.objects.get().surname == "Popescu"
    assert "overtreding" in page.inner_text("main")

    page.click("text=Planning")
    page.wait_for_selector("h1:has-text('Planning van')")
    check(page)
    page.click("text=Afdrukbare routelijst")
    check(page)
    page.goto(f"{live_server.url}/app/cases/{case.pk}/")

    page.click("text=De zaak sluiten")
    page.wait_for_selector("#id_result")
    check(page)
    assert page.input_value("#id_result") == "violation"
    page.click("button:has-text('De zaak sluiten')")
    page.wait_for_selector("text=is gesloten")
    check(page)
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    signal.refresh_from_db()
    assert (signal.status, signal.result) == (SignalStatus.CLOSED, SignalResult.CONFIRMED)
    assert [message.to for message in mail.outbox] == [["buurvrouw@example.nl"]]
    timeline = page.inner_text("#timeline")
    assert re.search(r"Zaak gesloten", timeline)
    assert "Constatering bij Mijnsherenlaan 12" in timeline

    page.get_by_role("navigation").get_by_role("link", name="Zaken", exact=True).click()
    check(page)


def test_the_triage_queue_accepts_a_suggestion_inline(
    page: Any, live_server: Any, seeded: Any, actor_for: Any
) -> None:
    from ketenregie.signals.intake import SignalIntake, signal_create_initial

    signal = signal_create_initial(
        SignalIntake(
            municipality=seeded.municipality,
            description="Elke nacht harde muziek en geschreeuw, afval naast de container.",
            address=seeded,
        ),
        actor=actor_for("enforcement"),
    )
    assert signal.suggested_category is not None
    login(page, live_server, "enforcement")
    page.goto(f"{live_server.url}/app/signals/?queue=new")
    check(page)
    page.click(f"#signal-{signal.pk} button")
    page.wait_for_selector(f"#signal-{signal.pk} >> text=beoordeeld")
    assert Signal.objects.get(pk=signal.pk).status == SignalStatus.TRIAGED
    check(page)


def test_a_partner_sees_the_shared_case_without_the_reporter(
    page: Any, live_server: Any, seeded: Any, actor_for: Any
) -> None:
    from ketenregie.cases import services as case_services
    from ketenregie.signals.intake import Reporter, SignalIntake, signal_create_initial

    enforcement = actor_for("enforcement")
    nla = f.persona("partner", seeded.municipality).memberships.get().organisation
    f.AgreementFactory(municipality=seeded.municipality, parties=[nla])
    signal = signal_create_initial(
        SignalIntake(
            municipality=seeded.municipality,
            description="Paspoorten worden ingehouden door het uitzendbureau.",
            address=seeded,
            reporter=Reporter(name="Geheime Melder", email="melder@example.nl"),
        ),
        actor=enforcement,
    )
    case = case_services.case_open(
        actor=enforcement, kind="house_visit", title="Uitbuiting", signals=[signal]
    )
    case_services.participant_add(actor=enforcement, case=case, organisation=nla)
    login(page, live_server, "partner")
    page.get_by_role("navigation").get_by_role("link", name="Zaken", exact=True).click()
    check(page)
    page.click(f"text={case.reference}")
    page.wait_for_selector("h1")
    check(page)
    body = page.inner_text("main")
    assert "Paspoorten worden ingehouden" in body
    assert "Geheime Melder" not in body
    assert "melder@example.nl" not in body
    assert "Niet gedeeld met uw organisatie" in body
