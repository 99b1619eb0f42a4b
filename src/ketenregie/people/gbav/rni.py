"""The municipality's rule for non-residents: a person registered in the RNI (08.09.10 = 1999) who
has a current stay address in a municipality whose rule is on (``Norms.rni_stay_makes_labour_migrant``)
is a labour migrant there.

A stay address is a living address that the register knows from someone other than the BRP/RNI: an
employer's, agency's or housing provider's delivery, the information point, the person's own report
or an inspection. The BRP record of the non-resident names an address abroad, so the stay address can
only come from the register; the person is found there by BSN. All in bulk: one query per few
thousand BSNs, whatever the size of the extract.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.utils.translation import gettext as _

from ketenregie.core.actor import Actor
from ketenregie.core.models import Municipality, Norms
from ketenregie.core.municipality_codes import RNI_CODE
from ketenregie.people.brp_tables import iso_country
from ketenregie.people.gbav.records import PersonRecord
from ketenregie.people.gbav.report import GbavReport
from ketenregie.people.models import STAY_SOURCES, AddressFunction, Residence
from ketenregie.people.services import RniStay, labour_migrants_mark_rni

BSN_CHUNK = 5000


@dataclass(frozen=True, slots=True)
class RniFacts:
    nationality_code: str
    rni: list[dict[str, str]]


def rni_facts(record: PersonRecord) -> tuple[str, RniFacts] | None:
    """(BSN, facts) of a record registered in the RNI; None for anyone else or without a BSN."""
    values = record.values
    if record.municipality_code != RNI_CODE or not values["bsn"]:
        return None
    return values["bsn"], RniFacts(nationality_code=values["brp_nationality_code"], rni=values["rni"])


def mark_rni_stays(found: dict[str, RniFacts], report: GbavReport, *, municipality_code: str | None) -> None:
    """Apply each municipality's rule to the non-residents of the extract (inside its transaction)."""
    if not found:
        return
    norms = Norms.objects.filter(rni_stay_makes_labour_migrant=True).exclude(municipality__code=RNI_CODE)
    if municipality_code:
        norms = norms.filter(municipality__code=municipality_code)
    municipality_ids = list(norms.values_list("municipality_id", flat=True))
    if not municipality_ids:
        return
    stays: dict[int, dict[int, RniStay]] = defaultdict(dict)
    no_country = 0
    bsns = list(found)
    for start in range(0, len(bsns), BSN_CHUNK):
        rows = (
            Residence.objects.filter(
                municipality_id__in=municipality_ids,
                person__bsn__in=bsns[start : start + BSN_CHUNK],
                source__in=STAY_SOURCES,
                address_function=AddressFunction.LIVING,
                address__isnull=False,
                ends_on__isnull=True,
            )
            .values_list("municipality_id", "person_id", "person__bsn")
            .distinct()
        )
        for municipality_id, person_id, bsn in rows:
            facts = found[bsn]
            country = iso_country(facts.nationality_code)
            no_country += not country
            stays[municipality_id][person_id] = RniStay(
                municipality_id=municipality_id, person_id=person_id, country_of_origin=country, rni=facts.rni
            )
    municipalities = Municipality.objects.in_bulk(list(stays))
    created = updated = 0
    for municipality_id, by_person in stays.items():
        actor = Actor.system(municipalities[municipality_id], name="import-brp")
        made, changed = labour_migrants_mark_rni(actor=actor, stays=list(by_person.values()))
        created += made
        updated += changed
    report.rni_labour_migrants_created += created
    if created or updated:
        report.notes.append(
            _(
                "%(created)d non-residents (RNI) with a stay address became labour migrants; "
                "%(updated)d people took over their RNI data."
            )
            % {"created": created, "updated": updated}
        )
    if no_country:
        report.notes.append(
            _(
                "%(count)d non-residents with a stay address have a nationality that names no one country "
                "(unknown, stateless or a former state): they got no labour-migrant profile."
            )
            % {"count": no_country}
        )
