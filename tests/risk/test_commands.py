from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from io import StringIO
from pathlib import Path

import polars as pl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ketenregie.risk.models import AddressRiskScore, RiskRun
from tests import factories as f
from tests.risk.conftest import Town


def run(*args: str) -> str:
    out = StringIO()
    call_command("risk", *args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_score_writes_one_row_per_address_and_saves_a_run(town: Town, tmp_path: Path, suffix: str) -> None:
    target = tmp_path / f"scores{suffix}"
    output = run("score", "--municipality", "0599", "--as-of", "2026-11-01", "--out", str(target))
    assert "Saved as run R-" in output
    frame = pl.read_csv(target) if suffix == ".csv" else pl.read_parquet(target)
    assert frame.height == 5
    assert {"rank", "address_id", "address", "score", "explanation", "contributions"} <= set(frame.columns)
    top = frame.row(0, named=True)
    assert top["address_id"] == town.crowded.pk
    assert sum(c["points"] for c in json.loads(top["contributions"])) == top["score"]
    assert frame["score"].to_list() == sorted(frame["score"].to_list(), reverse=True)
    run_ = RiskRun.objects.get()
    assert AddressRiskScore.objects.filter(run=run_).count() == frame.filter(pl.col("score") > 0).height


def test_score_without_saving(town: Town, tmp_path: Path) -> None:
    output = run("score", "--municipality", "0599", "--as-of", "2026-11-01", "--no-save")
    assert "Scored 5 addresses" in output
    assert not RiskRun.objects.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["score", "--municipality", "9999"], "Unknown municipality"),
        (["score", "--municipality", "0599", "--as-of", "2026-13-01"], "is not a date"),
        (["score", "--municipality", "0599", "--out", "scores.txt"], "unknown extension"),
        (["score", "--municipality", "0599", "--out", "/no/such/dir/scores.csv"], "does not exist"),
        (["backtest", "--municipality", "0599", "--k", "0"], "--k must be at least 1"),
        (["backtest", "--municipality", "9999"], "Unknown municipality"),
        (["backtest", "--municipality", "0599", "--as-of", "yesterday"], "is not a date"),
        (["backtest", "--municipality", "0599", "--as-of", "2027-01-01"], "before the end of the window"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(town: Town, args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        run(*args)
    assert not RiskRun.objects.exists()


def test_with_one_municipality_the_option_may_be_left_out(town: Town) -> None:
    assert "Removed 0 runs of Rotterdam" in run("prune")
    f.MunicipalityFactory(code="0637", name="Zoetermeer")
    with pytest.raises(CommandError, match="Name the municipality with --municipality CODE"):
        run("prune")


def test_without_a_municipality_nothing_is_scored(db: None) -> None:
    with pytest.raises(CommandError, match="There is no municipality yet"):
        run("score", "--no-save")


def test_an_unwritable_file_is_refused(town: Town, tmp_path: Path) -> None:
    # A path under a plain file cannot be written, not even by root (as CI runs).
    plain_file = tmp_path / "not-a-directory"
    plain_file.write_text("")
    with pytest.raises(CommandError, match="cannot write"):
        run("score", "--municipality", "0599", "--out", str(plain_file / "scores.csv"))


def test_the_console_script_exits_with_an_error_code() -> None:
    script = Path(sys.executable).with_name("ketenregie")
    result = subprocess.run(
        [str(script), "risk", "score", "--out", "scores.txt"], capture_output=True, text=True, check=False
    )
    assert result.returncode != 0
    assert "unknown extension" in result.stderr


def test_backtest_prints_json_with_the_agreed_keys(town: Town) -> None:
    data = json.loads(run("backtest", "--municipality", "0599", "--k", "2", "--as-of", "2026-10-01",
                          "--window-end", "2026-11-01", "--json"))  # fmt: skip
    assert {"k", "precision_at_k", "recall_at_k", "lift_over_random", "lift_over_meldingen"} <= set(data)
    assert data["k"] == 2
    # The office visited on 22 October with a violation is the only truly violating address.
    assert data["violating"] == 1
    assert data["violating_from_findings"] == 1
    assert data["random_precision_at_k"] == pytest.approx(1 / 5)


def test_prune_removes_old_runs_without_a_list(town: Town) -> None:
    from ketenregie.core.actor import Actor
    from ketenregie.risk import services

    actor = Actor.system(town.crowded.municipality, name="test")
    old = services.risk_run(actor=actor, as_of=dt.date(2024, 1, 1))
    kept = services.risk_run(actor=actor, as_of=dt.date(2024, 1, 2))
    services.control_list_create(actor=actor, run=kept, top_n=1, on=dt.date(2024, 1, 2))
    recent = services.risk_run(actor=actor, as_of=dt.date.today())
    assert "Removed 1 runs" in run("prune", "--municipality", "0599")
    assert set(RiskRun.objects.values_list("pk", flat=True)) == {kept.pk, recent.pk}
    assert not AddressRiskScore.objects.filter(run_id=old.pk).exists()
    with pytest.raises(CommandError, match="at least 30 days"):
        run("prune", "--keep-days", "3")
