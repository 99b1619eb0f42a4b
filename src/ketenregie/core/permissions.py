"""What each role may do. One table, so the permission matrix tests can read it back."""

from __future__ import annotations

from enum import StrEnum

from ketenregie.core.models import Role


class Capability(StrEnum):
    VIEW_KEY_FIGURES = "view_key_figures"
    VIEW_REGISTERS = "view_registers"
    VIEW_PERSONAL_DATA = "view_personal_data"
    EDIT_PEOPLE = "edit_people"
    EDIT_EMPLOYERS = "edit_employers"
    RECORD_VIOLATIONS = "record_violations"
    MANAGE_COVENANT = "manage_covenant"
    EDIT_HOUSING = "edit_housing"
    IMPORT_REGISTERS = "import_registers"
    VIEW_AUDIT_TRAIL = "view_audit_trail"
    ADMINISTER = "administer"
    VIEW_MONITORING = "view_monitoring"
    EDIT_MONITORING = "edit_monitoring"
    # Information point and portal (issue 6).
    VIEW_INFOPOINT_LOG = "view_infopoint_log"
    EDIT_INFOPOINT_LOG = "edit_infopoint_log"
    MANAGE_INFO_PAGES = "manage_info_pages"
    HANDLE_SELF_SERVICE_REPORTS = "handle_self_service_reports"
    VIEW_OVERCROWDING_FLAGS = "view_overcrowding_flags"
    # Meldingen (signals) and enforcement casework.
    SUBMIT_SIGNALS = "submit_signals"
    VIEW_SIGNALS = "view_signals"
    HANDLE_SIGNALS = "handle_signals"
    VIEW_SIGNAL_REPORTERS = "view_signal_reporters"
    VIEW_CASES = "view_cases"
    VIEW_SHARED_CASES = "view_shared_cases"
    MANAGE_CASES = "manage_cases"
    RECORD_FINDINGS = "record_findings"
    HAND_OVER_CASES = "hand_over_cases"
    PROCESS_FIRST_REGISTRATIONS = "process_first_registrations"
    VIEW_AGREEMENTS = "view_agreements"
    # Risk-driven selection (issue 5).
    VIEW_RISK = "view_risk"
    VIEW_RISK_RUNS = "view_risk_runs"
    RUN_RISK = "run_risk"
    MANAGE_RISK_SETTINGS = "manage_risk_settings"
    # Deliveries to the register (issue 12): an employer's, agency's or housing provider's own lists.
    DELIVER_DATA = "deliver_data"
    # Retention (issue 14): the policy, its purge, and legal holds on cases.
    VIEW_RETENTION = "view_retention"
    MANAGE_RETENTION = "manage_retention"
    PLACE_LEGAL_HOLDS = "place_legal_holds"


C = Capability

# Registers hold addresses, employers and housing locations; personal data is people and residents.
# Partners see nothing of the registers. In casework they see only the cases their organisation takes
# part in (VIEW_SHARED_CASES), and within those only the data categories of their data-sharing agreement;
# the case selectors enforce both. VIEW_CASES is the case-owning department's view of every case.
# Risk selection: enforcement and the functional administrator see the ranked lists (VIEW_RISK) and
# start runs; the privacy officer sees the runs and the rules, never a list (VIEW_RISK_RUNS), to audit
# them; only the administrator changes the rules. Policy, council and partners see nothing of it.
# Retention: the functional administrator sets the periods (and so runs the purge); the privacy officer
# oversees them (policy, what falls due, what was removed, the holds). A legal hold is placed by the
# department that leads the case, or by the administrator when, say, the legal department asks for it.
ROLE_CAPABILITIES: dict[str, frozenset[Capability]] = {
    Role.POLICY: frozenset(
        {C.VIEW_KEY_FIGURES, C.VIEW_REGISTERS, C.MANAGE_COVENANT, C.VIEW_MONITORING, C.EDIT_MONITORING}
    ),
    Role.ENFORCEMENT: frozenset(
        {
            C.VIEW_KEY_FIGURES,
            C.VIEW_REGISTERS,
            C.VIEW_PERSONAL_DATA,
            C.EDIT_HOUSING,
            C.RECORD_VIOLATIONS,
            C.EDIT_EMPLOYERS,
            C.VIEW_MONITORING,
            C.VIEW_OVERCROWDING_FLAGS,
            C.SUBMIT_SIGNALS,
            C.VIEW_SIGNALS,
            C.HANDLE_SIGNALS,
            C.VIEW_SIGNAL_REPORTERS,
            C.VIEW_CASES,
            C.MANAGE_CASES,
            C.RECORD_FINDINGS,
            C.HAND_OVER_CASES,
            C.VIEW_AGREEMENTS,
            C.VIEW_RISK,
            C.VIEW_RISK_RUNS,
            C.RUN_RISK,
            C.PLACE_LEGAL_HOLDS,
        }
    ),
    Role.CIVIL_AFFAIRS: frozenset(
        {
            C.VIEW_KEY_FIGURES,
            C.VIEW_REGISTERS,
            C.VIEW_PERSONAL_DATA,
            C.EDIT_PEOPLE,
            C.IMPORT_REGISTERS,
            C.DELIVER_DATA,
            C.VIEW_MONITORING,
            C.HANDLE_SELF_SERVICE_REPORTS,
            C.SUBMIT_SIGNALS,
            C.VIEW_SHARED_CASES,
            C.RECORD_FINDINGS,
            C.PROCESS_FIRST_REGISTRATIONS,
        }
    ),
    # The contact log is pseudonymous: the information point sees no names, in the log or the registers.
    Role.INFOPOINT: frozenset(
        {
            C.VIEW_KEY_FIGURES,
            C.VIEW_REGISTERS,
            C.VIEW_INFOPOINT_LOG,
            C.EDIT_INFOPOINT_LOG,
            C.MANAGE_INFO_PAGES,
            C.VIEW_MONITORING,
            C.SUBMIT_SIGNALS,
        }
    ),
    # A partner account of an employer, agency or housing provider delivers its own lists of workers and
    # occupants; delivering writes to the register and reads nothing from it.
    Role.PARTNER: frozenset({C.SUBMIT_SIGNALS, C.VIEW_SHARED_CASES, C.RECORD_FINDINGS, C.DELIVER_DATA}),
    Role.PRIVACY_OFFICER: frozenset(
        {
            C.VIEW_KEY_FIGURES,
            C.VIEW_AUDIT_TRAIL,
            C.VIEW_MONITORING,
            C.VIEW_AGREEMENTS,
            C.VIEW_RISK_RUNS,
            C.VIEW_RETENTION,
        }
    ),
    Role.COUNCIL: frozenset({C.VIEW_KEY_FIGURES, C.VIEW_MONITORING}),
    Role.ADMIN: frozenset(
        {
            C.VIEW_KEY_FIGURES,
            C.VIEW_REGISTERS,
            C.ADMINISTER,
            C.IMPORT_REGISTERS,
            C.DELIVER_DATA,
            C.VIEW_MONITORING,
            C.VIEW_AGREEMENTS,
            C.VIEW_RISK,
            C.VIEW_RISK_RUNS,
            C.RUN_RISK,
            C.MANAGE_RISK_SETTINGS,
            C.VIEW_RETENTION,
            C.MANAGE_RETENTION,
            C.PLACE_LEGAL_HOLDS,
        }
    ),
}


def capabilities_for(roles: frozenset[str]) -> frozenset[Capability]:
    granted: set[Capability] = set()
    for role in roles:
        granted |= ROLE_CAPABILITIES.get(role, frozenset())
    return frozenset(granted)


def roles_with(capability: Capability) -> frozenset[str]:
    return frozenset(role for role, caps in ROLE_CAPABILITIES.items() if capability in caps)


# Capabilities that reach personal data, directly (the registers), through shared cases (findings about
# people), or through the administration (which can hand out the other two or reset a password).
REACHES_PERSONAL_DATA = frozenset({C.VIEW_PERSONAL_DATA, C.VIEW_SHARED_CASES, C.ADMINISTER})


def roles_reaching_personal_data() -> frozenset[str]:
    """The roles whose grants the privacy officer reviews."""
    return frozenset(role for role, caps in ROLE_CAPABILITIES.items() if caps & REACHES_PERSONAL_DATA)
