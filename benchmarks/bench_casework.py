"""Casework benchmark: one million meldingen and 100,000 cases in PostgreSQL.

Seeds a synthetic Rotterdam (default scale 0.1: 30,000 addresses, with its own meldingen, cases and
agreements), then adds meldingen and cases with COPY until there are 1,000,000 and 100,000: several
years of history, about 3% of meldingen still open. Then it times, through the whole Django stack:

- the triage queue (open meldingen by deadline: page 1, page 100, overdue, one category) and its API;
- the case board (counts per status and the newest cases in each column) for the enforcement officer
  (every case) and for the NLA partner (only the cases it takes part in), and the case list;
- suggesting a category for 10,000 meldingen with the municipality's classifier.

Target: p95 under 150 ms for the queue and the board, and under 5 s for the 10,000 suggestions. The
baselines are measured in the same run: GET /health/ (a request through the middleware stack with one
trivial query) for the pages, and a keyword lookup over the same 10,000 texts for the classifier.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import measure, report, use_bench_database

SIGNALS = 1_000_000
CASES = 100_000
OPEN_SHARE = 0.03


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", type=float, default=0.1, help="scale of the seeded registers")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--signals", type=int, default=SIGNALS)
    parser.add_argument("--cases", type=int, default=CASES)
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument(
        "--reuse", action="store_true", help="keep data from an earlier run with these arguments"
    )
    args = parser.parse_args()

    url = use_bench_database()
    from django.core.management import call_command

    from ketenregie.cases.models import Case
    from ketenregie.demo.generator import seed_municipality
    from ketenregie.demo.models import SeedRun
    from ketenregie.signals.models import Signal

    print(f"database: {url}")
    call_command("migrate", verbosity=0)
    run = SeedRun.objects.filter(profile="rotterdam", finished_at__isnull=False).first()
    reuse = (
        args.reuse
        and run is not None
        and run.scale == args.scale
        and run.seed == args.seed
        and Signal.objects.count() >= args.signals
        and Case.objects.count() >= args.cases
    )
    if not reuse:
        started = time.perf_counter()
        run = seed_municipality(profile_key="rotterdam", seed=args.seed, scale=args.scale, progress=print)
        print(f"seeded Rotterdam at scale {args.scale} in {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        fill(run.municipality, signals=args.signals, cases=args.cases, seed=args.seed)
        print(f"added meldingen and cases with COPY in {time.perf_counter() - started:.1f} s")
    assert run is not None
    measure_all(run.municipality, args.runs)


def fill(municipality: Any, *, signals: int, cases: int, seed: int) -> None:
    """Top the seeded data up to ``signals`` meldingen and ``cases`` cases, straight into PostgreSQL."""
    from django.db import connection
    from django.utils import timezone

    from ketenregie.cases.models import Case, CaseParticipant, DataSharingAgreement
    from ketenregie.core.models import Organisation, OrganisationKind
    from ketenregie.demo.signal_texts import signal_text
    from ketenregie.places.models import Address
    from ketenregie.signals.models import Signal, SignalCategory

    rng = random.Random(seed)
    now = timezone.now()
    today = timezone.localdate()
    addresses = list(Address.objects.filter(municipality=municipality).values_list("pk", flat=True))
    categories = list(
        SignalCategory.objects.filter(municipality=municipality).values_list(
            "pk", "deadline_days", "code", "parent__code"
        )
    )
    owner = Organisation.objects.get(municipality=municipality, name__contains="Toezicht")
    nla = Organisation.objects.get(municipality=municipality, kind=OrganisationKind.NLA)
    agreement = DataSharingAgreement.objects.get(municipality=municipality, parties=nla)
    texts = {
        code: [signal_text(rng, code) for _ in range(3000)] for code in {c[3] or c[2] for c in categories}
    }
    missing = signals - Signal.objects.filter(municipality=municipality).count()
    with connection.cursor() as cursor:
        raw = cursor.cursor
        columns = (
            "municipality_id, version, created_at, updated_at, received_at, channel, category_id, "
            "description, address_id, location_text, needs_address, reporter_name, reporter_email, "
            "reporter_phone, reporter_language, status, result, result_note, due_on, triaged_at, closed_at"
        )
        with raw.copy(f"COPY signals_signal ({columns}) FROM STDIN") as copy:
            for _ in range(max(0, missing)):
                category_id, days, code, parent = rng.choice(categories)
                received = now - dt.timedelta(days=rng.uniform(0, 8 * 365), seconds=rng.randint(0, 86_400))
                due_on = received.date() + dt.timedelta(days=days)
                is_open = rng.random() < OPEN_SHARE
                if is_open:
                    received = now - dt.timedelta(days=rng.uniform(0, 60))
                    due_on = received.date() + dt.timedelta(days=days)
                address = rng.choice(addresses) if rng.random() > 0.04 else None
                status = rng.choice(("new", "triaged", "investigating")) if is_open else "closed"
                closed = None if is_open else received + dt.timedelta(days=rng.uniform(0.5, days * 1.3))
                copy.write_row(
                    (
                        municipality.pk,
                        1,
                        now,
                        now,
                        received,
                        rng.choice(("portal", "phone", "email", "partner")),
                        category_id,
                        rng.choice(texts[parent or code]),
                        address,
                        "" if address else "bij het station",
                        address is None and is_open,
                        "",
                        "melder@example.nl" if rng.random() < 0.5 else "",
                        "",
                        "nl",
                        status,
                        ""
                        if is_open
                        else rng.choice(
                            ("not_confirmed", "confirmed", "referred", "insufficient_information")
                        ),
                        "",
                        due_on,
                        None if status == "new" else received + dt.timedelta(hours=8),
                        closed,
                    )
                )
        print(f"  meldingen: {Signal.objects.count():,}")
        existing = Case.objects.filter(municipality=municipality).count()
        first_id = (Case.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        kinds = (
            ("house_visit", 0.6),
            ("address_investigation", 0.2),
            ("integral_control", 0.05),
            ("site_control", 0.05),
            ("vacancy_check", 0.1),
        )
        new_cases = max(0, cases - existing)
        case_rows, participants, stops = [], [], []
        for offset in range(new_cases):
            pk = first_id + offset
            kind = rng.choices([k for k, _w in kinds], weights=[w for _k, w in kinds])[0]
            opened = today - dt.timedelta(days=rng.randint(0, 8 * 365))
            is_open = rng.random() < 0.08
            status = rng.choice(("open", "planned", "investigating", "enforcement")) if is_open else "closed"
            closed = None if is_open else min(today, opened + dt.timedelta(days=rng.randint(5, 90)))
            case_rows.append(
                (
                    pk,
                    municipality.pk,
                    1,
                    now,
                    now,
                    kind,
                    f"Zaak {pk}",
                    "",
                    status,
                    "" if is_open else rng.choice(("violation", "no_violation", "handed_over")),
                    "direct",
                    opened,
                    None,
                    closed,
                    owner.pk,
                )
            )
            participants.append((municipality.pk, pk, owner.pk, "lead", None, opened))
            if kind in ("integral_control", "site_control") or rng.random() < 0.25:
                participants.append((municipality.pk, pk, nla.pk, "partner", agreement.pk, opened))
            for position in range(30 if kind == "integral_control" else 1):
                stops.append((municipality.pk, pk, rng.choice(addresses), position + 1, "visited", ""))
        with raw.copy(
            "COPY cases_case (id, municipality_id, version, created_at, updated_at, kind, title, "
            "description, status, result, origin, opened_on, planned_on, closed_on, owner_id) FROM STDIN"
        ) as copy:
            for row in case_rows:
                copy.write_row(row)
        with raw.copy(
            "COPY cases_caseparticipant (municipality_id, case_id, organisation_id, role, agreement_id, "
            "added_on) FROM STDIN"
        ) as copy:
            for row in participants:
                copy.write_row(row)
        # An address can occur in two cases but only once per case: drop repeats within one case.
        seen: set[tuple[int, int]] = set()
        with raw.copy(
            "COPY cases_caseaddress (municipality_id, case_id, address_id, position, visit_status, note) "
            "FROM STDIN"
        ) as copy:
            for row in stops:
                if (row[1], row[2]) not in seen:
                    seen.add((row[1], row[2]))
                    copy.write_row(row)
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('cases_case', 'id'), (SELECT max(id) FROM cases_case))"
        )
        for table in ("signals_signal", "cases_case", "cases_caseparticipant", "cases_caseaddress"):
            cursor.execute(
                f"VACUUM (ANALYZE) {table}" if not connection.in_atomic_block else f"ANALYZE {table}"
            )
    print(
        f"  cases: {Case.objects.count():,}, participants {CaseParticipant.objects.count():,}, "
        f"open meldingen {Signal.objects.exclude(status='closed').count():,}"
    )


def measure_all(municipality: Any, runs: int) -> None:
    from django.test import Client

    from ketenregie.core.actor import Actor
    from ketenregie.core.models import User
    from ketenregie.demo.accounts import ensure_demo_accounts
    from ketenregie.demo.signal_texts import signal_text
    from ketenregie.signals import classifier
    from ketenregie.signals.models import SignalCategory, SignalClassifier
    from ketenregie.signals.services import train_classifier

    ensure_demo_accounts(municipality)
    officer, partner = Client(), Client()
    officer.force_login(User.objects.get(username="enforcement"))
    partner.force_login(User.objects.get(username="partner"))
    overcrowding = SignalCategory.objects.get(municipality=municipality, code="overcrowding").pk

    def get(client: Client, url: str) -> None:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    baseline = measure("GET /health/ (baseline)", lambda i: get(officer, "/health/"), runs)
    pages = [
        measure("triage queue: open meldingen, page 1", lambda i: get(officer, "/app/signals/"), runs),
        measure("triage queue: page 100", lambda i: get(officer, "/app/signals/?page=100"), runs),
        measure("triage queue: overdue", lambda i: get(officer, "/app/signals/?queue=overdue"), runs),
        measure(
            "triage queue: one category",
            lambda i: get(officer, f"/app/signals/?category={overcrowding}"),
            runs,
        ),
        measure("API: triage queue", lambda i: get(officer, "/api/v1/signals/"), runs),
        measure("case board: enforcement (every case)", lambda i: get(officer, "/app/cases/"), runs),
        measure(
            "case board: integral controls", lambda i: get(officer, "/app/cases/?kind=integral_control"), runs
        ),
        measure("case board: NLA partner (shared cases)", lambda i: get(partner, "/app/cases/"), runs),
        measure("case list: page 1,000", lambda i: get(officer, "/app/cases/list/?page=1000"), runs),
        measure("API: cases, partner", lambda i: get(partner, "/api/v1/cases/"), runs),
    ]
    report(pages, baseline, target_ms=150)

    actor = Actor.system(municipality, name="benchmark")
    started = time.perf_counter()
    stored = train_classifier(actor=actor, limit=20_000)
    print(
        f"\nclassifier trained on {stored.samples:,} meldingen in {time.perf_counter() - started:.1f} s; "
        f"accuracy on {stored.held_out:,} held out: {100 * (stored.accuracy or 0):.1f}%"
    )
    stored = SignalClassifier.objects.get(pk=stored.pk)
    model = classifier.load(stored.pk, stored.labels, stored.model)
    rng = random.Random(7)
    texts = [signal_text(rng, rng.choice(stored.labels)) for _ in range(10_000)]
    keywords = {"matras": "overcrowding", "paspoort": "labour_exploitation", "lawaai": "nuisance"}

    def keyword_lookup(_: int) -> None:
        for text in texts:
            lowered = text.lower()
            next((label for word, label in keywords.items() if word in lowered), "other")

    base = measure("keyword lookup over 10,000 texts (baseline)", keyword_lookup, 5, warmup=1)
    suggest = measure("suggest a category for 10,000 meldingen", lambda i: model.predict(texts), 5, warmup=1)
    report([suggest], base, target_ms=5000)
    print(f"\n10,000 suggestions: p95 {suggest.p95 / 1000:.2f} s (target < 5 s)")


if __name__ == "__main__":
    main()
