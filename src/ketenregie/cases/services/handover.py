"""Handing a case over to another organisation (NLA, police): the dossier, the record and the audit event."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ketenregie.cases import timeline
from ketenregie.cases.dossier import build_dossier
from ketenregie.cases.models import (
    Case,
    CaseEventKind,
    CaseParticipant,
    Handover,
    Measure,
    MeasureKind,
)
from ketenregie.cases.services.lifecycle import find_agreement
from ketenregie.core import audit
from ketenregie.core.actor import Actor
from ketenregie.core.models import AuditAction, Organisation, OrganisationKind
from ketenregie.core.permissions import Capability
from ketenregie.core.services import ensure_same_municipality


@transaction.atomic
def handover_create(*, actor: Actor, case: Case, to_organisation: Organisation, note: str = "") -> Handover:
    """Hand the case over under the recipient's data-sharing agreement.

    The dossier (PDF and ZIP) holds only the agreement's data categories. The hand-over is a measure in
    the case, a line in the timeline, and an export event in the audit trail; the recipient joins the
    case as a participant so it can follow it up.
    """
    actor.require(Capability.HAND_OVER_CASES)
    ensure_same_municipality(actor, case, to_organisation)
    if to_organisation.kind == OrganisationKind.MUNICIPAL_DEPARTMENT:
        raise ValidationError(_("A hand-over goes to another organisation, not to a municipal department."))
    agreement = find_agreement(
        municipality_id=case.municipality_id, organisation=to_organisation, kind=case.kind
    )
    if agreement is None:
        raise ValidationError(
            _(
                "There is no data-sharing agreement with %(organisation)s that is valid today and covers "
                "this kind of case. Without one, nothing can be handed over."
            )
            % {"organisation": to_organisation.name},
            code="no_agreement",
        )
    dossier = build_dossier(
        case=case,
        categories=agreement.categories,
        recipient=to_organisation,
        agreement=agreement,
        prepared_by=(actor.user.get_full_name() or actor.username) if actor.user else actor.username,
        note=note,
    )
    measure = Measure.objects.create(
        municipality=actor.municipality,
        case=case,
        kind=MeasureKind.HANDOVER,
        handed_to=to_organisation,
        issued_on=timezone.localdate(),
        notes=note,
        recorded_by_organisation=actor.organisation,
    )
    handover = Handover(
        municipality=actor.municipality,
        case=case,
        to_organisation=to_organisation,
        agreement=agreement,
        measure=measure,
        handed_over_by=actor.user,
        legal_basis=agreement.legal_basis,
        purpose=agreement.purpose,
        data_categories=sorted(agreement.categories),
        note=note,
        dossier_sha256=dossier.sha256,
        attachment_count=dossier.attachment_count,
        finding_versions=dossier.finding_versions,
    )
    handover.dossier.save(f"{dossier.filename}.zip", ContentFile(dossier.zip), save=False)
    handover.save()
    if not case.participants.filter(organisation=to_organisation).exists():
        CaseParticipant.objects.create(
            municipality=actor.municipality, case=case, organisation=to_organisation, agreement=agreement
        )
    audit.record_change(
        actor, instance=handover, action=AuditAction.CREATE, changed_fields=["to_organisation"]
    )
    audit.record_export(
        actor,
        model=Case,
        count=1,
        file_format="zip",
        filters={"case": case.pk, "handover": handover.pk, "to": to_organisation.name},
        purpose=agreement.purpose[:120],
    )
    timeline.record(
        actor,
        case,
        kind=CaseEventKind.HANDOVER,
        summary=_("Dossier handed over to %(organisation)s under '%(agreement)s' (%(count)d attachments).")
        % {
            "organisation": to_organisation.name,
            "agreement": agreement.name,
            "count": dossier.attachment_count,
        },
    )
    return handover
