from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from ketenregie.core.actor import Actor
from ketenregie.employers import services
from ketenregie.employers.models import (
    CovenantMembership,
    Employer,
    EscalationOutcome,
    EscalationStepKind,
    MembershipStatus,
    ViolationStatus,
)
from tests import factories as f
from tests.conftest import World


def test_an_employer_with_a_proven_violation_cannot_join_the_covenant(
    world: World, actor_for: Callable[[str], Actor]
) -> None:
    employer = f.EmployerFactory(municipality=world.employer.municipality)
    f.ViolationFactory(municipality=employer.municipality, employer=employer, status=ViolationStatus.PROVEN)
    with pytest.raises(ValidationError) as error:
        services.covenant_join(
            actor=actor_for("policy"),
            covenant=world.covenant,
            employer=employer,
            joined_on=dt.date(2025, 1, 1),
        )
    assert error.value.code == "proven_violation"
    assert not CovenantMembership.objects.filter(employer=employer).exists()


def test_an_alleged_violation_does_not_block_joining(world: World, actor_for: Callable[[str], Actor]) -> None:
    employer = f.EmployerFactory(municipality=world.employer.municipality)
    f.ViolationFactory(municipality=employer.municipality, employer=employer, status=ViolationStatus.ALLEGED)
    membership = services.covenant_join(
        actor=actor_for("policy"), covenant=world.covenant, employer=employer, joined_on=dt.date(2025, 1, 1)
    )
    assert membership.status == MembershipStatus.MEMBER


def prove_housing_violation(actor: Actor, membership: CovenantMembership) -> None:
    services.violation_record(
        actor=actor,
        employer=membership.employer,
        kind="housing",
        status=ViolationStatus.PROVEN,
        source="Gemeente",
        occurred_on=dt.date(2025, 5, 1),
        escalation_starts_on=dt.date(2025, 5, 2),
    )


def test_a_proven_violation_of_a_member_opens_the_ladder_with_a_talk(
    actor_for: Callable[[str], Actor], municipality: object
) -> None:
    membership = f.CovenantMembershipFactory(municipality=municipality)
    services.violation_record(
        actor=actor_for("enforcement"),
        employer=membership.employer,
        kind="underpayment",
        status=ViolationStatus.PROVEN,
        source="NLA",
        occurred_on=dt.date(2025, 5, 1),
    )
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.IN_ESCALATION
    [step] = membership.escalation_steps.all()
    assert step.kind == EscalationStepKind.TALK
    assert step.outcome == EscalationOutcome.PENDING


def test_the_ladder_goes_talk_arbitration_termination(
    actor_for: Callable[[str], Actor], municipality: object
) -> None:
    membership = f.CovenantMembershipFactory(municipality=municipality)
    prove_housing_violation(actor_for("enforcement"), membership)
    policy = actor_for("policy")
    talk = membership.escalation_steps.get()
    arbitration = services.escalation_conclude(
        actor=policy, step=talk, outcome=EscalationOutcome.ESCALATED, concluded_on=dt.date(2025, 6, 1)
    )
    assert arbitration is not None
    assert arbitration.kind == EscalationStepKind.ARBITRATION
    termination = services.escalation_conclude(
        actor=policy, step=arbitration, outcome=EscalationOutcome.ESCALATED, concluded_on=dt.date(2025, 7, 1)
    )
    assert termination is not None
    assert termination.kind == EscalationStepKind.TERMINATION
    with pytest.raises(ValidationError):
        services.escalation_conclude(
            actor=policy,
            step=termination,
            outcome=EscalationOutcome.ESCALATED,
            concluded_on=dt.date(2025, 8, 1),
        )
    services.escalation_conclude(
        actor=policy, step=termination, outcome=EscalationOutcome.TERMINATED, concluded_on=dt.date(2025, 8, 1)
    )
    membership.refresh_from_db()
    assert (membership.status, membership.ended_on) == (MembershipStatus.TERMINATED, dt.date(2025, 8, 1))


def test_a_resolved_talk_restores_the_membership(
    actor_for: Callable[[str], Actor], municipality: object
) -> None:
    membership = f.CovenantMembershipFactory(municipality=municipality)
    prove_housing_violation(actor_for("enforcement"), membership)
    services.escalation_conclude(
        actor=actor_for("policy"),
        step=membership.escalation_steps.get(),
        outcome=EscalationOutcome.RESOLVED,
        concluded_on=dt.date(2025, 6, 1),
    )
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.MEMBER


def test_a_step_cannot_be_concluded_before_it_started_or_twice(
    world: World, actor_for: Callable[[str], Actor]
) -> None:
    policy = actor_for("policy")
    with pytest.raises(ValidationError):
        services.escalation_conclude(
            actor=policy,
            step=world.step,
            outcome=EscalationOutcome.RESOLVED,
            concluded_on=world.step.started_on - dt.timedelta(days=1),
        )
    services.escalation_conclude(
        actor=policy, step=world.step, outcome=EscalationOutcome.RESOLVED, concluded_on=world.step.started_on
    )
    with pytest.raises(ValidationError):
        services.escalation_conclude(
            actor=policy,
            step=world.step,
            outcome=EscalationOutcome.RESOLVED,
            concluded_on=world.step.started_on,
        )


def test_a_duplicate_kvk_number_is_refused_with_a_clear_message(
    world: World, client_as: Callable[[str], Client]
) -> None:
    response = client_as("enforcement").post(
        reverse("employers:employer_create"),
        {
            "kvk_number": world.employer.kvk_number,
            "name": "Dubbel B.V.",
            "kind": "hirer",
            "sector": "other",
            "wtta_status": "not_applicable",
        },
    )
    assert response.status_code == 200
    assert "already registered" in str(response.context["form"].non_field_errors())
    assert Employer.objects.filter(kvk_number=world.employer.kvk_number).count() == 1


def test_a_short_kvk_number_gets_a_field_error(world: World, client_as: Callable[[str], Client]) -> None:
    response = client_as("enforcement").post(
        reverse("employers:employer_create"),
        {
            "kvk_number": "1234",
            "name": "Kort B.V.",
            "kind": "hirer",
            "sector": "other",
            "wtta_status": "not_applicable",
        },
    )
    assert "8 digits" in " ".join(response.context["form"].errors["kvk_number"])
    assert not Employer.objects.filter(name="Kort B.V.").exists()


def test_the_join_form_reports_the_covenant_rule(world: World, client_as: Callable[[str], Client]) -> None:
    employer = f.EmployerFactory(municipality=world.employer.municipality, name="Malafide Flex B.V.")
    f.ViolationFactory(municipality=employer.municipality, employer=employer)
    response = client_as("policy").post(
        reverse("employers:covenant_detail", args=[world.covenant.pk]),
        {"employer": employer.pk, "joined_on": "2025-09-01"},
    )
    assert "proven violation" in " ".join(response.context["form"].errors["employer"])
