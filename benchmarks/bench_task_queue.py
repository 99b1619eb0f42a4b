"""Task queue benchmark: a risk run of the Rotterdam profile through Redis and one worker.

Seeds the Rotterdam profile into PostgreSQL (unless --reuse finds it at the same scale), starts one
``ketenregie worker`` process (concurrency 1) against Redis, and queues risk runs one after another
through ``operations.services.task_start``, as the staff page and the API do. For each it reads the
TaskRun's own timestamps: how long it waited in the queue (created → started on the worker) and how long
it ran there (started → finished). Baseline, in the same run on the same data: the same task done in
this process (``task_run_here``, what happens without a broker).

    .venv/bin/python benchmarks/bench_task_queue.py --scale 1 --runs 3
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_BROKER = "redis://127.0.0.1:6379/14"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--scale", type=float, default=1.0, help="of the Rotterdam profile (1: 300,000 addresses)"
    )
    parser.add_argument("--runs", type=int, default=3, help="risk runs through the worker, and in-process")
    parser.add_argument("--reuse", action="store_true", help="keep the seeded data if it has the same scale")
    parser.add_argument("--broker", default=DEFAULT_BROKER, help="Redis URL (default %(default)s)")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")

    import redis

    try:
        redis.Redis.from_url(args.broker, socket_connect_timeout=2).flushdb()
    except redis.exceptions.ConnectionError:
        sys.exit(f"Redis is not reachable at {args.broker}: start it with `redis-server --daemonize yes`")
    os.environ["CELERY_BROKER_URL"] = args.broker

    from common import use_bench_database

    url = use_bench_database()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)

    from ketenregie.core.actor import Actor
    from ketenregie.core.models import Role
    from ketenregie.demo.generator import seed_municipality
    from ketenregie.demo.models import SeedRun
    from ketenregie.operations.models import TaskRun, TaskStatus, WorkerHeartbeat
    from ketenregie.operations.services import task_run_here, task_start
    from ketenregie.places.models import Address
    from ketenregie.risk.models import RiskRun

    seeded = SeedRun.objects.filter(profile="rotterdam", finished_at__isnull=False).first()
    if not (args.reuse and seeded and seeded.scale == args.scale):
        started = time.perf_counter()
        seeded = seed_municipality(profile_key="rotterdam", seed=1, scale=args.scale, progress=lambda m: None)
        print(f"seeded Rotterdam at scale {args.scale} in {time.perf_counter() - started:.0f} s")
    municipality = seeded.municipality
    actor = Actor.system(municipality, name="bench", roles=frozenset({Role.ENFORCEMENT}))
    addresses = Address.objects.filter(municipality=municipality).count()
    existing_runs = set(RiskRun.objects.filter(municipality=municipality).values_list("pk", flat=True))

    # Baseline: the task in this process, as without a broker.
    in_process: list[float] = []
    for _ in range(args.runs):
        started = time.perf_counter()
        task = task_run_here(actor, "risk_run")
        in_process.append(time.perf_counter() - started)
        assert task.status == TaskStatus.DONE, task.error

    WorkerHeartbeat.objects.all().delete()
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "ketenregie.cli",
            "worker",
            "--concurrency=1",
            "--loglevel=warning",
            "--hostname=bench@%h",
        ],
        env={
            **os.environ,
            "DATABASE_URL": url,
            "CELERY_BROKER_URL": args.broker,
            "PYTHONPATH": str(ROOT / "src"),
        },
        cwd=ROOT,
    )
    waits: list[float] = []
    runs: list[float] = []
    totals: list[float] = []
    try:
        deadline = time.monotonic() + 120
        while not WorkerHeartbeat.objects.exists():
            if worker.poll() is not None or time.monotonic() > deadline:
                sys.exit("the worker did not start")
            time.sleep(0.1)
        for _ in range(args.runs):
            task = task_start(actor, "risk_run")
            while task.status in (TaskStatus.QUEUED, TaskStatus.RUNNING):
                time.sleep(0.02)
                task = TaskRun.objects.get(pk=task.pk)
            assert task.status == TaskStatus.DONE, task.error
            assert task.started_at
            assert task.finished_at
            waits.append((task.started_at - task.created_at).total_seconds())
            runs.append((task.finished_at - task.started_at).total_seconds())
            totals.append((task.finished_at - task.created_at).total_seconds())
    finally:
        worker.terminate()
        worker.wait(timeout=60)
        # The benchmark's runs are not the municipality's: remove them with their scores.
        RiskRun.objects.filter(municipality=municipality).exclude(pk__in=existing_runs).delete()

    baseline = statistics.median(in_process)
    print(f"\nRisk run of Rotterdam at scale {args.scale} ({addresses:,} addresses), {args.runs} runs each")
    print(f"{'what':<48} {'median s':>9} {'max s':>8} {'/ in-process':>13}")
    for label, values in [
        ("in this process, no broker (baseline)", in_process),
        ("one worker: waiting in the queue", waits),
        ("one worker: running", runs),
        ("one worker: queued to done", totals),
    ]:
        median = statistics.median(values)
        print(f"{label:<48} {median:>9.3f} {max(values):>8.3f} {median / baseline:>13.2f}")


if __name__ == "__main__":
    main()
