"""Retention: the periods and their sources, what is due when, the purge, legal holds, and the figures."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from io import StringIO
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import DatabaseError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ketenregie.cases.models import (
    Case,
    CaseAttachment,
    Finding,
    FirstRegistrationForm,
    Handover,
    Measure,
    RecordVersion,
)
from ketenregie.core.actor import Actor
from ketenregie.core.kpi import Period as KpiPeriod
from ketenregie.core.models import AuditAction, AuditEvent, Municipality, Role
from ketenregie.core.permissions import ROLE_CAPABILITIES, Capability
from ketenregie.infopoint.models import Contact
from ketenregie.monitoring import selectors as monitoring_selectors
from ketenregie.monitoring import services as monitoring_services
from ketenregie.monitoring.models import Indicator, IndicatorValue
from ketenregie.portal.models import OutboxMessage, PendingVerification
from ketenregie.retention import selectors, services
from ketenregie.retention.defaults import DEFAULTS, Period
from ketenregie.retention.models import LegalHold, PeriodUnit, PurgeRun, RecordType, RetentionPolicy
from ketenregie.risk.models import ControlList, ControlListEntry, RiskRun
from ketenregie.signals.models import Signal, SignalAttachment
from tests import factories as f
from tests.conftest import Casework

ROOT = Path(__file__).resolve().parents[1]
AS_OF = dt.date(2025, 6, 15)


def system(municipality: Municipality) -> Actor:
    return Actor.system(municipality, name="retention-test")


def aware(day: dt.date, hour: int = 12) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def closed_case(municipality: Municipality, closed_on: dt.date, **fields: Any) -> Case:
    return f.CaseFactory(
        municipality=municipality,
        status="closed",
        result=fields.pop("result", "no_violation"),
        opened_on=closed_on - dt.timedelta(days=30),
        closed_on=closed_on,
        **fields,
    )


def closed_signal(municipality: Municipality, closed_at: dt.datetime) -> Signal:
    return f.SignalFactory(
        municipality=municipality,
        status="closed",
        result="not_confirmed",
        received_at=closed_at - dt.timedelta(days=10),
        closed_at=closed_at,
    )


def contact(municipality: Municipality, on: dt.date, key: str = "", **fields: Any) -> Contact:
    point = f.InformationPointFactory(municipality=municipality)
    return Contact.objects.create(
        municipality=municipality,
        point=point,
        contacted_on=on,
        channel="desk",
        language="pl",
        visitor_key=key,
        **fields,
    )


def table_counts() -> dict[str, int]:
    models = (
        Case,
        Finding,
        FirstRegistrationForm,
        Measure,
        CaseAttachment,
        Handover,
        Signal,
        SignalAttachment,
    )
    counts = {model.__name__: model.objects.count() for model in models}
    counts |= {
        "Contact": Contact.objects.count(),
        "RiskRun": RiskRun.objects.count(),
        "AuditEvent": AuditEvent.objects.count(),
        "PurgeRun": PurgeRun.objects.count(),
        "PendingVerification": PendingVerification.objects.count(),
        "dossiers": Handover.objects.exclude(dossier="").count(),
    }
    return counts


# --- the policy ---------------------------------------------------------------------------------------


def test_every_record_type_has_a_default_with_its_source_and_the_docs_explain_it() -> None:
    docs = (ROOT / "docs" / "retention.md").read_text(encoding="utf-8")
    assert set(DEFAULTS) == set(RecordType.values)
    today = dt.date(2026, 12, 1)
    for record_type, default in DEFAULTS.items():
        assert len(str(default.basis)) > 40, record_type
        assert str(default.counted_from), record_type
        assert default.period.at_least(default.minimum, on=today), record_type
        assert f"`{record_type}`" in docs, record_type
    assert "Selectielijst" in str(DEFAULTS[RecordType.CASES_SANCTIONED].basis)
    assert DEFAULTS[RecordType.CASES_SANCTIONED].period == Period(10, PeriodUnit.YEARS)


def test_a_period_counts_back_in_calendar_months_and_years() -> None:
    assert Period(1, PeriodUnit.MONTHS).before(dt.date(2024, 3, 31)) == dt.date(2024, 2, 29)
    assert Period(2, PeriodUnit.YEARS).before(dt.date(2024, 2, 29)) == dt.date(2022, 2, 28)
    assert Period(30, PeriodUnit.DAYS).before(dt.date(2025, 3, 1)) == dt.date(2025, 1, 30)
    assert Period(12, PeriodUnit.MONTHS).at_least(Period(1, PeriodUnit.YEARS), on=dt.date(2025, 1, 1))
    assert not Period(11, PeriodUnit.MONTHS).at_least(Period(1, PeriodUnit.YEARS), on=dt.date(2025, 1, 1))


def test_the_municipality_sees_the_defaults_until_the_administrator_sets_its_own(
    municipality: Municipality, actor_for: Callable[[str], Actor]
) -> None:
    rows = {row.record_type: row for row in selectors.policy(municipality)}
    assert rows[RecordType.AUDIT_TRAIL].period == Period(2, PeriodUnit.YEARS)
    assert rows[RecordType.AUDIT_TRAIL].is_default
    services.policy_set(
        actor=actor_for(Role.ADMIN),
        record_type=RecordType.AUDIT_TRAIL,
        amount=3,
        unit=PeriodUnit.YEARS,
        basis="Besluit informatiebeheer gemeente, art. 4",
        expected_version=0,
    )
    rows = {row.record_type: row for row in selectors.policy(municipality)}
    assert rows[RecordType.AUDIT_TRAIL].period == Period(3, PeriodUnit.YEARS)
    assert not rows[RecordType.AUDIT_TRAIL].is_default
    assert rows[RecordType.AUDIT_TRAIL].basis == "Besluit informatiebeheer gemeente, art. 4"
    event = AuditEvent.objects.get(object_type="retention.retentionpolicy")
    assert event.action == AuditAction.CREATE
    assert "Besluit" not in json.dumps(event.detail)


@pytest.mark.parametrize(
    ("record_type", "amount", "unit", "message"),
    [
        (RecordType.AUDIT_TRAIL, 0, PeriodUnit.DAYS, "at least 1"),
        (RecordType.AUDIT_TRAIL, -5, PeriodUnit.YEARS, "at least 1"),
        (RecordType.AUDIT_TRAIL, 300, PeriodUnit.DAYS, "ten minste 1 jaar"),
        (RecordType.CASES_SANCTIONED, 4, PeriodUnit.YEARS, "ten minste 5 jaar"),
        (RecordType.SIGNALS, 31, PeriodUnit.YEARS, "ten hoogste 30 jaar"),
        # Far beyond any date: refused as too long, not a crash of the date arithmetic.
        (RecordType.SIGNALS, 3000, PeriodUnit.YEARS, "ten hoogste 30 jaar"),
        (RecordType.SIGNALS, 10**7, PeriodUnit.DAYS, "ten hoogste 30 jaar"),
        (RecordType.SIGNALS, 2, "weeks", "dagen, maanden of jaren"),
        ("everything", 2, PeriodUnit.YEARS, "Onbekend"),
    ],
)
def test_a_period_below_the_minimum_or_otherwise_wrong_is_refused_and_nothing_changes(
    municipality: Municipality,
    actor_for: Callable[[str], Actor],
    record_type: str,
    amount: int,
    unit: str,
    message: str,
) -> None:
    with pytest.raises(ValidationError) as refused:
        services.policy_set(
            actor=actor_for(Role.ADMIN),
            record_type=record_type,
            amount=amount,
            unit=unit,
            basis="Eigen keuze",
            expected_version=0,
        )
    text = " ".join(refused.value.messages)
    assert message.lower() in text.lower() or (message == "at least 1" and "ten minste 1" in text)
    assert not RetentionPolicy.objects.exists()


def test_only_the_administrator_sets_a_period(
    municipality: Municipality, actor_for: Callable[[str], Actor]
) -> None:
    for role in (Role.PRIVACY_OFFICER, Role.ENFORCEMENT, Role.POLICY):
        with pytest.raises(PermissionDenied):
            services.policy_set(
                actor=actor_for(role),
                record_type=RecordType.SIGNALS,
                amount=3,
                unit=PeriodUnit.YEARS,
                basis="Eigen keuze",
                expected_version=0,
            )
    assert not RetentionPolicy.objects.exists()


def test_a_stale_version_of_the_period_is_refused(
    municipality: Municipality, actor_for: Callable[[str], Actor]
) -> None:
    admin = actor_for(Role.ADMIN)
    services.policy_set(
        actor=admin,
        record_type=RecordType.SIGNALS,
        amount=3,
        unit="years",
        basis="Eerste",
        expected_version=0,
    )
    with pytest.raises(ValidationError):
        services.policy_set(
            actor=admin,
            record_type=RecordType.SIGNALS,
            amount=4,
            unit="years",
            basis="Tweede",
            expected_version=0,
        )
    assert RetentionPolicy.objects.get().amount == 3


# --- what is due, at the boundary ---------------------------------------------------------------------


def test_each_record_type_falls_due_on_the_day_its_period_has_passed(municipality: Municipality) -> None:
    """The record on the cutoff day is due, the one a day later is not."""
    cutoff = {key: period.before(AS_OF) for key, period in selectors.periods(municipality).items()}
    day = dt.timedelta(days=1)
    expected: dict[str, set[int]] = {}

    plain = [
        closed_case(municipality, cutoff[RecordType.CASES]),
        closed_case(municipality, cutoff[RecordType.CASES] + day),
    ]
    expected[RecordType.CASES] = {plain[0].pk}
    sanctioned = [
        closed_case(municipality, cutoff[RecordType.CASES_SANCTIONED], result="violation"),
        closed_case(municipality, cutoff[RecordType.CASES_SANCTIONED] + day, result="violation"),
    ]
    for case in sanctioned:
        Measure.objects.create(
            municipality=municipality, case=case, kind="fine", amount=1000, issued_on=case.closed_on
        )
    expected[RecordType.CASES_SANCTIONED] = {sanctioned[0].pk}
    late = timezone.make_aware(dt.datetime.combine(cutoff[RecordType.SIGNALS], dt.time(23, 59)))
    signals = [closed_signal(municipality, late), closed_signal(municipality, late + dt.timedelta(minutes=2))]
    expected[RecordType.SIGNALS] = {signals[0].pk}
    contacts = [
        contact(municipality, cutoff[RecordType.INFOPOINT_CONTACTS]),
        contact(municipality, cutoff[RecordType.INFOPOINT_CONTACTS] + day),
        # An open follow-up keeps a contact, whatever its age.
        contact(municipality, cutoff[RecordType.INFOPOINT_CONTACTS] - day * 100, follow_up="Terugbellen"),
    ]
    expected[RecordType.INFOPOINT_CONTACTS] = {contacts[0].pk}
    runs = [
        RiskRun.objects.create(municipality=municipality, as_of=cutoff[RecordType.RISK_RUNS], rules={}),
        RiskRun.objects.create(municipality=municipality, as_of=cutoff[RecordType.RISK_RUNS] + day, rules={}),
    ]
    expected[RecordType.RISK_RUNS] = {runs[0].pk}

    found = selectors.plan(municipality, as_of=AS_OF)
    for record_type, ids in expected.items():
        assert set(found.ids[record_type]) == ids, record_type


def test_portal_verifications_fall_due_after_thirty_days(municipality: Municipality) -> None:
    today = timezone.localdate()
    for age in (30, 29):
        with mock.patch("django.utils.timezone.now", return_value=aware(today - dt.timedelta(days=age))):
            PendingVerification.objects.create(
                municipality=municipality,
                token=f"token-{age}",
                purpose="address",
                language="pl",
                channel="email",
                recipient="piotr@example.pl",
                code_hash="x" * 64,
                code_expires_at=timezone.now(),
            )
            OutboxMessage.objects.create(
                municipality=municipality,
                channel="email",
                recipient="piotr@example.pl",
                language="pl",
                subject="Code",
                body="123456",
            )
    result = services.retention_purge(actor=system(municipality))
    assert result.counts[RecordType.PORTAL_VERIFICATIONS] == {"due": 2, "removed": 2}
    assert list(PendingVerification.objects.values_list("token", flat=True)) == ["token-29"]
    assert OutboxMessage.objects.count() == 1


# --- the purge ----------------------------------------------------------------------------------------


def close_long_ago(casework: Casework, closed_on: dt.date) -> None:
    """Close the casework's case (with its penalty order), melding and hand-over in the past."""
    Case.objects.filter(pk=casework.case.pk).update(status="closed", result="violation", closed_on=closed_on)
    Signal.objects.filter(pk=casework.signal.pk).update(
        status="closed", result="confirmed", closed_at=aware(closed_on)
    )
    Handover.objects.filter(pk=casework.handover.pk).update(handed_over_at=aware(closed_on))


def stored_files(casework: Casework) -> list[str]:
    return [
        casework.signal_attachment.file.name,
        casework.attachment.file.name,
        Handover.objects.get(pk=casework.handover.pk).dossier.name,
    ]


def test_a_purge_removes_a_case_with_everything_of_it_and_the_files(
    casework: Casework, django_capture_on_commit_callbacks: Any
) -> None:
    municipality = casework.case.municipality
    close_long_ago(casework, dt.date(2014, 5, 1))
    files = stored_files(casework)
    assert all(default_storage.exists(name) for name in files)
    other_case = casework.other_case
    # Files go once the purge is committed: the commit hooks are run as if it were.
    with django_capture_on_commit_callbacks(execute=True):
        result = services.retention_purge(actor=system(municipality))
    assert result.counts[RecordType.CASES_SANCTIONED] == {"due": 1, "removed": 1}
    assert result.counts[RecordType.SIGNALS] == {"due": 1, "removed": 1}
    assert not Case.objects.filter(pk=casework.case.pk).exists()
    for model in (Finding, FirstRegistrationForm, Measure, CaseAttachment, Handover):
        assert not model.objects.filter(municipality=municipality).exists(), model.__name__
    assert not RecordVersion.objects.filter(case_id=casework.case.pk).exists()
    assert not Signal.objects.filter(pk=casework.signal.pk).exists()
    assert not any(default_storage.exists(name) for name in files)
    assert Case.objects.filter(pk=other_case.pk).exists()


def test_a_melding_of_a_case_that_stays_stays_with_it(casework: Casework) -> None:
    municipality = casework.case.municipality
    # The melding is long closed, the case only last year.
    Signal.objects.filter(pk=casework.signal.pk).update(
        status="closed", result="confirmed", closed_at=aware(dt.date(2015, 1, 1))
    )
    Case.objects.filter(pk=casework.case.pk).update(
        status="closed", result="violation", closed_on=dt.date(2025, 5, 1)
    )
    result = services.retention_purge(actor=system(municipality))
    assert result.counts[RecordType.SIGNALS]["removed"] == 0
    assert Signal.objects.filter(pk=casework.signal.pk).exists()


def test_a_dossier_goes_after_a_year_and_the_hand_over_record_stays(casework: Casework) -> None:
    municipality = casework.case.municipality
    Handover.objects.filter(pk=casework.handover.pk).update(handed_over_at=aware(dt.date(2024, 1, 1)))
    result = services.retention_purge(actor=system(municipality))
    assert result.counts[RecordType.HANDOVER_DOSSIERS] == {"due": 1, "removed": 1}
    handover = Handover.objects.get(pk=casework.handover.pk)
    assert handover.dossier.name == ""
    assert handover.dossier_sha256
    assert Case.objects.filter(pk=casework.case.pk).exists()


def test_a_processed_registration_form_goes_with_its_earlier_versions(casework: Casework) -> None:
    municipality = casework.case.municipality
    form = casework.registration
    FirstRegistrationForm.objects.filter(pk=form.pk).update(
        status="processed", processed_on=dt.date(2023, 1, 1)
    )
    RecordVersion.objects.create(
        municipality=municipality,
        case=casework.case,
        record_kind="registration_form",
        record_id=form.pk,
        version=1,
        values={"surname": "Zieliński"},
        data_category="persons",
        changed_by_name="handhaving",
    )
    services.retention_purge(actor=system(municipality))
    assert not FirstRegistrationForm.objects.filter(pk=form.pk).exists()
    assert not RecordVersion.objects.filter(record_kind="registration_form", record_id=form.pk).exists()
    assert Finding.objects.filter(pk=casework.finding.pk).exists()


def test_a_legal_hold_keeps_the_case_and_everything_of_it(
    casework: Casework, actor_for: Callable[[str], Actor]
) -> None:
    municipality = casework.case.municipality
    close_long_ago(casework, dt.date(2014, 5, 1))
    FirstRegistrationForm.objects.filter(pk=casework.registration.pk).update(
        status="processed", processed_on=dt.date(2014, 5, 1)
    )
    before = table_counts()
    hold = services.legal_hold_place(
        actor=actor_for(Role.ENFORCEMENT), case=casework.case, reason="Beroep bij de rechtbank loopt nog"
    )
    result = services.retention_purge(actor=system(municipality))
    assert result.counts[RecordType.CASES_SANCTIONED]["due"] == 0
    assert result.counts[RecordType.SIGNALS]["due"] == 0
    assert result.counts[RecordType.HANDOVER_DOSSIERS]["due"] == 0
    assert result.counts[RecordType.REGISTRATION_FORMS]["due"] == 0
    after = table_counts()
    for name in (
        "Case",
        "Finding",
        "FirstRegistrationForm",
        "Measure",
        "CaseAttachment",
        "Handover",
        "Signal",
        "dossiers",
    ):
        assert after[name] == before[name], name
    # Lifted, the hold no longer keeps anything; its history stays, naming the case by reference.
    services.legal_hold_lift(actor=actor_for(Role.ADMIN), hold=hold, reason="Uitspraak is onherroepelijk")
    services.retention_purge(actor=system(municipality))
    assert not Case.objects.filter(pk=casework.case.pk).exists()
    hold = LegalHold.objects.get(pk=hold.pk)
    assert hold.case is None
    assert hold.case_reference.startswith("Z-")
    assert hold.lifted_by_name == Role.ADMIN


def test_a_hold_needs_a_reason_and_one_at_a_time(
    casework: Casework, actor_for: Callable[[str], Actor]
) -> None:
    enforcement = actor_for(Role.ENFORCEMENT)
    with pytest.raises(ValidationError):
        services.legal_hold_place(actor=enforcement, case=casework.case, reason="  kort ")
    assert not LegalHold.objects.exists()
    services.legal_hold_place(actor=enforcement, case=casework.case, reason="Bezwaar tegen de dwangsom")
    with pytest.raises(ValidationError, match="al een"):
        services.legal_hold_place(actor=enforcement, case=casework.case, reason="Nog een reden om te bewaren")
    assert LegalHold.objects.count() == 1


def test_who_places_a_hold(casework: Casework, actor_for: Callable[[str], Actor], outsider: Any) -> None:
    from ketenregie.core.actor import actor_for_user

    for role in (Role.PRIVACY_OFFICER, Role.PARTNER, Role.POLICY, Role.CIVIL_AFFAIRS):
        with pytest.raises(PermissionDenied):
            services.legal_hold_place(
                actor=actor_for(role), case=casework.case, reason="Een geldige reden hier"
            )
    stranger = actor_for_user(outsider)
    assert stranger is not None
    with pytest.raises(ValidationError):
        services.legal_hold_place(actor=stranger, case=casework.case, reason="Een geldige reden hier")
    assert not LegalHold.objects.exists()
    services.legal_hold_place(
        actor=actor_for(Role.ADMIN), case=casework.case, reason="Verzoek juridische zaken"
    )
    assert LegalHold.objects.count() == 1


def test_a_dry_run_changes_nothing(casework: Casework) -> None:
    municipality = casework.case.municipality
    close_long_ago(casework, dt.date(2014, 5, 1))
    contact(municipality, dt.date(2020, 1, 1))
    before = table_counts()
    result = services.retention_purge(actor=system(municipality), dry_run=True)
    assert result.counts[RecordType.CASES_SANCTIONED] == {"due": 1, "removed": 0}
    assert result.counts[RecordType.INFOPOINT_CONTACTS]["due"] >= 1
    assert result.counts[RecordType.INFOPOINT_CONTACTS]["removed"] == 0
    assert result.run is None
    assert table_counts() == before
    assert all(default_storage.exists(name) for name in stored_files(casework))


def test_a_purge_is_one_audit_event_with_counts_and_no_personal_data(casework: Casework) -> None:
    municipality = casework.case.municipality
    close_long_ago(casework, dt.date(2014, 5, 1))
    result = services.retention_purge(actor=system(municipality))
    event = AuditEvent.objects.get(object_type="retention.purgerun")
    assert event.action == AuditAction.DELETE
    assert event.detail["removed"][RecordType.CASES_SANCTIONED] == 1
    assert event.detail["purge_run"] == result.run.pk
    assert event.detail["rows"] == result.total_removed
    text = json.dumps(event.detail)
    for personal in ("Zieliński", "Piotr", "Buurman", "jan.buurman", "Verhuurder"):
        assert personal not in text
    run = PurgeRun.objects.get()
    assert not run.dry_run
    assert run.counts == result.counts


def test_a_purge_cannot_run_ahead_of_today_but_a_dry_run_can(municipality: Municipality) -> None:
    ahead = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationError, match="vooruit"):
        services.retention_purge(actor=system(municipality), as_of=ahead)
    assert not PurgeRun.objects.exists()
    assert services.retention_purge(actor=system(municipality), as_of=ahead, dry_run=True).run is None


def test_who_may_purge(municipality: Municipality, actor_for: Callable[[str], Actor]) -> None:
    for role in Role.values:
        actor = actor_for(role)
        if Capability.MANAGE_RETENTION in ROLE_CAPABILITIES[role]:
            services.retention_purge(actor=actor)
        else:
            with pytest.raises(PermissionDenied):
                services.retention_purge(actor=actor)
    # The privacy officer may look ahead (a dry run), not remove.
    services.retention_purge(actor=actor_for(Role.PRIVACY_OFFICER), dry_run=True)


def test_a_purge_leaves_other_municipalities_alone(
    municipality: Municipality, other_municipality: Municipality
) -> None:
    mine = closed_case(municipality, dt.date(2015, 1, 1))
    theirs = closed_case(other_municipality, dt.date(2015, 1, 1))
    services.policy_set(
        actor=Actor.system(other_municipality, name="t"),
        record_type=RecordType.CASES,
        amount=20,
        unit="years",
        basis="Eigen keuze",
        expected_version=0,
    )
    services.retention_purge(actor=system(municipality))
    services.retention_purge(actor=system(other_municipality))
    assert not Case.objects.filter(pk=mine.pk).exists()
    assert Case.objects.filter(pk=theirs.pk).exists()


def test_a_run_behind_a_list_that_led_to_a_case_stays_with_that_case(municipality: Municipality) -> None:
    address = f.AddressFactory(municipality=municipality)
    run = RiskRun.objects.create(municipality=municipality, as_of=dt.date(2020, 1, 1), rules={})
    control_list = ControlList.objects.create(
        municipality=municipality, run=run, top_n=1, exclude_visited_days=0
    )
    case = f.CaseFactory(municipality=municipality)
    ControlListEntry.objects.create(
        municipality=municipality, control_list=control_list, address=address, rank=1, score=5, case=case
    )
    services.retention_purge(actor=system(municipality))
    assert RiskRun.objects.filter(pk=run.pk).exists()
    Case.objects.filter(pk=case.pk).update(
        status="closed", result="no_violation", closed_on=dt.date(2020, 2, 1)
    )
    result = services.retention_purge(actor=system(municipality))
    assert result.counts[RecordType.RISK_RUNS]["removed"] == 1
    assert not RiskRun.objects.filter(pk=run.pk).exists()
    assert not ControlList.objects.filter(pk=control_list.pk).exists()


def test_the_audit_trail_goes_after_its_period_and_only_through_the_purge(municipality: Municipality) -> None:
    today = timezone.localdate()
    for years in (3, 1):
        with mock.patch(
            "django.utils.timezone.now", return_value=aware(Period(years, PeriodUnit.YEARS).before(today))
        ):
            AuditEvent.objects.create(municipality=municipality, username="someone", action="view")
    # Even the raw SQL of the application cannot delete an event outside the purge.
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.all()._raw_delete(AuditEvent.objects.db)
    result = services.retention_purge(actor=system(municipality))
    assert result.counts[RecordType.AUDIT_TRAIL] == {"due": 1, "removed": 1}
    remaining = AuditEvent.objects.filter(username="someone")
    assert remaining.count() == 1
    assert remaining.get().occurred_at.year == today.year - 1


# --- the figures already reported ---------------------------------------------------------------------


def test_a_purge_never_changes_a_stored_yearly_figure(municipality: Municipality) -> None:
    year = timezone.localdate().year - 2
    for n in range(4):
        contact(municipality, dt.date(year, 3, 1 + n), key=f"visitor-{n}")
    code = "infopoint_unique_visitors"

    def stored() -> Any:
        indicator = Indicator.objects.get(municipality=municipality, code=code)
        return monitoring_selectors.value_of(indicator, KpiPeriod.year(year))

    # The figure was first computed while the year was still running, then reported after it ended.
    with mock.patch("django.utils.timezone.now", return_value=aware(dt.date(year, 6, 1))):
        monitoring_services.refresh_values(municipality=municipality, years=[year])
    contact(municipality, dt.date(year, 9, 1), key="visitor-late")
    result = services.retention_purge(actor=system(municipality))
    assert result.counts[RecordType.INFOPOINT_CONTACTS]["removed"] == 5
    assert not Contact.objects.exists()
    # Settled before the purge from the complete year, and kept by every later refresh.
    assert stored() == 5
    monitoring_services.refresh_values(municipality=municipality, years=[year])
    assert stored() == 5
    assert IndicatorValue.objects.filter(indicator__code=code, period_start=dt.date(year, 1, 1)).count() == 1


# --- the command --------------------------------------------------------------------------------------


def test_the_command_prints_json_per_record_type(municipality: Municipality) -> None:
    closed_case(municipality, dt.date(2015, 1, 1))
    out = StringIO()
    call_command("retention", "purge", "--dry-run", "--json", stdout=out)
    counts = json.loads(out.getvalue())
    assert set(counts) == set(RecordType.values)
    assert counts[RecordType.CASES] == {"due": 1, "removed": 0}
    assert Case.objects.count() == 1
    out = StringIO()
    call_command("retention", "purge", "--as-of", "2025-06-15", "--json", stdout=out)
    assert json.loads(out.getvalue())[RecordType.CASES] == {"due": 1, "removed": 1}
    assert not Case.objects.exists()
    assert PurgeRun.objects.get().as_of == dt.date(2025, 6, 15)


def test_the_command_prints_the_policy(municipality: Municipality) -> None:
    out = StringIO()
    call_command("retention", "policy", stdout=out)
    assert "cases_sanctioned" in out.getvalue()
    assert "10 years" in out.getvalue()
    out = StringIO()
    call_command("retention", "policy", "--json", stdout=out)
    assert json.loads(out.getvalue())["0599"]["audit_trail"]["amount"] == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--as-of", "2025-02-30"], "is not a date"),
        (["--as-of", "gisteren"], "is not a date"),
        (["--as-of", "2999-01-01"], "ahead of today"),
        (["--municipality", "9999"], "Unknown municipality"),
    ],
)
def test_the_command_refuses_bad_input_and_changes_nothing(
    municipality: Municipality, args: list[str], message: str
) -> None:
    closed_case(municipality, dt.date(2015, 1, 1))
    with pytest.raises(CommandError, match=message):
        call_command("retention", "purge", *args)
    assert Case.objects.count() == 1
    assert not PurgeRun.objects.exists()


# --- the pages ----------------------------------------------------------------------------------------


def test_the_privacy_officer_sees_policy_due_history_and_holds(
    casework: Casework, client_as: Callable[[str], Client], actor_for: Callable[[str], Actor]
) -> None:
    municipality = casework.case.municipality
    close_long_ago(casework, dt.date(2014, 5, 1))
    services.legal_hold_place(
        actor=actor_for(Role.ENFORCEMENT), case=casework.case, reason="Beroep loopt nog bij de Raad"
    )
    closed_case(municipality, dt.date(2015, 1, 1))
    services.retention_purge(actor=system(municipality))
    # Due in ten days: shown among what falls due in the coming month, so a hold can still be placed.
    five_years_ago = Period(5, PeriodUnit.YEARS).before(timezone.localdate())
    upcoming = closed_case(municipality, five_years_ago + dt.timedelta(days=10))
    page = client_as(Role.PRIVACY_OFFICER).get(reverse("retention:overview"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "10 years" in html
    assert "Selectielijst" in html
    assert casework.case.reference in html
    assert "Beroep loopt nog bij de Raad" in html
    assert upcoming.reference in html
    assert PurgeRun.objects.count() == 1
    assert reverse("retention:policy_edit", args=[RecordType.SIGNALS]) not in html


def test_the_administrator_changes_a_period_after_confirming(
    municipality: Municipality, client_as: Callable[[str], Client]
) -> None:
    url = reverse("retention:policy_edit", args=[RecordType.SIGNALS])
    client = client_as(Role.ADMIN)
    assert client.get(url).status_code == 200
    form = {"amount": "18", "unit": "months", "basis": "Eigen afweging", "version": "0"}
    unconfirmed = client.post(url, form)
    assert unconfirmed.status_code == 200
    assert not RetentionPolicy.objects.exists()
    assert client.post(url, form | {"confirm": "on"}).status_code == 302
    assert RetentionPolicy.objects.get().amount == 18
    too_short = client.post(url, form | {"amount": "2", "confirm": "on", "version": "1"})
    assert too_short.status_code == 200
    assert "at least 1 year" in too_short.content.decode()
    assert RetentionPolicy.objects.get().amount == 18


def test_a_hold_is_placed_and_lifted_from_the_case_page(
    casework: Casework, client_as: Callable[[str], Client]
) -> None:
    client = client_as(Role.ENFORCEMENT)
    detail = client.get(reverse("cases:case_detail", args=[casework.case.pk])).content.decode()
    assert reverse("retention:hold_place", args=[casework.case.pk]) in detail
    response = client.post(
        reverse("retention:hold_place", args=[casework.case.pk]), {"reason": "Beroep bij de rechtbank"}
    )
    assert response.status_code == 302
    hold = LegalHold.objects.get()
    detail = client.get(reverse("cases:case_detail", args=[casework.case.pk])).content.decode()
    assert "Beroep bij de rechtbank" in detail
    client.post(reverse("retention:hold_lift", args=[hold.pk]), {"lift_reason": "Zaak is afgedaan"})
    assert not LegalHold.objects.get().is_active
    assert client_as("outsider").post(
        reverse("retention:hold_place", args=[casework.case.pk]), {"reason": "Beroep bij de rechtbank"}
    ).status_code in (403, 404)


def test_the_nightly_run_also_removes_old_events_of_no_municipality(municipality: Municipality) -> None:
    """Failed logins of names that are no account belong to no municipality; they go after the
    default period of the trail, and their removal is itself an event."""
    today = timezone.localdate()
    for years in (3, 1):
        with mock.patch(
            "django.utils.timezone.now", return_value=aware(Period(years, PeriodUnit.YEARS).before(today))
        ):
            AuditEvent.objects.create(municipality=None, username="adm…", action=AuditAction.LOGIN_FAILED)
    out = StringIO()
    call_command("retention", "purge", "--dry-run", "--json", stdout=out)
    assert json.loads(out.getvalue())[RecordType.AUDIT_TRAIL]["due"] == 1
    assert AuditEvent.objects.filter(username="adm…").count() == 2
    # One municipality's run leaves them alone.
    call_command("retention", "purge", "--municipality", "0599", stdout=StringIO())
    assert AuditEvent.objects.filter(username="adm…").count() == 2
    call_command("retention", "purge", stdout=StringIO())
    assert AuditEvent.objects.filter(username="adm…").count() == 1
    event = AuditEvent.objects.get(municipality=None, username="system:retention-purge")
    assert event.detail["rows"] == 1
