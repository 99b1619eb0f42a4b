"""``ketenregie risk score`` and ``ketenregie risk backtest``."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone, translation

from ketenregie.core.actor import Actor
from ketenregie.core.commands import date_option, municipality_option
from ketenregie.places.selectors import address_labels
from ketenregie.risk.backtest import backtest
from ketenregie.risk.explain import explain
from ketenregie.risk.scoring import contributions_of, score_municipality
from ketenregie.risk.services import risk_run, risk_runs_prune

if TYPE_CHECKING:
    from ketenregie.core.models import Municipality

OUTPUT_FORMATS = {".csv": "csv", ".parquet": "parquet"}


def _output(path: str | None) -> tuple[Path, str] | None:
    """Check the file before any work is done: a known extension, and a place we may write."""
    if not path:
        return None
    target = Path(path)
    file_format = OUTPUT_FORMATS.get(target.suffix.lower())
    if file_format is None:
        raise CommandError(f"--out: unknown extension {target.suffix or '(none)'!r}; use .csv or .parquet")
    directory = target.parent if str(target.parent) else Path(".")
    if target.is_dir():
        raise CommandError(f"--out: {target} is a directory")
    if directory.exists() and not directory.is_dir():
        raise CommandError(f"--out: cannot write {target}: {directory} is a file, not a directory")
    if not directory.is_dir():
        raise CommandError(f"--out: the directory {directory} does not exist")
    if not os.access(directory, os.W_OK) or (target.exists() and not os.access(target, os.W_OK)):
        raise CommandError(f"--out: cannot write {target}")
    return target, file_format


class Command(BaseCommand):
    help = (
        "Risk-driven selection: score every address (score), replay the past to measure it (backtest), "
        "or remove old runs no list was made from (prune)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        score = actions.add_parser("score", help="score every address as of a date")
        score.add_argument("--municipality", help="CBS municipality code, e.g. 0599")
        score.add_argument("--as-of", dest="as_of", help="reference date YYYY-MM-DD (default today)")
        score.add_argument("--out", help="write one row per address to FILE.csv or FILE.parquet")
        score.add_argument("--no-save", dest="no_save", action="store_true", help="do not keep a risk run")
        test = actions.add_parser("backtest", help="precision and recall at k of a list made in the past")
        test.add_argument("--municipality", help="CBS municipality code, e.g. 0599")
        test.add_argument("--k", type=int, default=100, help="size of the list (default 100)")
        test.add_argument(
            "--as-of", dest="as_of", help="replay date T (default: the reference date minus 6 months)"
        )
        test.add_argument(
            "--window-end", dest="window_end", help="end of the window (default: the reference date)"
        )
        test.add_argument("--json", action="store_true", help="print one JSON object")
        prune = actions.add_parser("prune", help="remove old runs from which no control list was made")
        prune.add_argument("--municipality", help="CBS municipality code, e.g. 0599")
        prune.add_argument("--keep-days", dest="keep_days", type=int, default=365, help="default 365")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "score":
            self.score(options)
        elif options["action"] == "prune":
            self.prune(options)
        else:
            self.backtest(options)

    def prune(self, options: dict[str, Any]) -> None:
        municipality = municipality_option(options.get("municipality"), single_default=True)
        actor = Actor.system(municipality, name="risk-prune")
        try:
            removed = risk_runs_prune(actor=actor, keep_days=options["keep_days"])
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(
            f"Removed {removed} runs of {municipality.name} older than {options['keep_days']} days."
        )

    def score(self, options: dict[str, Any]) -> None:
        output = _output(options.get("out"))
        as_of = date_option(options.get("as_of"), "--as-of") or timezone.localdate()
        municipality = municipality_option(options.get("municipality"), single_default=True)
        scored = score_municipality(municipality, as_of=as_of)
        frame = scored.addresses
        if output is not None:
            self._write(frame, municipality, *output)
        top = frame.filter(pl.col("score") > 0).height
        message = (
            f"Scored {frame.height:,} addresses of {municipality.name} as of {as_of}: {top:,} with a score "
            f"above zero (export {scored.timings['export']} ms, engine {scored.timings['engine']} ms)."
        )
        if not options.get("no_save"):
            actor = Actor.system(municipality, name="risk-score")
            run = risk_run(actor=actor, as_of=as_of, scored=scored)
            message += f" Saved as run {run.reference} ({run.duration_ms} ms in all)."
        self.stdout.write(message)
        if output is not None:
            self.stdout.write(f"Wrote {output[0]}")

    def _write(self, frame: pl.DataFrame, municipality: Municipality, target: Path, file_format: str) -> None:
        labels = address_labels(municipality)
        rule_columns = [c for c in frame.columns if c.startswith("c_")]
        with translation.override("nl"):
            contributions = [contributions_of(row) for row in frame.iter_rows(named=True)]
            explanations = [" | ".join(line.label for line in explain(c)) for c in contributions]
        out = frame.select("address_id", "neighbourhood_code", "score", *rule_columns).with_columns(
            pl.Series("rank", range(1, frame.height + 1), dtype=pl.Int64),
            pl.Series("address", [labels.get(a, "") for a in frame["address_id"].to_list()], dtype=pl.String),
            pl.Series(
                "contributions", [json.dumps(c, ensure_ascii=False) for c in contributions], dtype=pl.String
            ),
            pl.Series("explanation", explanations, dtype=pl.String),
        )
        out = out.select("rank", "address_id", "address", "neighbourhood_code", "score", "explanation",
                         "contributions", *rule_columns)  # fmt: skip
        try:
            if file_format == "csv":
                out.write_csv(target)
            else:
                out.write_parquet(target)
        except OSError as error:
            raise CommandError(f"--out: cannot write {target}: {error.strerror or error}") from None

    def backtest(self, options: dict[str, Any]) -> None:
        k = options["k"]
        if k < 1:
            raise CommandError("--k must be at least 1")
        as_of = date_option(options.get("as_of"), "--as-of")
        window_end = date_option(options.get("window_end"), "--window-end")
        municipality = municipality_option(options.get("municipality"), single_default=True)
        try:
            result = backtest(municipality, k=k, as_of=as_of, window_end=window_end)
        except ValueError as error:
            raise CommandError(str(error)) from None
        if options["json"]:
            self.stdout.write(json.dumps(result.as_dict(), indent=2))
            return

        def lift(value: float | None) -> str:
            return "n/a (baseline found nothing)" if value is None else f"{value:.2f}×"

        self.stdout.write(
            "\n".join(
                [
                    f"Back-test of {municipality.name}: list of k={result.k} made as of {result.as_of}, "
                    f"checked against the window up to {result.window_end}.",
                    f"  addresses scored:       {result.addresses:,}",
                    f"  truly violating:        {result.violating:,} (planted {result.violating_planted:,}, "
                    f"from findings {result.violating_from_findings:,}); base rate {result.base_rate:.2%}",
                    f"  risk score:   precision@k {result.precision_at_k:.1%}, "
                    f"recall@k {result.recall_at_k:.1%}",
                    f"  random:       precision@k {result.random_precision_at_k:.1%}, "
                    f"recall@k {result.random_recall_at_k:.1%}",
                    f"  meldingen:    precision@k {result.meldingen_precision_at_k:.1%}, "
                    f"recall@k {result.meldingen_recall_at_k:.1%}",
                    f"  lift over random:    {lift(result.lift_over_random)}",
                    f"  lift over meldingen: {lift(result.lift_over_meldingen)}",
                    f"  ({result.seconds:.1f} s)",
                ]
            )
        )
