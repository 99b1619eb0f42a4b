"""The public portal in a real browser: axe-core finds no WCAG 2.1 AA violation on any page in any of the
ten languages, the forms work without JavaScript, and the portal fits a phone (375 px)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from ketenregie.infopoint.models import ActivityKind, ActivityStatus
from ketenregie.portal.languages import PORTAL_LANGUAGES
from ketenregie.portal.models import SelfServiceReport
from tests import factories as f
from tests.browser.conftest import CHROMIUM, axe_violations
from tests.portal_helpers import last_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


@pytest.fixture
def portal(portal_settings: Any, municipality: Any) -> dict[str, Any]:
    address = f.AddressFactory(municipality=municipality, postcode="3083AB", house_number=7, floor_area_m2=80)
    page = f.InfoPageFactory(municipality=municipality, slug="digid", topic="digid")
    f.InfoPageTranslationFactory(
        page=page,
        language="nl",
        title="DigiD",
        body="## Wat is DigiD?\n\nMet DigiD logt u in bij de overheid.\n\n- Vraag aan\n- Activeer",
        version=2,
    )
    f.InfoPageTranslationFactory(
        page=page, language="pl", title="DigiD", body="## Czym jest DigiD?\n\nTekst.", source_version=1
    )
    f.EmployerFactory(municipality=municipality, kvk_number="24555666", name="Flexwerk Zuid B.V.")
    f.ActivityFactory(
        municipality=municipality,
        kind=ActivityKind.GROUP_REGISTRATION,
        title="Groepsregistratie Waalhaven",
        held_on=dt.date.today() + dt.timedelta(days=7),
        status=ActivityStatus.PLANNED,
        attendance=None,
        is_public=True,
    )
    return {"address": address}


def _check(page: Any, lang: str, what: str) -> None:
    assert page.locator("html").get_attribute("lang") == lang, what
    violations = axe_violations(page)
    assert violations == [], f"{lang} {what}: {violations}"


# Every language is checked in the slow run; the default run keeps Dutch, English and one language in
# another script (Ukrainian, Cyrillic), which share the templates with the rest.
DEFAULT_RUN_LANGUAGES = ("nl", "en", "uk")


@pytest.mark.parametrize(
    "lang",
    [
        lang if lang in DEFAULT_RUN_LANGUAGES else pytest.param(lang, marks=pytest.mark.slow)
        for lang in PORTAL_LANGUAGES
    ],
)
def test_every_portal_page_is_accessible(
    page: Any, live_server: Any, portal: dict[str, Any], lang: str, tmp_path: Path
) -> None:
    base = f"{live_server.url}/{lang}"
    for path, what in [("/", "home"), ("/info/digid/", "information page"), ("/privacy/", "privacy")]:
        page.goto(base + path)
        _check(page, lang, what)
    page.goto(base + "/nothing-here/")
    _check(page, lang, "not found")

    # The melding form, empty and with its errors.
    page.goto(base + "/report/")
    _check(page, lang, "melding form")
    page.click("form.pt-form button[type=submit]")
    _check(page, lang, "melding form with errors")

    # Self-service: errors, the code page with a wrong code, the confirmation.
    page.goto(base + "/address/")
    _check(page, lang, "address form")
    page.click("form.pt-form button[type=submit]")
    _check(page, lang, "address form with errors")
    page.check("#id_reporter_0")
    page.fill("#id_given_names", "Agnieszka")
    page.fill("#id_surname", f"Wiśniewska-{lang}")
    page.fill("#id_birth_date", "1991-03-04")
    page.select_option("#id_nationality", "PL")
    page.fill("#id_postcode", "3083 AB")
    page.fill("#id_house_number", "7")
    page.fill("#id_starts_on", (dt.date.today() - dt.timedelta(days=2)).isoformat())
    page.fill("#id_email", f"agnieszka-{lang}@example.com")
    page.check("#id_channel_0")
    page.click("form.pt-form button[type=submit]")
    page.wait_for_url(f"{base}/address/code/")
    _check(page, lang, "code page")
    page.fill("#id_code", "12345")
    page.click("form.pt-form button[type=submit]")
    _check(page, lang, "code page with an error")
    page.fill("#id_code", last_code(f"agnieszka-{lang}@example.com"))
    page.click("form.pt-form button[type=submit]")
    page.wait_for_url(f"{base}/address/done/")
    _check(page, lang, "confirmation")

    # Group registration: start, code, the list page with a refused file.
    page.goto(base + "/employers/")
    _check(page, lang, "employer start")
    page.fill("#id_kvk_number", "24555666")
    page.fill("#id_email", f"hr-{lang}@flexwerk.example")
    page.click("form.pt-form button[type=submit]")
    page.wait_for_url(f"{base}/employers/code/")
    page.fill("#id_code", last_code(f"hr-{lang}@flexwerk.example"))
    page.click("form.pt-form button[type=submit]")
    page.wait_for_url(f"{base}/employers/list/")
    _check(page, lang, "employer list page")
    bad = tmp_path / "workers.csv"
    bad.write_text("given_names;surname\nIon;Popescu\n", encoding="utf-8")
    page.select_option("#id_activity", index=1)
    page.set_input_files("#id_file", str(bad))
    page.check("#id_consent")
    page.click("form.pt-form button[type=submit]")
    _check(page, lang, "employer list page with a refused file")


def test_the_self_service_form_works_without_javascript(
    browser: Any, live_server: Any, portal: dict[str, Any]
) -> None:
    context = browser.new_context(java_script_enabled=False, locale="pl-PL")
    page = context.new_page()
    page.goto(f"{live_server.url}/")
    assert page.url == f"{live_server.url}/pl/"
    page.click("text=Polski")
    page.goto(f"{live_server.url}/pl/address/")
    page.fill("#id_given_names", "Jan")
    page.fill("#id_surname", "Nowak")
    page.fill("#id_birth_date", "1985-01-01")
    page.select_option("#id_nationality", "PL")
    page.fill("#id_postcode", "3083AB")
    page.fill("#id_house_number", "7")
    page.fill("#id_starts_on", dt.date.today().isoformat())
    page.fill("#id_phone", "+48601234567")
    page.check("#id_channel_1")
    page.click("form.pt-form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/pl/address/code/")
    page.fill("#id_code", last_code("+48601234567"))
    page.click("form.pt-form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/pl/address/done/")
    assert "Dziękujemy" in page.inner_text("main")
    assert SelfServiceReport.objects.filter(verified_by="sms").count() == 1
    context.close()


def test_the_portal_fits_a_phone(browser: Any, live_server: Any, portal: dict[str, Any]) -> None:
    context = browser.new_context(
        viewport={"width": 375, "height": 812}, device_scale_factor=1, locale="ro-RO"
    )
    page = context.new_page()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for path, name in [("/ro/", "home"), ("/ro/address/", "address-form"), ("/ro/report/", "melding-form")]:
        page.goto(live_server.url + path)
        # Nothing sticks out sideways: no horizontal scrolling on a phone.
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, path
        page.screenshot(path=str(SCREENSHOTS / f"portal-375-{name}.png"), full_page=True)
    page.goto(live_server.url + "/ro/address/")
    page.click("form.pt-form button[type=submit]")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.screenshot(path=str(SCREENSHOTS / "portal-375-address-errors.png"), full_page=True)
    page.locator("fieldset.pt-section").last.screenshot(
        path=str(SCREENSHOTS / "portal-375-employer-part.png")
    )
    context.close()
    assert Path(CHROMIUM).exists()
