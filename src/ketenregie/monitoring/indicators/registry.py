"""The KPI catalogue in code: which figures are computed, by which named selector, and which are
entered by hand with their source organisation.

Every computed figure names the selector that computes it (``selector``), so a reader of the report
can trace a number to its definition, its query period and — with the right role — its records.
An app that is not installed (or a later capability) simply contributes no indicators.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ketenregie.cases import kpis as case_kpis
from ketenregie.core.actor import Actor
from ketenregie.core.kpi import KpiResult, Period
from ketenregie.core.permissions import Capability
from ketenregie.employers import kpis as employer_kpis
from ketenregie.housing import kpis as housing_kpis
from ketenregie.infopoint import kpis as infopoint_kpis
from ketenregie.people import kpis as people_kpis

Compute = Callable[..., KpiResult]
Records = Callable[..., QuerySet[Any]]


@dataclass(frozen=True)
class ComputedIndicator:
    code: str
    name: Any
    definition: Any
    compute: Compute
    unit: str = "count"
    direction: str = "neutral"
    records: Records | None = None
    records_capability: Capability = Capability.VIEW_REGISTERS
    records_are_personal: bool = False
    app: str = ""
    order: int = 100
    public: bool = True

    @property
    def selector(self) -> str:
        return f"{self.compute.__module__}.{self.compute.__qualname__}"

    def __call__(self, *, actor: Actor, period: Period) -> KpiResult:
        return self.compute(actor=actor, period=period)


@dataclass(frozen=True)
class ManualIndicator:
    code: str
    name: Any
    definition: Any
    source_organisation: str
    unit: str = "count"
    direction: str = "neutral"
    plausible_min: Decimal | None = Decimal(0)
    plausible_max: Decimal | None = None
    order: int = 100
    public: bool = True


COMPUTED: dict[str, ComputedIndicator] = {}
MANUAL: dict[str, ManualIndicator] = {}


def register(indicator: ComputedIndicator | ManualIndicator) -> None:
    registry: dict[str, Any] = COMPUTED if isinstance(indicator, ComputedIndicator) else MANUAL
    if indicator.code in COMPUTED or indicator.code in MANUAL:
        raise ValueError(f"indicator {indicator.code} is defined twice")
    registry[indicator.code] = indicator


def computed_for() -> dict[str, ComputedIndicator]:
    """The computed indicators whose app is installed."""
    return {code: ind for code, ind in COMPUTED.items() if not ind.app or apps.is_installed(ind.app)}


# --- From the registers (foundation) -------------------------------------------------------------

register(
    ComputedIndicator(
        code="labour_migrants_living",
        order=10,
        name=_("Labour migrants living in the municipality"),
        definition=_(
            "People with a labour-migration profile who have a living address in the municipality on the "
            "last day of the period (BRP and RNI registrations, and stay addresses reported to the "
            "municipality), each person counted once."
        ),
        compute=people_kpis.labour_migrants_living_here,
        unit="persons",
        records=people_kpis.labour_migrants_living_here_records,
        records_capability=Capability.VIEW_PERSONAL_DATA,
        records_are_personal=True,
    )
)
register(
    ComputedIndicator(
        code="labour_migrants_rni",
        order=11,
        name=_("Of whom registered as non-resident (RNI)"),
        definition=_(
            "Labour migrants living in the municipality on the last day of the period whose registration is "
            "in the RNI (non-residents) rather than in the BRP."
        ),
        compute=people_kpis.labour_migrants_non_resident,
        unit="persons",
    )
)
register(
    ComputedIndicator(
        code="addresses_over_norm",
        order=20,
        direction="lower",
        name=_("Addresses with more people living there than the floor-area norm allows"),
        definition=_(
            "Addresses whose floor area divided by the number of people living there on the last day of "
            "the period is below the municipality's norm (12 m² per person by default). A person counts "
            "at one address: a reported stay address before the BRP address, a rejected one never."
        ),
        compute=people_kpis.addresses_over_norm,
        unit="addresses",
    )
)
register(
    ComputedIndicator(
        code="housing_locations_without_quality_mark",
        order=30,
        direction="lower",
        name=_("Housing locations without a valid quality mark"),
        definition=_(
            "Registered housing locations for labour migrants without a valid SNF or AKF quality mark on "
            "the last day of the period."
        ),
        compute=housing_kpis.locations_without_quality_mark,
        unit="count",
        records=housing_kpis.locations_without_quality_mark_records,
    )
)
register(
    ComputedIndicator(
        code="employer_violations_proven",
        order=40,
        name=_("Proven violations by employers"),
        definition=_(
            "Violations by employers and temp agencies established as proven, dated in the period (by the "
            "Labour Authority, the tax office, SNCU or the municipality)."
        ),
        compute=employer_kpis.proven_violations,
        records=employer_kpis.proven_violations_records,
    )
)
register(
    ComputedIndicator(
        code="covenant_members",
        order=41,
        direction="higher",
        name=_("Members of the good-employership covenant"),
        definition=_(
            "Employers and temp agencies that are a member of the covenant on the last day of the period."
        ),
        compute=employer_kpis.covenant_members,
    )
)

# --- From the information points ------------------------------------------------------------------

INFOPOINT = "ketenregie.infopoint"
register(
    ComputedIndicator(
        code="infopoint_unique_visitors",
        order=50,
        direction="higher",
        app=INFOPOINT,
        name=_("Unique visitors of the information points"),
        definition=_(
            "Different people who contacted an information point in the period (desk, phone, WhatsApp, "
            "e-mail), counted by a pseudonymous visitor key, without storing who they are."
        ),
        compute=infopoint_kpis.unique_visitors,
        unit="persons",
    )
)
register(
    ComputedIndicator(
        code="infopoint_digid_helped",
        order=51,
        direction="higher",
        app=INFOPOINT,
        name=_("People helped to an active DigiD"),
        definition=_(
            "Unique visitors whose DigiD was activated with the help of an information point in the period."
        ),
        compute=infopoint_kpis.digid_helped,
        unit="persons",
    )
)
register(
    ComputedIndicator(
        code="infopoint_information_meetings",
        order=52,
        direction="higher",
        app=INFOPOINT,
        name=_("Information meetings held"),
        definition=_(
            "Information meetings on rights, duties, registration, housing and work held in the period."
        ),
        compute=infopoint_kpis.information_meetings,
    )
)
register(
    ComputedIndicator(
        code="infopoint_group_registrations",
        order=53,
        direction="higher",
        app=INFOPOINT,
        name=_("Group registration moments"),
        definition=_(
            "Moments at which employers registered groups of labour migrants in the BRP, held in the period."
        ),
        compute=infopoint_kpis.group_registration_moments,
    )
)
register(
    ComputedIndicator(
        code="infopoint_course_formal",
        order=54,
        direction="higher",
        app=INFOPOINT,
        name=_("Participants in formal courses"),
        definition=_("Participants of formal courses (language, civic integration) held in the period."),
        compute=infopoint_kpis.course_participants_formal,
        unit="persons",
    )
)
register(
    ComputedIndicator(
        code="infopoint_course_non_formal",
        order=55,
        direction="higher",
        app=INFOPOINT,
        name=_("Participants in non-formal courses"),
        definition=_("Participants of non-formal courses and activities held in the period."),
        compute=infopoint_kpis.course_participants_non_formal,
        unit="persons",
    )
)
register(
    ComputedIndicator(
        code="infopoint_key_figures",
        order=56,
        direction="higher",
        app=INFOPOINT,
        name=_("Key figures in the network"),
        definition=_(
            "The size of the key-figure network: the largest attendance of its meetings in the period."
        ),
        compute=infopoint_kpis.key_figures,
        unit="persons",
    )
)

# --- From casework (meldingen and inspections) ----------------------------------------------------

CASES = "ketenregie.cases"
register(
    ComputedIndicator(
        code="signals_overcrowding",
        order=60,
        direction="neutral",
        app=CASES,
        name=_("Meldingen of possible overcrowding"),
        definition=_(
            "Meldingen about possible overcrowding (category overcrowding or one of its sub-categories) "
            "received in the period, from residents, partners, staff and the portal."
        ),
        compute=case_kpis.overcrowding_signals,
        unit="count",
    )
)
register(
    ComputedIndicator(
        code="signals_overcrowding_confirmed",
        order=61,
        direction="neutral",
        app=CASES,
        name=_("Of which confirmed"),
        definition=_(
            "Meldingen of possible overcrowding received in the period that were closed as confirmed: a "
            "violation was established."
        ),
        compute=case_kpis.overcrowding_confirmed,
        unit="count",
        public=False,
    )
)
register(
    ComputedIndicator(
        code="integral_controls",
        order=62,
        direction="higher",
        app=CASES,
        name=_("Integral controls held"),
        definition=_(
            "Integral controls with the chain partners in which at least one address was visited in the "
            "period."
        ),
        compute=case_kpis.integral_controls,
        unit="count",
        public=False,
    )
)
register(
    ComputedIndicator(
        code="integral_control_visits",
        order=63,
        direction="higher",
        app=CASES,
        name=_("House visits in integral controls"),
        definition=_(
            "Addresses visited and entered during integral controls in the period (visits without access are"
            " not counted)."
        ),
        compute=case_kpis.integral_control_visits,
        unit="count",
    )
)
register(
    ComputedIndicator(
        code="integral_control_homes_with_violation",
        order=64,
        direction="neutral",
        app=CASES,
        name=_("Homes with violations found in integral controls"),
        definition=_(
            "Different addresses where a visit in an integral control in the period established a violation."
        ),
        compute=case_kpis.integral_control_homes_with_violation,
        unit="addresses",
    )
)
register(
    ComputedIndicator(
        code="site_controls",
        order=65,
        direction="higher",
        app=CASES,
        name=_("Construction-site and workplace controls"),
        definition=_("Controls of construction sites and workplaces held in the period."),
        compute=case_kpis.site_controls,
        unit="count",
        public=False,
    )
)
register(
    ComputedIndicator(
        code="site_controls_with_violation",
        order=66,
        direction="neutral",
        app=CASES,
        name=_("Of which with a violation"),
        definition=_(
            "Construction-site and workplace controls in the period in which a violation was established."
        ),
        compute=case_kpis.site_controls_with_violation,
        unit="count",
        public=False,
    )
)
register(
    ComputedIndicator(
        code="vacancy_checked",
        order=67,
        direction="neutral",
        app=CASES,
        name=_("Homes checked for vacancy"),
        definition=_("Homes checked in the period because no one is registered there."),
        compute=case_kpis.vacancy_checked,
        unit="addresses",
        public=False,
    )
)
register(
    ComputedIndicator(
        code="vacancy_inhabited",
        order=68,
        direction="neutral",
        app=CASES,
        name=_("Of which lived in"),
        definition=_("Homes checked for vacancy in the period that turned out to be lived in."),
        compute=case_kpis.vacancy_inhabited,
        unit="addresses",
        public=False,
    )
)
register(
    ComputedIndicator(
        code="first_registration_forms",
        order=69,
        direction="higher",
        app=CASES,
        name=_("First-registration forms drawn up"),
        definition=_(
            "Forms for a first registration in the BRP drawn up during visits in the period for people found"
            " living unregistered."
        ),
        compute=case_kpis.first_registration_forms,
        unit="count",
        public=False,
    )
)
register(
    ComputedIndicator(
        code="dossiers_to_nla",
        order=70,
        direction="neutral",
        app=CASES,
        name=_("Dossiers handed to the Labour Authority"),
        definition=_("Case dossiers handed over to the Netherlands Labour Authority (NLA) in the period."),
        compute=case_kpis.dossiers_to_nla,
        unit="count",
    )
)

# --- Entered by hand: figures this system does not hold ------------------------------------------

register(
    ManualIndicator(
        code="nla_fines",
        order=60,
        source_organisation="Nederlandse Arbeidsinspectie",
        name=_("Fines imposed by the Labour Authority"),
        definition=_(
            "Fines the Netherlands Labour Authority (NLA) imposed in the municipality in the period, as "
            "reported by the NLA."
        ),
        plausible_max=Decimal(5000),
    )
)
register(
    ManualIndicator(
        code="homeless_to_work",
        order=80,
        direction="higher",
        source_organisation="Welzijnspartij / Maatschappelijke opvang",
        name=_("Homeless EU citizens helped to work"),
        definition=_("Homeless EU citizens who were helped to a job in the period."),
        plausible_max=Decimal(10000),
    )
)
register(
    ManualIndicator(
        code="homeless_returned_home",
        order=81,
        direction="higher",
        source_organisation="Welzijnspartij / Maatschappelijke opvang",
        name=_("Homeless EU citizens helped to return home"),
        definition=_(
            "Homeless EU citizens who were helped to return to their country of origin in the period."
        ),
        plausible_max=Decimal(10000),
    )
)
register(
    ManualIndicator(
        code="shelter_intake",
        order=82,
        source_organisation="Maatschappelijke opvang",
        name=_("People taken in by the shelter for homeless EU labour migrants"),
        definition=_(
            "People who stayed at least one night in the shelter for homeless EU labour migrants in the "
            "period."
        ),
        plausible_max=Decimal(10000),
    )
)
register(
    ManualIndicator(
        code="job_fair_informed",
        order=83,
        direction="higher",
        source_organisation="EURES",
        name=_("Migrants informed at a job fair"),
        definition=_(
            "EU labour migrants given information on vacancies and on living and working in the "
            "Netherlands at an EURES job fair in the period."
        ),
        plausible_max=Decimal(100000),
    )
)
