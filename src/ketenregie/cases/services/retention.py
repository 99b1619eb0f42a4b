"""Removing the records of cases whose retention period has passed. The retention purge decides what is
due (through the selectors) and calls these inside its one transaction; it writes the audit event."""

from __future__ import annotations

from collections.abc import Sequence

from ketenregie.cases.models import (
    Case,
    CaseAttachment,
    FirstRegistrationForm,
    Handover,
    RecordKind,
    RecordVersion,
)
from ketenregie.core import retention
from ketenregie.core.models import Municipality


def retention_remove_cases(*, municipality: Municipality, ids: Sequence[int]) -> int:
    """Remove cases whole: findings, forms, measures, attachments, hand-overs, timeline and earlier
    versions go with them (cascade), and so do the stored files of attachments and dossiers."""
    removed = 0
    for batch in retention.batches(ids):
        cases = Case.objects.filter(municipality=municipality, pk__in=batch)
        retention.delete_files_on_commit(
            CaseAttachment.objects.filter(case__in=cases).values_list("file", flat=True)
        )
        retention.delete_files_on_commit(
            Handover.objects.filter(case__in=cases).values_list("dossier", flat=True)
        )
        removed += retention.delete_queryset(cases)
    return removed


def retention_remove_registration_forms(*, municipality: Municipality, ids: Sequence[int]) -> int:
    """Remove first-registration forms and their earlier versions, which hold the same names and
    birth dates; the finding keeps its count of unregistered persons."""
    removed = 0
    for batch in retention.batches(ids):
        forms = FirstRegistrationForm.objects.filter(municipality=municipality, pk__in=batch)
        form_ids = list(forms.values_list("pk", flat=True))
        RecordVersion.objects.filter(
            municipality=municipality, record_kind=RecordKind.REGISTRATION_FORM, record_id__in=form_ids
        ).delete()
        removed += retention.delete_queryset(forms)
    return removed


def retention_remove_dossiers(*, municipality: Municipality, ids: Sequence[int]) -> int:
    """Remove the dossier file of hand-overs. The hand-over itself stays with its case: to whom, on
    which legal basis, which data categories, and the SHA-256 of what was handed over."""
    removed = 0
    for batch in retention.batches(ids):
        handovers = Handover.objects.filter(municipality=municipality, pk__in=batch).exclude(dossier="")
        retention.delete_files_on_commit(handovers.values_list("dossier", flat=True))
        removed += handovers.update(dossier="")
    return removed
