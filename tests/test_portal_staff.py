"""Staff pages of the portal: information pages with translation markers, and the report queue."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from ketenregie.core.actor import Actor
from ketenregie.core.concurrency import ConcurrentEditError
from ketenregie.core.models import Municipality
from ketenregie.portal import selectors, services
from ketenregie.portal.models import InfoPageTranslation, SelfServiceReport
from ketenregie.portal.selectors import ReportFilter, TranslationState
from tests.conftest import World


def _page(actor: Actor) -> Any:
    return services.page_create(
        actor=actor,
        slug="digid",
        topic="digid",
        position=1,
        is_published=True,
        title="DigiD",
        summary="Uw digitale identiteit.",
        body="## Wat is DigiD?\n\nMet DigiD logt u in bij de overheid.",
    )


def _states(actor: Actor) -> dict[str, TranslationState]:
    return dict(selectors.page_overview(actor=actor)[0].states)


def test_a_translation_is_marked_when_the_dutch_text_changes_after_it(
    actor_for: Callable[[str], Actor],
) -> None:
    actor = actor_for("infopoint")
    page = _page(actor)
    assert _states(actor)["pl"] == TranslationState.MISSING
    services.translation_save(
        actor=actor, page=page, language="pl", expected_version=None, title="DigiD", summary="", body="Tekst"
    )
    assert _states(actor)["pl"] == TranslationState.CURRENT
    dutch = InfoPageTranslation.objects.get(page=page, language="nl")
    services.translation_save(
        actor=actor,
        page=page,
        language="nl",
        expected_version=dutch.version,
        title="DigiD",
        summary="",
        body="Nieuwe tekst",
    )
    assert _states(actor)["pl"] == TranslationState.OUTDATED
    polish = InfoPageTranslation.objects.get(page=page, language="pl")
    # A small fix that does not follow the new Dutch text keeps the marker…
    services.translation_save(
        actor=actor,
        page=page,
        language="pl",
        expected_version=polish.version,
        title="DigiD",
        summary="",
        body="Tekst.",
        matches_original=False,
    )
    assert _states(actor)["pl"] == TranslationState.OUTDATED
    polish.refresh_from_db()
    # …and an update that does clears it.
    services.translation_save(
        actor=actor,
        page=page,
        language="pl",
        expected_version=polish.version,
        title="DigiD",
        summary="",
        body="Nowy tekst",
    )
    assert _states(actor)["pl"] == TranslationState.CURRENT


def test_saving_an_unchanged_dutch_text_does_not_outdate_translations(
    actor_for: Callable[[str], Actor],
) -> None:
    actor = actor_for("infopoint")
    page = _page(actor)
    services.translation_save(
        actor=actor, page=page, language="en", expected_version=None, title="DigiD", summary="", body="Text"
    )
    dutch = InfoPageTranslation.objects.get(page=page, language="nl")
    services.translation_save(
        actor=actor,
        page=page,
        language="nl",
        expected_version=dutch.version,
        title=dutch.title,
        summary=dutch.summary,
        body=dutch.body,
    )
    assert _states(actor)["en"] == TranslationState.CURRENT


def test_two_editors_of_one_translation_get_a_conflict(actor_for: Callable[[str], Actor]) -> None:
    actor = actor_for("infopoint")
    page = _page(actor)
    services.translation_save(
        actor=actor, page=page, language="nl", expected_version=1, title="A", summary="", body="a"
    )
    with pytest.raises(ConcurrentEditError):
        services.translation_save(
            actor=actor, page=page, language="nl", expected_version=1, title="B", summary="", body="b"
        )


def test_the_staff_overview_shows_the_markers(
    client_as: Callable[[str], Client], actor_for: Callable[[str], Actor]
) -> None:
    _page(actor_for("infopoint"))
    body = client_as("infopoint").get("/app/portal/pages/").content.decode()
    assert body.count("kr-badge--danger") == 9  # every language but Dutch is missing
    edit = client_as("infopoint").get(f"/app/portal/pages/{InfoPageTranslation.objects.get().page_id}/pl/")
    assert "Dutch original" in edit.content.decode()
    assert "<h3>Wat is DigiD?</h3>" in edit.content.decode()


def test_enforcement_sees_only_the_reports_that_concern_it(
    actor_for: Callable[[str], Actor], world: World, municipality: Municipality
) -> None:
    SelfServiceReport.objects.create(
        municipality=municipality,
        reference="NOTENFORCE",
        reporter="self",
        language="en",
        verified_by="email",
        person=world.person,
        address=world.address,
        starts_on=world.report.starts_on,
        flags=["not_registered"],
        review_status="open",
    )
    civil = selectors.report_page(actor=actor_for("civil_affairs"), filters=ReportFilter(), page_number=1)
    enforcement = selectors.report_page(actor=actor_for("enforcement"), filters=ReportFilter(), page_number=1)
    assert {r.reference for r in civil.object_list} == {"WORLD00001", "NOTENFORCE"}
    assert {r.reference for r in enforcement.object_list} == {"WORLD00001"}
    flagged = selectors.report_page(
        actor=actor_for("civil_affairs"), filters=ReportFilter(flag="over_norm"), page_number=1
    )
    assert [r.reference for r in flagged.object_list] == ["WORLD00001"]


def test_civil_affairs_marks_a_report_as_checked(client_as: Callable[[str], Client], world: World) -> None:
    client = client_as("civil_affairs")
    url = f"/app/portal/reports/{world.report.pk}/"
    page = client.get(url).content.decode()
    assert "more people than the floor-area norm allows" in page
    response = client.post(url, {"version": "1", "note": "Adresonderzoek gestart."})
    assert response.status_code == 302
    world.report.refresh_from_db()
    assert world.report.review_status == "handled"
    assert world.report.reviewed_by is not None


def test_enforcement_cannot_mark_a_report_as_checked(
    client_as: Callable[[str], Client], world: World
) -> None:
    response = client_as("enforcement").post(
        f"/app/portal/reports/{world.report.pk}/", {"version": "1", "note": "x"}
    )
    assert response.status_code == 403
    world.report.refresh_from_db()
    assert world.report.review_status == "open"
