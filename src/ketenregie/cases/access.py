"""Who sees which case, and what of it.

- The case-owning department (capability VIEW_CASES) sees every case of its municipality, all of it.
- Anyone else with VIEW_SHARED_CASES sees only the cases its organisation takes part in. A municipal
  department taking part sees the whole case except who reported it; a partner agency sees the case
  itself (kind, status, dates, addresses, planning) plus exactly the data categories of its
  data-sharing agreement, and only while that agreement is valid. A case it does not take part in
  does not exist for it (404).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from ketenregie.cases.models import ALL_CATEGORIES, Case, CaseParticipant, DataCategory, DataSharingAgreement
from ketenregie.core.actor import Actor
from ketenregie.core.models import OrganisationKind
from ketenregie.core.permissions import Capability


def _valid_participation(actor: Actor, on: dt.date) -> Q:
    """Participant rows through which ``actor``'s organisation may see a case on ``on``."""
    municipal = Q(organisation__kind=OrganisationKind.MUNICIPAL_DEPARTMENT)
    agreed = Q(agreement__isnull=False, agreement__valid_from__lte=on) & (
        Q(agreement__valid_until__isnull=True) | Q(agreement__valid_until__gte=on)
    )
    return Q(organisation_id=actor.organisation.pk if actor.organisation else 0) & (municipal | agreed)


def can_see_cases(actor: Actor) -> bool:
    return actor.can(Capability.VIEW_CASES) or actor.can(Capability.VIEW_SHARED_CASES)


def require_case_access(actor: Actor) -> None:
    if not actor.can(Capability.VIEW_CASES):
        actor.require(Capability.VIEW_SHARED_CASES)


def visible_cases(actor: Actor, *, on: dt.date | None = None) -> QuerySet[Case]:
    """Every case the actor may open, filtered in the database so no list can leak another one."""
    require_case_access(actor)
    cases = Case.objects.filter(municipality=actor.municipality)
    if actor.can(Capability.VIEW_CASES):
        return cases
    organisation = actor.organisation
    if organisation is None:
        return cases.none()
    participations = CaseParticipant.objects.filter(organisation=organisation)
    if organisation.kind != OrganisationKind.MUNICIPAL_DEPARTMENT:
        # The (few) agreements valid today, as ids: the participant index then answers on its own.
        day = on or timezone.localdate()
        valid = DataSharingAgreement.objects.filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=day),
            municipality=actor.municipality,
            parties=organisation,
            valid_from__lte=day,
        ).values_list("pk", flat=True)
        participations = participations.filter(agreement_id__in=list(valid))
    return cases.filter(pk__in=participations.values("case_id"))


@dataclass(frozen=True)
class CaseAccess:
    case: Case
    categories: frozenset[str]
    manages: bool
    participant: CaseParticipant | None

    def sees(self, category: str) -> bool:
        return category in self.categories

    @property
    def sees_signals(self) -> bool:
        return self.sees("signals")

    @property
    def sees_reporter(self) -> bool:
        return self.sees("reporter")

    @property
    def sees_findings(self) -> bool:
        return self.sees("findings")

    @property
    def sees_persons(self) -> bool:
        return self.sees("persons")

    @property
    def sees_measures(self) -> bool:
        return self.sees("measures")

    @property
    def sees_attachments(self) -> bool:
        return self.sees("attachments")

    @property
    def hidden_categories(self) -> list[str]:
        return sorted(ALL_CATEGORIES - self.categories)


def case_access(actor: Actor, case: Case, *, on: dt.date | None = None) -> CaseAccess:
    """What ``actor`` may see of ``case``; Http404 when the case is not theirs to see at all."""
    require_case_access(actor)
    if case.municipality_id != actor.municipality.pk:
        raise Http404("case not found")
    manages = actor.can(Capability.VIEW_CASES)
    if manages:
        return CaseAccess(case=case, categories=ALL_CATEGORIES, manages=True, participant=None)
    if actor.organisation is None:
        raise Http404("case not found")
    participant = (
        CaseParticipant.objects.filter(_valid_participation(actor, on or timezone.localdate()), case=case)
        .select_related("agreement", "organisation")
        .first()
    )
    if participant is None:
        raise Http404("case not found")
    if participant.organisation.kind == OrganisationKind.MUNICIPAL_DEPARTMENT:
        # Another municipal department works on the case itself; who reported it is not its business.
        categories = ALL_CATEGORIES - {DataCategory.REPORTER}
    else:
        assert participant.agreement is not None
        categories = participant.agreement.categories
    return CaseAccess(case=case, categories=categories, manages=False, participant=participant)
