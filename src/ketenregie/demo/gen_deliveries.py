"""Demo deliveries: temp agencies and a housing provider deliver their lists of labour migrants
through the same importer as `import-csv --kind labour-migrants`, so the deliveries list, the stay
addresses on person pages and the review queue (a few rows that may be a known person) have data."""

from __future__ import annotations

import csv
import io
from typing import Any

from ketenregie.core.actor import Actor
from ketenregie.core.imports import run_import
from ketenregie.deliveries.imports import COLUMNS, LabourMigrantImporter
from ketenregie.deliveries.models import DeliveryChannel, DeliveryKind, DeliveryObligation, DeliverySource
from ketenregie.deliveries.services import delivery_context_for
from ketenregie.demo.context import GenerationContext
from ketenregie.employers.models import Employer, EmployerKind
from ketenregie.people.models import Person
from ketenregie.places.models import Address

NEW_GIVEN = ["Andrei", "Mihai", "Ewa", "Tomasz", "Ivana", "Darius", "Zsófia", "Nikolai"]
NEW_SURNAMES = ["Popa", "Zielińska", "Dimitrov", "Balogh", "Petrauskas", "Wróbel", "Stoica", "Kovač"]


def _csv(rows: list[dict[str, Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, delimiter=";", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def build_deliveries(ctx: GenerationContext) -> None:
    municipality = ctx.municipality
    rng = ctx.rng
    agencies = list(
        Employer.objects.filter(municipality=municipality, kind=EmployerKind.TEMP_AGENCY).order_by("pk")[:3]
    )
    if not agencies or not ctx.migrant_ids:
        return
    addresses = list(
        Address.objects.filter(municipality=municipality, pk__in=[a.pk for a in ctx.addresses if a.habitable])
        .exclude(postcode="")
        .values("postcode", "house_number", "house_letter", "house_number_addition")[:2000]
    )
    sample = rng.sample(ctx.migrant_ids, min(len(ctx.migrant_ids), ctx.scaled(240, 24)))
    people = list(
        Person.objects.filter(pk__in=sample)
        .order_by("pk")
        .values("bsn", "surname", "given_names", "birth_date", "nationality")
    )
    actor = Actor.system(municipality, name="demo deliveries")
    plans = [(agency, DeliverySource.AGENCY, DeliveryObligation.COVENANT) for agency in agencies]
    plans.append((agencies[0], DeliverySource.HOUSING_PROVIDER, DeliveryObligation.QUALITY_MARK))
    per_delivery = max(4, len(people) // len(plans))
    deliveries = 0
    for index, (employer, source, obligation) in enumerate(plans):
        chosen = people[index * per_delivery : (index + 1) * per_delivery]
        rows: list[dict[str, Any]] = []
        for person in chosen:
            where = rng.choice(addresses)
            rows.append(
                {
                    "bsn": person["bsn"],
                    "surname": person["surname"],
                    "given_names": person["given_names"],
                    "birth_date": person["birth_date"].isoformat() if person["birth_date"] else "",
                    "nationality": person["nationality"] or "PL",
                    **where,
                }
            )
        # Workers the register does not know yet.
        for number in range(3):
            rows.append(
                {
                    "surname": rng.choice(NEW_SURNAMES),
                    "given_names": rng.choice(NEW_GIVEN),
                    "birth_date": f"199{index}-0{number + 1}-1{number}",
                    "nationality": rng.choice(["RO", "PL", "BG", "HU"]),
                    "arrival_date": ctx.reference_date.replace(day=1).isoformat(),
                    **rng.choice(addresses),
                }
            )
        # One worker delivered without a BSN and with another first name: civil affairs decides.
        if chosen and chosen[0]["birth_date"]:
            rows.append(
                {
                    "surname": chosen[0]["surname"],
                    "given_names": f"{chosen[0]['given_names']} {rng.choice(NEW_GIVEN)}",
                    "birth_date": chosen[0]["birth_date"].isoformat(),
                    "nationality": chosen[0]["nationality"] or "PL",
                    **rng.choice(addresses),
                }
            )
        data = _csv(rows)
        # The one rule of who delivers as whom; a covenant member's delivery names its covenant.
        context = delivery_context_for(
            actor=actor,
            kind=DeliveryKind.LABOUR_MIGRANTS,
            channel=DeliveryChannel.FILE,
            employer_kvk=employer.kvk_number,
            source=source,
            obligation=obligation,
            file_name=f"levering-{employer.kvk_number}-{index + 1}.csv",
        ).with_data(data)
        run_import(actor=actor, importer=LabourMigrantImporter(context), data=data)
        deliveries += 1
        if index == 0:
            # The same list again next month: recorded, and nothing changes in the register.
            run_import(actor=actor, importer=LabourMigrantImporter(context), data=data)
            deliveries += 1
    ctx.counts["deliveries"] = deliveries
