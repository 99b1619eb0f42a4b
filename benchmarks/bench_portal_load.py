"""Load benchmark of the portal's self-service flow: 50 concurrent clients against PostgreSQL.

A real server process (gunicorn, pinned in the dev dependencies) serves the project on 127.0.0.1:8116
with the outbox sender, so the clients read their one-time codes from the database, as a person reads
an e-mail. Every client runs the whole flow again and again for the measured time:

    GET /en/address/ → POST the form → GET the code page → POST the code → GET the confirmation

Identities: each client reports for its own people (new to the register, then moving them to another
address with a later date each time) and, every fifth flow, for one of a few people that all clients
report at the same time (same address and date: they must end up as one person with one residence).
One flow in ten sends the right code twice, as a double click does.

Baseline, measured in the same run with the same 50 clients: GET of a static portal page (privacy).

Afterwards the database is checked: every flow a client saw confirmed has its report (nothing lost),
there are no more reports than confirmed flows and no person twice (nothing duplicated), and every
person's residence history is one unbroken chain ending at the last reported address.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import itertools
import os
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import use_bench_database

HOST, PORT = "127.0.0.1", 8116
ROOT = Path(__file__).resolve().parents[1]
TOKEN = re.compile(r'name="(csrfmiddlewaretoken|started)" value="([^"]+)"')
REFERENCE = re.compile(r"<dt>Reference</dt><dd>([A-Z0-9]{10})</dd>")
CODE = re.compile(r"\b(\d{6})\b")


class Browser:
    """One visitor: a keep-alive connection, cookies, and the timings of its requests."""

    def __init__(self, timings: dict[str, list[float]]) -> None:
        self.cookies: dict[str, str] = {}
        self.timings = timings
        self.connection = http.client.HTTPConnection(HOST, PORT, timeout=60)

    def request(
        self, label: str, method: str, path: str, form: dict[str, str] | None = None
    ) -> tuple[int, str, str]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()), "Accept-Language": "en"}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://{HOST}:{PORT}{path}"
        started = time.perf_counter()
        for attempt in range(2):
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                text = response.read().decode()
                break
            except (http.client.HTTPException, ConnectionError):
                self.connection.close()
                self.connection = http.client.HTTPConnection(HOST, PORT, timeout=60)
                if attempt:
                    raise
        self.timings[label].append((time.perf_counter() - started) * 1000)
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        return response.status, response.getheader("Location") or "", text


@dataclass
class Expected:
    """What a client saw confirmed, to compare with the database afterwards."""

    references: list[str] = field(default_factory=list)
    last_address: dict[str, int] = field(default_factory=dict)  # identity -> address id
    identities: set[str] = field(default_factory=set)
    flows: int = 0
    failures: list[str] = field(default_factory=list)


def start_server(url: str, workers: int, threads: int) -> subprocess.Popen[bytes]:
    environment = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "ketenregie.settings",
        "PORTAL_MUNICIPALITY": "0599",
        "PORTAL_MESSAGE_SENDER": "ketenregie.portal.senders.OutboxSender",
        "PORTAL_MIN_FILL_SECONDS": "0",
        # All clients share one address: lift the per-client limit (the limiter still runs).
        "PORTAL_RATE_LIMIT_FACTOR": "1000000",
        "ALLOWED_HOSTS": HOST,
        "LOG_LEVEL": "WARNING",
    }
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "ketenregie.wsgi:application",
            "--bind",
            f"{HOST}:{PORT}",
            "--workers",
            str(workers),
            "--worker-class",
            "gthread",
            "--threads",
            str(threads),
            "--timeout",
            "120",
            "--log-level",
            "warning",
        ],
        env=environment,
        cwd=ROOT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection(HOST, PORT, timeout=2)
            connection.request("GET", "/health/")
            if connection.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise SystemExit("the server did not come up on 127.0.0.1:8116")


def read_code(cursor: object, recipient: str) -> str:
    for _ in range(50):
        cursor.execute(  # type: ignore[attr-defined]
            "SELECT body FROM portal_outboxmessage WHERE recipient = %s ORDER BY id DESC LIMIT 1", [recipient]
        )
        row = cursor.fetchone()  # type: ignore[attr-defined]
        if row:
            return CODE.search(row[0]).group(1)  # type: ignore[union-attr]
        time.sleep(0.05)
    raise RuntimeError(f"no code for {recipient}")


def flow(
    browser: Browser,
    cursor: object,
    *,
    identity: tuple[str, str, str, str],
    address: tuple[str, int, int],
    starts_on: dt.date,
    email: str,
    double_click: bool,
) -> str | None:
    given, surname, born, nationality = identity
    postcode, number, _pk = address
    status, _, page = browser.request("form", "GET", "/en/address/")
    tokens = dict(TOKEN.findall(page))
    form = {
        **tokens,
        "reporter": "self",
        "given_names": given,
        "surname": surname,
        "birth_date": born,
        "nationality": nationality,
        "postcode": postcode,
        "house_number": str(number),
        "house_letter": "",
        "house_number_addition": "",
        "starts_on": starts_on.isoformat(),
        "email": email,
        "phone": "",
        "channel": "email",
        "website": "",
    }
    status, location, page = browser.request("submit", "POST", "/en/address/", form)
    if status != 302 or not location.endswith("/en/address/code/"):
        raise RuntimeError(f"form refused ({status}): {re.findall(r'<li>(.*?)</li>', page)[:3]}")
    code = read_code(cursor, email)
    status, _, page = browser.request("code page", "GET", "/en/address/code/")
    code_form = {**dict(TOKEN.findall(page)), "code": code, "website": ""}
    status, location, _ = browser.request("verify", "POST", "/en/address/code/", code_form)
    if status != 302 or not location.endswith("/en/address/done/"):
        raise RuntimeError(f"code refused ({status})")
    if double_click:
        status, location, _ = browser.request("verify", "POST", "/en/address/code/", code_form)
        if status != 302 or not location.endswith("/en/address/done/"):
            raise RuntimeError(f"second click refused ({status})")
    status, _, page = browser.request("done", "GET", "/en/address/done/")
    match = REFERENCE.search(page)
    return match.group(1) if status == 200 and match else None


def client(
    number: int,
    url: str,
    addresses: list[tuple[str, int, int]],
    shared: list[tuple[str, str, str, str]],
    shared_address: tuple[str, int, int],
    until: float,
    timings: dict[str, list[float]],
    expected: Expected,
    flow_times: list[float],
    run: str,
) -> None:
    import psycopg

    browser = Browser(timings)
    own_people = [
        (
            f"Bench{number}",
            f"Klient{run}-{number}-{k}",
            f"{1970 + number % 30}-{1 + k:02d}-{10 + number % 18}",
            "PL",
        )
        for k in range(5)
    ]
    moves: dict[int, int] = defaultdict(int)
    iteration = 0
    with psycopg.connect(url.replace("postgres://", "postgresql://"), autocommit=True) as connection:
        cursor = connection.cursor()
        while time.monotonic() < until:
            iteration += 1
            if iteration % 5 == 0:
                identity = shared[iteration // 5 % len(shared)]
                address, starts_on = shared_address, dt.date.today() - dt.timedelta(days=30)
            else:
                index = iteration % len(own_people)
                identity = own_people[index]
                moves[index] += 1
                address = addresses[(number * 7919 + iteration * 104729) % len(addresses)]
                # Each move of a person starts a day later than the one before.
                starts_on = dt.date.today() - dt.timedelta(days=1000) + dt.timedelta(days=moves[index])
            email = f"c{number}-i{iteration}-{run}@bench.example"
            started = time.perf_counter()
            try:
                reference = flow(
                    browser,
                    cursor,
                    identity=identity,
                    address=address,
                    starts_on=starts_on,
                    email=email,
                    double_click=iteration % 10 == 3,
                )
            except Exception as error:
                expected.failures.append(f"client {number}: {error}")
                continue
            flow_times.append((time.perf_counter() - started) * 1000)
            if reference is None:
                expected.failures.append(f"client {number}: no reference on the confirmation page")
                continue
            key = "|".join(identity)
            expected.references.append(reference)
            expected.identities.add(key)
            expected.last_address[key] = address[2]
            expected.flows += 1


def baseline(clients: int, seconds: float) -> tuple[int, list[float]]:
    timings: dict[str, list[float]] = defaultdict(list)
    until = time.monotonic() + seconds

    def run() -> None:
        browser = Browser(timings)
        while time.monotonic() < until:
            status, _, _ = browser.request("privacy", "GET", "/en/privacy/")
            assert status == 200

    threads = [threading.Thread(target=run) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(timings["privacy"]), timings["privacy"]


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))] if ordered else float("nan")


def verify(expected: list[Expected], run_started: dt.datetime, shared_address: int) -> list[str]:
    """Nothing lost, nothing twice, every history one chain ending where the client last said."""
    from django.db.models import Count

    from ketenregie.core.text import normalise_name
    from ketenregie.people.models import Person, Residence
    from ketenregie.portal.models import SelfServiceReport

    problems: list[str] = []
    references = [ref for e in expected for ref in e.references]
    flows = sum(e.flows for e in expected)
    stored = SelfServiceReport.objects.filter(submitted_at__gte=run_started)
    found = set(stored.filter(reference__in=references).values_list("reference", flat=True))
    lost = set(references) - found
    if lost:
        problems.append(f"{len(lost)} confirmed updates have no report (lost)")
    if stored.count() != flows:
        problems.append(f"{stored.count()} reports for {flows} confirmed flows (duplicated or stray)")
    if len(references) != len(set(references)):
        problems.append("a reference was shown twice")
    last_address: dict[str, int] = {}
    for e in expected:
        last_address.update(e.last_address)
    for key, address_id in last_address.items():
        _given, surname, born, nationality = key.split("|")
        people = [
            p
            for p in Person.objects.filter(
                birth_date=born, nationality=nationality, surname__icontains=surname[-12:]
            )
            if normalise_name(p.surname) == normalise_name(surname)
        ]
        if len(people) != 1:
            problems.append(f"{len(people)} people for one identity {surname} (duplicated)")
            continue
        residences = list(Residence.objects.filter(person=people[0]).order_by("starts_on", "pk"))
        open_ones = [r for r in residences if r.ends_on is None]
        if len(open_ones) != 1 or open_ones[0].address_id != address_id:
            problems.append(
                f"{surname}: open residences {[r.address_id for r in open_ones]}, expected {address_id}"
            )
        for earlier, later in itertools.pairwise(residences):
            if earlier.ends_on != later.starts_on:
                problems.append(f"{surname}: history broken between {earlier.pk} and {later.pk}")
                break
    shared_people = (
        Person.objects.filter(surname__startswith="Gedeeld", residences__address_id=shared_address)
        .values("surname")
        .annotate(n=Count("id", distinct=True))
        .filter(n__gt=1)
    )
    if shared_people.exists():
        problems.append(f"shared identities created twice: {list(shared_people)[:3]}")
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--baseline-seconds", type=float, default=20)
    parser.add_argument("--scale", type=float, default=0.2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--reuse", action="store_true", help="keep data seeded earlier with these arguments")
    args = parser.parse_args()

    url = use_bench_database()
    from django.core.management import call_command

    from ketenregie.demo.generator import seed_municipality
    from ketenregie.demo.models import SeedRun
    from ketenregie.people.models import Person
    from ketenregie.places.models import Address

    print(f"database: {url}")
    call_command("migrate", verbosity=0)
    run = SeedRun.objects.filter(profile="rotterdam", finished_at__isnull=False).first()
    if not (args.reuse and run and run.scale == args.scale and run.seed == args.seed):
        started = time.perf_counter()
        seed_municipality(profile_key="rotterdam", seed=args.seed, scale=args.scale, progress=lambda m: None)
        print(f"seeded Rotterdam at scale {args.scale} in {time.perf_counter() - started:.0f} s")
    print(f"addresses {Address.objects.count():,}, people {Person.objects.count():,}")
    addresses = list(
        Address.objects.filter(municipality__code="0599", is_habitable_use=True, floor_area_m2__gte=60)
        .exclude(postcode="")
        .filter(house_letter="", house_number_addition="")
        .values_list("postcode", "house_number", "pk")[:5000]
    )
    shared_address = addresses[0]
    run_tag = f"{int(time.time()) % 100000}"
    shared = [(f"Gedeeld{k}", f"Gedeeld-{run_tag}-{k}", "1985-06-01", "RO") for k in range(10)]

    server = start_server(url, args.workers, args.threads)
    try:
        base_count, base_times = baseline(args.clients, args.baseline_seconds)
        timings: dict[str, list[float]] = defaultdict(list)
        flow_times: list[float] = []
        expected = [Expected() for _ in range(args.clients)]
        run_started = dt.datetime.now(dt.UTC)
        until = time.monotonic() + args.seconds
        threads = [
            threading.Thread(
                target=client,
                args=(
                    n,
                    url,
                    addresses,
                    shared,
                    shared_address,
                    until,
                    timings,
                    expected[n],
                    flow_times,
                    run_tag,
                ),
            )
            for n in range(args.clients)
        ]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)

    all_requests = [ms for values in timings.values() for ms in values]
    flows = sum(e.flows for e in expected)
    failures = [f for e in expected for f in e.failures]
    base_rate = base_count / args.baseline_seconds
    print(f"\nserver: gunicorn, {args.workers} workers x {args.threads} threads on {HOST}:{PORT}")
    print(f"clients: {args.clients}, for {args.seconds:.0f} s (baseline {args.baseline_seconds:.0f} s)")
    print(f"\n{'what':<44} {'per s':>8} {'p50 ms':>8} {'p95 ms':>8}")

    def row(label: str, rate: float, values: list[float]) -> None:
        print(f"{label:<44} {rate:8.1f} {statistics.median(values):8.1f} {p95(values):8.1f}")

    row("baseline: GET static portal page", base_rate, base_times)
    row("self-service: all requests", len(all_requests) / elapsed, all_requests)
    row("self-service: whole flows (5-6 requests)", flows / elapsed, flow_times)
    for label in ("form", "submit", "code page", "verify", "done"):
        row(f"  {label}", len(timings[label]) / elapsed, timings[label])
    ratio_rate = len(all_requests) / elapsed / base_rate
    ratio_p95 = p95(all_requests) / p95(base_times)
    print(f"\nrequests/s vs baseline: {ratio_rate:.2f}; p95 vs baseline: {ratio_p95:.1f}x")
    print(f"confirmed flows: {flows}; failed flows: {len(failures)}")
    for failure in failures[:5]:
        print(f"  {failure}")
    problems = verify(expected, run_started, shared_address[2])
    if problems:
        print("\nINTEGRITY PROBLEMS:")
        for problem in problems[:20]:
            print(f"  {problem}")
        raise SystemExit(1)
    print("integrity: 0 lost updates, 0 duplicated updates or people, every residence history one chain")


if __name__ == "__main__":
    main()
