"""Baseline for bench_risk.py: the risk engine's address features and score in idiomatic pandas.

The same definitions as ``ketenregie.risk.engine`` (features, rules), written the way one would in
pandas: vectorised column expressions, ``groupby`` and ``merge``, no row-wise ``apply``. Only the
score (and persons, as a check on the features) is returned.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ketenregie.risk.engine import RuleSet, months_before


def _read(directory: Path, table: str, columns: list[str] | None = None) -> pd.DataFrame:
    # Dates as datetime64 (not Python date objects) and booleans with nulls as pandas' nullable
    # boolean, so that every comparison below is vectorised.
    return pq.read_table(directory / f"{table}.parquet", columns=columns).to_pandas(
        date_as_object=False, types_mapper={pa.bool_(): pd.BooleanDtype()}.get
    )


def score_pandas(directory: Path, as_of: dt.date, rules: RuleSet) -> pd.DataFrame:
    day = pd.Timestamp(as_of)
    year_ago = pd.Timestamp(months_before(as_of, 12))
    quarter_ago = pd.Timestamp(months_before(as_of, 3))
    violation_since = pd.Timestamp(months_before(as_of, 24))

    addresses = _read(directory, "addresses")
    res = _read(directory, "residences")
    res = res[(res["starts_on"] <= day) & (res["ends_on"].isna() | (res["ends_on"] > year_ago))]
    starts, ends = res["starts_on"], res["ends_on"]
    open_on = {
        moment: (starts <= moment) & (ends.isna() | (ends > moment))
        for moment in (day, quarter_ago, year_ago)
    }
    departed = ends.notna() & (ends > year_ago) & (ends <= day)
    flags = pd.DataFrame(
        {
            "address_id": res["address_id"],
            "person_id": res["person_id"],
            "now": open_on[day],
            "then_3m": open_on[quarter_ago],
            "then_12m": open_on[year_ago],
            "arrived": starts > year_ago,
            "departed": departed,
            "short": departed & ((ends - starts).dt.days < 90),
            "rni": open_on[day] & (res["source"] == "rni"),
        }
    )
    del res, starts, ends, open_on, departed
    stays = flags.groupby(["address_id", "person_id"], sort=False).max().reset_index()
    del flags
    by_address = stays.drop(columns="person_id").groupby("address_id", sort=False).sum()
    by_address = pd.DataFrame(
        {
            "persons": by_address["now"],
            "persons_change_3m": by_address["now"] - by_address["then_3m"],
            "persons_change_12m": by_address["now"] - by_address["then_12m"],
            "arrivals_12m": by_address["arrived"],
            "departures_12m": by_address["departed"],
            "short_stays": by_address["short"],
            "rni_persons": by_address["rni"],
        }
    )

    employments = _read(directory, "employments")
    current = (employments["starts_on"] <= day) & (
        employments["ends_on"].isna() | (employments["ends_on"] > day)
    )
    jobs = employments.loc[current, ["person_id", "employer_id"]].drop_duplicates()
    employers = _read(directory, "employers", ["employer_id", "is_temp_agency"])
    violations = _read(directory, "violations")
    violating = violations.loc[
        (violations["occurred_on"] > violation_since) & (violations["occurred_on"] <= day), "employer_id"
    ].unique()
    jobs = jobs.merge(employers, on="employer_id", how="left")
    jobs["is_temp_agency"] = jobs["is_temp_agency"].fillna(False).astype(bool)
    jobs["violating"] = jobs["employer_id"].isin(violating)
    residents = stays.loc[stays["now"], ["address_id", "person_id"]]
    homes = residents.merge(jobs, on="person_id")
    pairs = homes[["address_id", "employer_id", "is_temp_agency"]].drop_duplicates()
    employer_counts = pairs.groupby("address_id").agg(
        distinct_employers=("employer_id", "size"), distinct_temp_agencies=("is_temp_agency", "sum")
    )
    violating_residents = (
        homes.loc[homes["violating"], ["address_id", "person_id"]]
        .drop_duplicates()
        .groupby("address_id")
        .size()
        .rename("residents_of_violating_employers")
    )

    housing = _read(directory, "housing")
    mark, permit = housing["mark_valid_until"], housing["permit_valid_until"]
    housing_flags = (
        pd.DataFrame(
            {
                "address_id": housing["address_id"],
                "housing_without_valid_mark": mark.isna() | (mark < day),
                "housing_without_permit": permit.isna() | (permit < day),
                "mark_expiring_90d": (mark >= day) & (mark <= day + pd.Timedelta(days=90)),
            }
        )
        .groupby("address_id")
        .any()
    )

    signals = _read(directory, "signals")
    signals = signals[(signals["received_on"] > year_ago) & (signals["received_on"] <= day)]
    signal_counts = (
        signals.assign(overcrowding=signals["category"] == "overcrowding")
        .groupby("address_id")
        .agg(signals_12m=("overcrowding", "size"), signals_12m_overcrowding=("overcrowding", "sum"))
    )
    findings = _read(directory, "findings")
    findings = findings[findings["found_on"] <= day]
    finding_counts = (
        findings.assign(
            earlier_findings=findings["violation"].fillna(False).astype(int),
            earlier_measures=findings["measure"].fillna(False).astype(int),
        )
        .groupby("address_id")[["earlier_findings", "earlier_measures"]]
        .sum()
    )

    features = addresses.set_index("address_id")
    for part in (
        by_address,
        employer_counts,
        violating_residents,
        housing_flags,
        signal_counts,
        finding_counts,
    ):
        features = features.join(part, how="left")
    counts = [
        *by_address.columns,
        *employer_counts.columns,
        "residents_of_violating_employers",
        *signal_counts.columns,
        *finding_counts.columns,
    ]
    features[counts] = features[counts].fillna(0).astype(np.int64)
    for column in housing_flags.columns:
        features[column] = features[column].fillna(False).astype(bool)
    return _score(features, rules)


def _score(f: pd.DataFrame, rules: RuleSet) -> pd.DataFrame:
    area = f["floor_area_m2"].where(f["floor_area_m2"] > 1)
    persons = f["persons"]
    m2_per_person = (area / persons).where(persons > 0)
    norm = np.where(f["is_caravan"].fillna(False).astype(bool), rules.norm_caravan_m2, rules.norm_m2)
    tenths = np.floor((norm - m2_per_person) * 10 / norm)
    below = (m2_per_person < norm).fillna(False)
    share = (f["short_stays"] / f["departures_12m"]).where(f["departures_12m"] > 0)
    # Nullable boolean: False only where the use purpose is known not to be residential.
    not_residential = f["residential"].eq(False).fillna(False)

    def points(condition: pd.Series | np.ndarray, value: int) -> np.ndarray:
        return np.where(np.asarray(condition, dtype=bool), value, 0)

    contributions = {
        "overcrowding": np.where(
            below, rules.overcrowding_points + rules.overcrowding_points_per_tenth * tenths.fillna(0), 0
        ),
        "many_persons": points(persons >= rules.many_persons_threshold, rules.many_persons_points),
        "growth_3m": points(f["persons_change_3m"] >= rules.growth_3m_threshold, rules.growth_3m_points),
        "growth_12m": points(f["persons_change_12m"] >= rules.growth_12m_threshold, rules.growth_12m_points),
        "turnover": points(
            f["arrivals_12m"] + f["departures_12m"] >= rules.turnover_threshold, rules.turnover_points
        ),
        "short_stays": points(
            (f["departures_12m"] >= rules.short_stays_min_departures)
            & (share >= rules.short_stays_share).fillna(False),
            rules.short_stays_points,
        ),
        "many_employers": points(
            f["distinct_employers"] >= rules.many_employers_threshold, rules.many_employers_points
        ),
        "temp_agencies": points(
            f["distinct_temp_agencies"] >= rules.temp_agencies_threshold, rules.temp_agencies_points
        ),
        "non_residential": points(not_residential & (persons >= 1), rules.non_residential_points),
        "housing_without_mark": points(f["housing_without_valid_mark"], rules.housing_without_mark_points),
        "housing_without_permit": points(f["housing_without_permit"], rules.housing_without_permit_points),
        "mark_expiring": points(f["mark_expiring_90d"], rules.mark_expiring_points),
        "signals": np.minimum(f["signals_12m"] * rules.signals_points_each, rules.signals_max_points),
        "overcrowding_signals": points(f["signals_12m_overcrowding"] >= 1, rules.overcrowding_signals_points),
        "earlier_findings": points(f["earlier_findings"] >= 1, rules.earlier_findings_points),
        "earlier_measures": points(f["earlier_measures"] >= 1, rules.earlier_measures_points),
        "rni_persons": points(f["rni_persons"] >= rules.rni_persons_threshold, rules.rni_persons_points),
        "violating_employers": points(
            f["residents_of_violating_employers"] >= 1, rules.violating_employers_points
        ),
    }
    score = sum(np.asarray(points_, dtype=np.int64) for points_ in contributions.values())
    return (
        pd.DataFrame({"address_id": f.index.to_numpy(), "score": score, "persons": persons.to_numpy()})
        .sort_values(["score", "address_id"], ascending=[False, True], kind="stable")
        .reset_index(drop=True)
    )
