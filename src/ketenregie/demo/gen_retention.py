"""Step 11 of the generator: the retention policy, two legal holds and a dry run in the purge history.

The default periods are stored for the municipality; one closed case with a sanction and one case still
open are put under a legal hold with a reason; a dry run as of the reference date shows the privacy
officer what falls due, without removing anything of the demo.
"""

from __future__ import annotations

from django.utils import translation

from ketenregie.cases.models import Case, CaseStatus, Measure
from ketenregie.core.actor import Actor
from ketenregie.core.models import Role
from ketenregie.demo.context import GenerationContext
from ketenregie.retention import services

HOLD_REASONS = (
    "Beroep tegen de last onder dwangsom loopt bij de rechtbank; het dossier moet compleet blijven tot de "
    "uitspraak onherroepelijk is.",
    "Verzoek van de politie: de zaak hoort bij een lopend strafrechtelijk onderzoek naar arbeidsuitbuiting.",
)


def build_retention(ctx: GenerationContext) -> None:
    with translation.override("nl"):
        _build_retention(ctx)


def _build_retention(ctx: GenerationContext) -> None:
    actor = Actor.system(ctx.municipality, name="demo", roles=frozenset({Role.ADMIN}))
    services.policy_ensure_defaults(actor=actor)
    cases = Case.objects.filter(municipality=ctx.municipality)
    sanctioned = (
        cases.filter(
            status=CaseStatus.CLOSED, pk__in=Measure.objects.filter(kind="penalty_order").values("case_id")
        )
        .order_by("closed_on", "pk")
        .first()
    )
    still_open = cases.exclude(status=CaseStatus.CLOSED).order_by("opened_on", "pk").first()
    holds = 0
    for case, reason in zip((sanctioned, still_open), HOLD_REASONS, strict=True):
        if case is not None:
            services.legal_hold_place(actor=actor, case=case, reason=reason)
            holds += 1
    services.retention_purge(actor=actor, as_of=ctx.reference_date, dry_run=True, record_dry_run=True)
    ctx.counts["legal holds"] = holds
