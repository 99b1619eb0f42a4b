"""The address features in their most direct polars formulation: the executable specification.

Every count is a group-by on (address, person) and then on address, joined onto the addresses. It is
kept because it is easy to check against the feature definitions in ``features``; the faster
implementation there (``counting``) must give identical results (tests compare them on random tables).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import polars as pl

from .features import (
    count_true,
    current_employments,
    earlier_findings,
    finish_address_features,
    housing_flags,
    person_stays,
    signals_12m,
)
from .schema import Frame, conform


def address_features_reference(tables: Mapping[str, Frame], as_of: dt.date) -> pl.DataFrame:
    """Reference address features, ordered by address_id."""
    t = conform(tables)
    stays = person_stays(t["residences"], as_of)
    by_address = stays.group_by("address_id").agg(
        persons=count_true(pl.col("now")),
        persons_change_3m=count_true(pl.col("now")) - count_true(pl.col("then_3m")),
        persons_change_12m=count_true(pl.col("now")) - count_true(pl.col("then_12m")),
        arrivals_12m=count_true(pl.col("arrived")),
        departures_12m=count_true(pl.col("departed")),
        short_stays=count_true(pl.col("short")),
        rni_persons=count_true(pl.col("rni")),
    )
    residents = stays.filter(pl.col("now")).select("address_id", "person_id")
    jobs = residents.join(current_employments(t, as_of), on="person_id", how="inner")
    employer_counts = (
        jobs.select("address_id", "employer_id", "is_temp_agency")
        .unique()
        .group_by("address_id")
        .agg(
            distinct_employers=pl.len().cast(pl.Int64),
            distinct_temp_agencies=count_true(pl.col("is_temp_agency")),
        )
    )
    violating_residents = (
        jobs.filter(pl.col("violating"))
        .select("address_id", "person_id")
        .unique()
        .group_by("address_id")
        .agg(residents_of_violating_employers=pl.len().cast(pl.Int64))
    )
    housing = (
        t["housing"]
        .group_by("address_id")
        .agg(**{name: flag.any() for name, flag in housing_flags(as_of).items()})
    )
    findings = (
        earlier_findings(t["findings"], as_of)
        .group_by("address_id")
        .agg(earlier_findings=count_true(pl.col("violation")), earlier_measures=count_true(pl.col("measure")))
    )
    joined = t["addresses"]
    for part in (
        by_address,
        employer_counts,
        violating_residents,
        housing,
        signals_12m(t["signals"], as_of),
        findings,
    ):
        joined = joined.join(part, on="address_id", how="left")
    return finish_address_features(joined).sort("address_id").collect()
