"""BRP benchmarks: importing a GBA-V extract of a million person records, and answering an occupancy
question by date with 18 million residence periods in PostgreSQL.

1. Import. A synthetic extract in the format of the official test set (current row plus history
   rows, LO GBA element columns) is generated (not timed) for one municipality whose BAG addresses
   are already in the register, then imported with ``import-brp`` (all records in one transaction,
   COPY). Baseline, measured in the same run: only reading the file with the csv module.
   Target: under 2 minutes for 1,000,000 records.

2. Occupancy by date. 18,000,000 residence periods over 1,000,000 addresses are generated directly
   in PostgreSQL with generate_series (not through the ORM), a few of them with partly unknown start
   dates; then BewoningMetPeildatum questions for random addresses are timed through the occupancy
   module (the same code the API runs, audit trail included). Baseline: a primary-key lookup of one
   address. Target: p95 under 10 ms.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import Timing, measure, report, use_bench_database

OUTPUT = Path(__file__).resolve().parent / "output"
CODE = "0599"
COLUMNS = [
    "01.01.10",
    "01.01.20",
    "01.02.10",
    "01.02.30",
    "01.02.40",
    "01.03.10",
    "04.05.10",
    "07.67.10",
    "07.67.20",
    "07.70.10",
    "08.09.10",
    "08.10.10",
    "08.10.30",
    "08.11.10",
    "08.11.20",
    "08.11.60",
    "08.11.70",
    "08.11.80",
    "08.11.90",
    "08.72.10",
    "08.83.10",
    "08.83.20",
]


def object_id(n: int) -> str:
    return f"{CODE}01{n:010d}"


def generate_extract(path: Path, persons: int, addresses: int, seed: int) -> None:
    rng = random.Random(seed)
    streets = [f"Straat {i}" for i in range(2000)]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\n")
        writer.writerow(["", *COLUMNS])
        for n in range(persons):
            holdings = []
            start = dt.date(1960, 1, 1) + dt.timedelta(days=rng.randint(0, 20000))
            for _ in range(rng.choice((1, 1, 2, 2, 2, 3, 4))):
                a = rng.randint(1, addresses)
                raw = start.strftime("%Y%m%d")
                if rng.random() < 0.01:
                    raw = raw[:6] + "00"
                holdings.append((a, raw))
                start += dt.timedelta(days=rng.randint(200, 3000))
            holdings.reverse()
            for index, (a, raw) in enumerate(holdings):
                person = (
                    [
                        f"{1_000_000_000 + n}",
                        f"{100_000_000 + n:09d}",
                        "Jan",
                        "",
                        f"Achternaam{n % 5000}",
                        "19800101",
                        "0001",
                        "",
                        "",
                        "0",
                    ]
                    if index == 0
                    else [""] * 10
                )
                writer.writerow(
                    [
                        f"P{n}" if index == 0 else "",
                        *person,
                        CODE,
                        "W",
                        raw,
                        streets[a % 2000],
                        str(a % 300 + 1),
                        "3077AW",
                        "Rotterdam",
                        object_id(a),
                        f"{CODE}20{a:010d}",
                        "I",
                        "",
                        "",
                    ]
                )


def load_addresses(municipality: object, addresses: int) -> None:
    """BAG addresses straight into PostgreSQL, as after import-bag."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO places_address (municipality_id, version, created_at, updated_at, bag_object_id,
                bag_address_id, street, house_number, house_letter, house_number_addition, postcode, town,
                floor_area_m2, use_purposes, is_habitable_use, is_caravan, bag_status, is_complete)
            SELECT %s, 1, now(), now(), %s || '01' || lpad(g::text, 10, '0'),
                %s || '20' || lpad(g::text, 10, '0'),
                'Straat ' || (g %% 2000), (g %% 300) + 1, '', '', '3077AW', 'Rotterdam', 40 + g %% 80,
                '["woonfunctie"]'::jsonb, true, false, 'Verblijfsobject in gebruik', true
            FROM generate_series(1, %s) AS g
            """,
            [municipality.pk, CODE, CODE, addresses],  # type: ignore[attr-defined]
        )
        cursor.execute("ANALYZE places_address")


def wipe() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE people_residence, people_labourmigrant, people_person, places_address, "
            "employers_employment, housing_housinglocation_addresses, demo_plantedcondition CASCADE"
        )


def bench_import(persons: int, addresses: int, seed: int) -> None:
    from ketenregie.core.municipality_codes import ensure_municipality
    from ketenregie.people.gbav.importer import import_gbav
    from ketenregie.people.models import Person, Residence

    OUTPUT.mkdir(exist_ok=True)
    path = OUTPUT / f"gbav-{persons}.csv"
    if not path.exists():
        started = time.perf_counter()
        generate_extract(path, persons, addresses, seed)
        print(
            f"generated {path.name} ({path.stat().st_size / 1e6:.0f} MB) "
            f"in {time.perf_counter() - started:.0f} s"
        )
    wipe()
    municipality, _ = ensure_municipality(CODE)
    load_addresses(municipality, addresses)

    started = time.perf_counter()
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = sum(1 for _ in csv.reader(handle, delimiter=";"))
    baseline = time.perf_counter() - started

    started = time.perf_counter()
    report_ = import_gbav(
        path,
        progress=lambda message: print(f"  {message} ({time.perf_counter() - started:.0f} s)", flush=True),
    )
    seconds = time.perf_counter() - started
    print(
        f"\nimported {report_.persons_created:,} person records and {report_.residences_created:,} residence "
        f"periods ({rows:,} rows) in {seconds:.1f} s: {report_.persons_created / seconds:,.0f} records/s"
    )
    print(
        f"baseline, reading the file with the csv module: {baseline:.1f} s; "
        f"import/baseline = {seconds / baseline:.1f}"
    )
    print(f"target 120 s for 1,000,000 records: {'ok' if seconds * 1_000_000 / persons < 120 else 'OVER'}")
    assert Person.objects.count() == persons
    assert Residence.objects.count() == report_.residences_created


def bench_occupancy(periods: int, addresses: int, runs: int, seed: int) -> None:
    from django.db import connection

    from ketenregie.core.municipality_codes import ensure_municipality

    people = periods // 3
    municipality, _ = ensure_municipality(CODE)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM people_residence")
        (existing,) = cursor.fetchone()
    if existing == people * 3:
        print(f"\nreusing {existing:,} residence periods generated by an earlier run")
    else:
        _generate_periods(municipality, addresses, people)
    _ask(municipality, addresses, runs, seed)


def _generate_periods(municipality: object, addresses: int, people: int) -> None:
    from django.db import connection

    wipe()
    load_addresses(municipality, addresses)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SELECT min(id) FROM places_address WHERE municipality_id = %s", [municipality.pk])
        (first_address,) = cursor.fetchone()
        cursor.execute(
            """
            INSERT INTO people_person (municipality_id, version, created_at, updated_at, bsn, given_names,
                surname_prefix, surname, nationality, registration_status, languages, phone, email, is_secret,
                a_number, birth_date_raw, brp_nationality_code, suspended_on_raw, suspension_reason,
                registration_municipality_code)
            SELECT %s, 1, now(), now(), '', 'Jan', '', 'Achternaam' || g, 'NL', 'brp', '[]'::jsonb, '', '',
                false,
                '', '', '', '', '', %s
            FROM generate_series(1, %s) AS g
            """,
            [municipality.pk, CODE, people],  # type: ignore[attr-defined]
        )
        cursor.execute("SELECT min(id) FROM people_person WHERE municipality_id = %s", [municipality.pk])
        (first_person,) = cursor.fetchone()
        # Three consecutive holdings per person at pseudo-random addresses; 1% with a start known
        # to the month only (certain from the first of the next month).
        cursor.execute(
            """
            INSERT INTO people_residence (municipality_id, version, created_at, updated_at, person_id,
                address_id, starts_on, ends_on, source, verification_status, address_function, sequence,
                starts_on_raw, starts_on_latest, certain_from, declaration, municipality_code, bag_object_id,
                bag_address_id, brp_address, country_code, foreign_address_line1, foreign_address_line2,
                foreign_address_line3, investigation_code, investigation_start_raw, investigation_end_raw)
            SELECT %s, 1, now(), now(), %s + p, %s + ((p::bigint * 7919 + k * 104729) %% %s),
                DATE '1990-01-01' + (p %% 3000) + k * 3000,
                CASE WHEN k < 2 THEN DATE '1990-01-01' + (p %% 3000) + (k + 1) * 3000 END,
                'brp', 'verified', 'W', k + 1,
                to_char(DATE '1990-01-01' + (p %% 3000) + k * 3000, 'YYYYMMDD'),
                DATE '1990-01-01' + (p %% 3000) + k * 3000,
                CASE WHEN p %% 100 = 0 THEN (date_trunc('month', DATE '1990-01-01' + (p %% 3000) + k * 3000)
                    + interval '1 month')::date END,
                'I', %s, '', '', '{}'::jsonb, '', '', '', '', '', '', ''
            FROM generate_series(0, %s - 1) AS p, generate_series(0, 2) AS k
            """,
            [municipality.pk, first_person, first_address, addresses, CODE, people],
        )
        cursor.execute("ANALYZE people_residence")
        cursor.execute("ANALYZE people_person")
        cursor.execute("SELECT count(*) FROM people_residence")
        (count,) = cursor.fetchone()
    print(
        f"\ngenerated {count:,} residence periods for {people:,} people "
        f"in {time.perf_counter() - started:.0f} s"
    )


def _ask(municipality: object, addresses: int, runs: int, seed: int) -> None:
    from django.db import connection

    from ketenregie.core.actor import Actor
    from ketenregie.people.occupancy import bewoning_op_peildatum
    from ketenregie.places.models import Address

    with connection.cursor() as cursor:
        cursor.execute("SELECT min(id) FROM places_address WHERE municipality_id = %s", [municipality.pk])  # type: ignore[attr-defined]
        (first_address,) = cursor.fetchone()
    rng = random.Random(seed)
    actor = Actor.system(municipality, name="bench")  # type: ignore[arg-type]
    samples = [
        (object_id(rng.randint(1, addresses)), dt.date(1990, 1, 1) + dt.timedelta(days=rng.randint(0, 12000)))
        for _ in range(runs + 10)
    ]
    ids = [rng.randint(first_address, first_address + addresses - 1) for _ in range(runs + 10)]
    baseline = measure("Address by primary key (baseline)", lambda i: Address.objects.get(pk=ids[i]), runs)
    found = []

    def ask(i: int) -> None:
        answer = bewoning_op_peildatum(actor=actor, object_id=samples[i][0], peildatum=samples[i][1])
        found.append(sum(len(c.occupants) for c in answer.compositions))

    cold: Timing = measure("BewoningMetPeildatum, 18M periods, first asking", ask, runs)
    # The same questions again: the pages they need are now in memory, as a municipality's working
    # set is on a server whose memory holds it (shared_buffers here is PostgreSQL's default 128 MB).
    warm: Timing = measure("BewoningMetPeildatum, 18M periods, asked again", ask, runs)
    report([cold, warm], baseline, target_ms=10)
    print(f"residents per answer: mean {sum(found) / len(found):.1f}, max {max(found)}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--periods", type=int, default=18_000_000)
    parser.add_argument("--addresses", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--only", choices=["import", "occupancy"])
    args = parser.parse_args()
    url = use_bench_database()
    from django.core.management import call_command

    print(f"database: {url}")
    call_command("migrate", verbosity=0)
    if args.only in (None, "import"):
        bench_import(args.persons, min(args.addresses, 300_000), args.seed)
    if args.only in (None, "occupancy"):
        bench_occupancy(args.periods, args.addresses, args.runs, args.seed)


if __name__ == "__main__":
    main()
