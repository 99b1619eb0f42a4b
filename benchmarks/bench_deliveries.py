"""Deliveries benchmark: a labour-migrants delivery of 50,000 rows on PostgreSQL (goal: under 60 s).

Seeds a municipality of its own (addresses, and people with a BSN who live there), writes a CSV of
50,000 rows — half people the register knows by BSN, the rest new people with and without a BSN,
all at addresses of the register — and delivers it through run_import, as `import-csv` does.
Then delivers the same file again: nothing may change, and the time shows the cost of a repeated
monthly delivery. The baseline, in the same run, is reading and validating the same file row by
row without matching or writing (run_import's parse phase alone).
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import pstats
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import use_bench_database

HEADER = "bsn;surname;given_names;birth_date;nationality;arrival_date;postcode;house_number;email;phone\n"
SURNAMES = [
    "Nowak",
    "Kowalski",
    "Wiśniewski",
    "Popescu",
    "Ionescu",
    "Petrov",
    "Kazlauskas",
    "Horváth",
    "Silva",
]
GIVEN = ["Anna", "Jan", "Piotr", "Maria", "Andrei", "Elena", "Ivan", "Jonas", "Zsófia", "João"]
COUNTRIES = ["PL", "RO", "BG", "LT", "HU", "PT"]


def valid_bsns(start: int) -> list[str]:
    from ketenregie.core.validators import bsn_is_valid

    found, number = [], start
    while len(found) < 100_000:
        number += 1
        if bsn_is_valid(str(number)):
            found.append(str(number))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--addresses", type=int, default=8_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--profile", action="store_true", help="print where the first delivery spends its time"
    )
    args = parser.parse_args()

    url = use_bench_database()
    from django.core.management import call_command
    from django.db import transaction

    from ketenregie.core.actor import Actor
    from ketenregie.core.imports import read_csv, run_import
    from ketenregie.core.models import Municipality, Norms
    from ketenregie.deliveries.imports import LabourMigrantImporter
    from ketenregie.deliveries.services import DeliveryContext
    from ketenregie.demo.generator import wipe_municipality_data
    from ketenregie.employers.models import Employer
    from ketenregie.people.models import Person, Residence
    from ketenregie.places.models import Address

    print(f"database: {url}")
    call_command("migrate", verbosity=0)
    rng = random.Random(args.seed)
    municipality, _ = Municipality.objects.get_or_create(code="0998", defaults={"name": "Bench Deliveries"})
    Norms.objects.get_or_create(municipality=municipality)
    with transaction.atomic():  # foreign keys are checked at commit
        wipe_municipality_data(municipality)
    started = time.perf_counter()
    addresses = Address.objects.bulk_create(
        [
            Address(
                municipality=municipality,
                bag_object_id=f"0998010{i:09d}",
                bag_address_id=f"0998200{i:09d}",
                street="Benchstraat",
                house_number=i % 500 + 1,
                postcode=f"{3000 + i // 500}AB",
                town="Bench",
            )
            for i in range(args.addresses)
        ],
        batch_size=2000,
    )
    bsns = valid_bsns(200_000_000)
    known_count = args.rows // 2
    known = Person.objects.bulk_create(
        [
            Person(
                municipality=municipality,
                bsn=bsns[i],
                surname=rng.choice(SURNAMES),
                given_names=rng.choice(GIVEN),
                birth_date=dt.date(1970, 1, 1) + dt.timedelta(days=rng.randrange(12_000)),
                nationality=rng.choice(COUNTRIES),
            )
            for i in range(known_count)
        ],
        batch_size=2000,
    )
    Residence.objects.bulk_create(
        [
            Residence(
                municipality=municipality,
                person=person,
                address=rng.choice(addresses),
                starts_on=dt.date(2023, 1, 1),
                source="brp",
            )
            for person in known
        ],
        batch_size=2000,
    )
    employer = Employer.objects.create(
        municipality=municipality, kvk_number="24999999", name="Bench Flex", kind="temp_agency"
    )
    print(
        f"seeded {len(addresses)} addresses and {len(known)} people in {time.perf_counter() - started:.1f} s"
    )

    lines = [HEADER]
    for i in range(args.rows):
        address = rng.choice(addresses)
        where = f"{address.postcode};{address.house_number}"
        if i < known_count:
            p = known[i]
            lines.append(
                f"{p.bsn};{p.surname};{p.given_names};{p.birth_date.isoformat() if p.birth_date else ''};"
                f"{p.nationality};2024-0{rng.randrange(1, 10)}-01;{where};;\n"
            )
        else:
            bsn = bsns[known_count + i] if i % 5 == 0 else ""
            birth = dt.date(1970, 1, 1) + dt.timedelta(days=i % 12_000)
            lines.append(
                f"{bsn};{rng.choice(SURNAMES)}{i};{rng.choice(GIVEN)};{birth.isoformat()};{rng.choice(COUNTRIES)};"
                f"2025-01-06;{where};w{i}@example.org;\n"
            )
    data = "".join(lines).encode()
    print(f"delivery file: {args.rows} rows, {len(data) / 2**20:.1f} MB")

    actor = Actor.system(municipality, name="bench-deliveries")
    context = DeliveryContext(
        kind="labour-migrants", source="agency", employer=employer, file_name="bench.csv"
    )

    started = time.perf_counter()
    importer = LabourMigrantImporter(context.with_data(data))
    rows, errors = read_csv(data, required=importer.required_columns, optional=importer.optional_columns)
    parsed = [importer.parse(actor, row, number) for number, row in rows]
    baseline = time.perf_counter() - started
    assert not errors
    assert all(not e for _v, e in parsed)

    timings = []
    for attempt in ("first delivery", "same file again"):
        importer = LabourMigrantImporter(context.with_data(data))
        people_before = Person.objects.filter(municipality=municipality).count()
        residences_before = Residence.objects.filter(municipality=municipality).count()
        profiler = cProfile.Profile() if args.profile and attempt == "first delivery" else None
        started = time.perf_counter()
        if profiler is not None:
            profiler.enable()
        result = run_import(actor=actor, importer=importer, data=data)
        seconds = time.perf_counter() - started
        if profiler is not None:
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
        timings.append(seconds)
        print(
            f"{attempt}: {seconds:.1f} s, {args.rows / seconds:,.0f} rows/s — {result.created} new, "
            f"{result.updated} changed, {result.unchanged} unchanged, {importer.review_count} to review; "
            f"people +{Person.objects.filter(municipality=municipality).count() - people_before}, "
            f"residences +{Residence.objects.filter(municipality=municipality).count() - residences_before}"
        )
    print(
        f"baseline (read and validate every row, no matching or writing): {baseline:.1f} s, "
        f"{args.rows / baseline:,.0f} rows/s"
    )
    print(f"goal: under 60 s for {args.rows} rows — {'met' if timings[0] < 60 else 'NOT met'}")


if __name__ == "__main__":
    main()
