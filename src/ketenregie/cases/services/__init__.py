"""Writes to cases. Every service checks the capability and the case access, writes the audit trail
(field names only) and adds a line to the case's timeline."""

from ketenregie.cases.services.findings import (
    attachment_add,
    finding_record,
    finding_update,
    measure_set_status,
    measure_take,
    registration_form_add,
    registration_form_process,
    registration_form_set_status,
)
from ketenregie.cases.services.handover import handover_create
from ketenregie.cases.services.lifecycle import (
    case_address_add,
    case_address_move,
    case_address_remove,
    case_address_update,
    case_close,
    case_link_signal,
    case_note_add,
    case_open,
    case_reopen,
    case_update,
    find_agreement,
    participant_add,
    participant_remove,
    team_set,
)
from ketenregie.cases.services.retention import (
    retention_remove_cases,
    retention_remove_dossiers,
    retention_remove_registration_forms,
)

__all__ = [
    "attachment_add",
    "case_address_add",
    "case_address_move",
    "case_address_remove",
    "case_address_update",
    "case_close",
    "case_link_signal",
    "case_note_add",
    "case_open",
    "case_reopen",
    "case_update",
    "find_agreement",
    "finding_record",
    "finding_update",
    "handover_create",
    "measure_set_status",
    "measure_take",
    "participant_add",
    "participant_remove",
    "registration_form_add",
    "registration_form_process",
    "registration_form_set_status",
    "retention_remove_cases",
    "retention_remove_dossiers",
    "retention_remove_registration_forms",
    "team_set",
]
