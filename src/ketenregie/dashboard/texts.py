"""How the public dashboard names and explains each figure: plain language (B1), in every public
language. Figures without a public text here are shown with the catalogue's own name."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

PUBLIC_TEXTS: dict[str, tuple[Any, Any]] = {
    "labour_migrants_living": (
        _("Labour migrants who live here"),
        _("People who came to work here and who live in the municipality at the end of the year."),
    ),
    "labour_migrants_rni": (
        _("Of whom registered for a short stay (RNI)"),
        _("Labour migrants who are registered as staying less than four months."),
    ),
    "addresses_over_norm": (
        _("Homes with too many people registered"),
        _("Homes where more people are registered than the rules allow: at least 12 m² per person."),
    ),
    "housing_locations_without_quality_mark": (
        _("Housing for workers without a quality mark"),
        _("Places where employers house workers that have no valid quality mark (SNF or AKF)."),
    ),
    "employer_violations_proven": (
        _("Proven violations by employers"),
        _(
            "Cases where an inspection proved that an employer broke the rules, "
            "on pay or housing for example."
        ),
    ),
    "covenant_members": (
        _("Employers in the good-employer coalition"),
        _("Employers and employment agencies that signed the municipality's agreement on good employership."),
    ),
    "infopoint_unique_visitors": (
        _("Visitors of the information points"),
        _("Different people who asked the information points for help or information."),
    ),
    "infopoint_digid_helped": (
        _("People helped to get DigiD"),
        _("People who got an active DigiD with help from an information point."),
    ),
    "infopoint_information_meetings": (
        _("Information meetings"),
        _("Meetings about rights, duties, registration, housing and work."),
    ),
    "infopoint_group_registrations": (
        _("Group registrations"),
        _("Moments when employers registered groups of workers in the population register."),
    ),
    "infopoint_course_formal": (
        _("People in formal courses"),
        _("People who took part in a formal course, such as a language course."),
    ),
    "infopoint_course_non_formal": (
        _("People in other courses"),
        _("People who took part in other courses and activities."),
    ),
    "infopoint_key_figures": (
        _("Key figures"),
        _("Trusted people from the community who pass on information."),
    ),
    "signals_overcrowding": (
        _("Reports of too many people in one home"),
        _("Reports the municipality received about homes where possibly too many people live."),
    ),
    "integral_control_visits": (
        _("Homes visited in joint inspections"),
        _("Homes that the municipality and its partners visited together during joint inspections."),
    ),
    "integral_control_homes_with_violation": (
        _("Homes where rules were broken"),
        _("Homes visited in joint inspections where the inspectors found that rules were broken."),
    ),
    "dossiers_to_nla": (
        _("Cases passed to the Labour Authority"),
        _("Cases the municipality passed to the Netherlands Labour Authority for further investigation."),
    ),
    "nla_fines": (
        _("Fines by the Labour Authority"),
        _("Fines the Netherlands Labour Authority gave to employers in the municipality."),
    ),
    "homeless_to_work": (
        _("Homeless EU citizens helped to a job"),
        _("People from the EU without a home who found work with help."),
    ),
    "homeless_returned_home": (
        _("Homeless EU citizens helped to go home"),
        _("People from the EU without a home who were helped to return to their own country."),
    ),
    "shelter_intake": (
        _("People in the night shelter"),
        _("People who stayed in the shelter for homeless EU labour migrants."),
    ),
    "job_fair_informed": (
        _("People informed at a job fair"),
        _("Labour migrants who got information about jobs and life in the Netherlands at a job fair."),
    ),
}


def public_name(code: str, fallback: str) -> Any:
    return PUBLIC_TEXTS[code][0] if code in PUBLIC_TEXTS else fallback


def public_explanation(code: str, fallback: str) -> Any:
    return PUBLIC_TEXTS[code][1] if code in PUBLIC_TEXTS else fallback
