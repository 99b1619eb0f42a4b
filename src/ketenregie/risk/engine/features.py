"""Features per address and per employer, computed set-based over whole tables.

Every feature is a column computed by filters, counts and joins over whole tables (no Python loop
over rows), so the same code scores one municipality from the database and the whole country from
Parquet files. polars reads the tables and evaluates the per-row conditions; per-address totals are
counted at the addresses' row positions (``counting``), and ``reference`` holds the same features as
plain polars group-bys, the executable specification both are tested against. Employer features are
polars group-bys (60,000 employers need nothing more).

Everything is evaluated "as of" a reference date: rows dated after it are ignored, and end dates
after it count as "still running", so a past date replays what was known then (for back-tests).
"The last 12 months" is the half-open window (as_of minus 12 calendar months, as_of]; a residence or
employment runs on a day when it started on or before it and ends after it (ends are exclusive).

Address features (one row per row of ``addresses``; null where the input does not allow an answer):

- ``persons``: distinct persons with a residence at the address on ``as_of`` (any source: BRP, RNI,
  employer, self-service, inspection), so people known only to the chain partners count too.
- ``floor_area_m2``, ``m2_per_person``: the BAG floor area and floor area ÷ persons, the
  *bewoningsgraad* of the LAA risk profiles. A floor area that is null or at most 1 m² is unknown
  (placeholders), and so is ``m2_per_person``; it is also null when nobody lives there.
- ``persons_change_3m`` / ``persons_change_12m``: persons now minus persons 3 / 12 calendar months
  earlier; fast growth is how a dwelling turns into lodging.
- ``arrivals_12m`` / ``departures_12m``: distinct persons whose stay at the address began / ended in
  the last 12 months (turnover: the LAA "frequent movers" and "transit address" profiles).
- ``short_stay_share``: of those departures, the share whose stay lasted under 90 days; null when
  there were none. Short stays point at flexible lodging rather than a home.
- ``distinct_employers`` / ``distinct_temp_agencies``: employers (of which temp agencies) that employ
  current residents on ``as_of``; many employers at one address suggests beds let per worker.
- ``non_residential_persons``: persons registered where the BAG use purpose is not residential
  (no *woonfunctie*); null when the use purpose is unknown, flagged by ``residential_unknown``.
- ``housing_without_valid_mark`` / ``housing_without_permit``: a housing location (*logies*) at the
  address lacks a quality mark (SNF/AKF) / permit valid on ``as_of``; ``mark_expiring_90d``: its
  mark is valid now but ends within 90 days.
- ``signals_12m`` / ``signals_12m_overcrowding``: meldingen received in the last 12 months, all and
  in category ``overcrowding``.
- ``earlier_findings`` / ``earlier_measures``: earlier inspections at the address that found a
  violation / led to a measure, ever up to ``as_of``.
- ``rni_persons``: current residents whose residence comes from the RNI (non-resident register):
  people who live here without a BRP registration at this address.
- ``residents_of_violating_employers``: current residents employed on ``as_of`` by an employer with a
  proven violation in the 24 months before.
- ``has_bag_id``, ``is_caravan``, ``neighbourhood_code``: passed on for scoring and ranking.

Nationality is not an input and cannot become a feature.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping
from typing import TypeVar

import polars as pl

from .schema import Frame, conform

SHORT_STAY_DAYS = 90
MARK_EXPIRING_DAYS = 90
VIOLATION_MONTHS = 24
OVERCROWDING_CATEGORY = "overcrowding"
RNI_SOURCE = "rni"

ADDRESS_FEATURE_COLUMNS: tuple[str, ...] = (
    "address_id",
    "neighbourhood_code",
    "persons",
    "floor_area_m2",
    "m2_per_person",
    "persons_change_3m",
    "persons_change_12m",
    "arrivals_12m",
    "departures_12m",
    "distinct_employers",
    "distinct_temp_agencies",
    "short_stay_share",
    "non_residential_persons",
    "residential_unknown",
    "housing_without_valid_mark",
    "housing_without_permit",
    "mark_expiring_90d",
    "signals_12m",
    "signals_12m_overcrowding",
    "earlier_findings",
    "earlier_measures",
    "rni_persons",
    "residents_of_violating_employers",
    "has_bag_id",
    "is_caravan",
)

EMPLOYER_FEATURE_COLUMNS: tuple[str, ...] = (
    "employer_id",
    "workers",
    "housed_workers",
    "housing_locations",
    "workers_per_location",
    "violations_24m",
    "sna_certified",
    "is_temp_agency",
    "signals_12m_at_worker_addresses",
)


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` calendar months earlier, clamped to the end of a shorter month."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def on_day(day: dt.date) -> pl.Expr:
    """A period (starts_on, ends_on) with an exclusive end runs on ``day``."""
    return (pl.col("starts_on") <= day) & (pl.col("ends_on").is_null() | (pl.col("ends_on") > day))


def count_true(expr: pl.Expr) -> pl.Expr:
    return expr.cast(pl.Int64).sum()


def residence_flags(as_of: dt.date) -> dict[str, pl.Expr]:
    """Per residence row: what it says about the address in the last 12 months."""
    year_ago = months_before(as_of, 12)
    quarter_ago = months_before(as_of, 3)
    ended = pl.col("ends_on").is_not_null() & (pl.col("ends_on") > year_ago) & (pl.col("ends_on") <= as_of)
    days = (pl.col("ends_on") - pl.col("starts_on")).dt.total_days()
    return {
        "now": on_day(as_of),
        "then_3m": on_day(quarter_ago),
        "then_12m": on_day(year_ago),
        "arrived": pl.col("starts_on") > year_ago,
        "departed": ended,
        "short": ended & (days < SHORT_STAY_DAYS),
        "rni": on_day(as_of) & (pl.col("source") == RNI_SOURCE),
    }


def relevant_residences(residences: pl.LazyFrame, as_of: dt.date) -> pl.LazyFrame:
    """Residences that matter as of ``as_of``: started by then, and not ended more than 12 months before."""
    year_ago = months_before(as_of, 12)
    return residences.filter(
        (pl.col("starts_on") <= as_of) & (pl.col("ends_on").is_null() | (pl.col("ends_on") > year_ago))
    )


def person_stays(residences: pl.LazyFrame, as_of: dt.date) -> pl.LazyFrame:
    """One row per (address, person) that matters in the last 12 months, with what happened there.

    Grouping per person first makes every count a count of distinct persons: the same person is often
    known at one address from several sources (BRP and the employer), and must count once.
    """
    return (
        relevant_residences(residences, as_of)
        .group_by("address_id", "person_id")
        .agg(**{name: flag.any() for name, flag in residence_flags(as_of).items()})
    )


def housing_flags(as_of: dt.date) -> dict[str, pl.Expr]:
    """Per housing row: no mark valid on ``as_of``, no permit valid on it, a valid mark ending soon."""
    mark = pl.col("mark_valid_until")
    permit = pl.col("permit_valid_until")
    expiring_by = as_of + dt.timedelta(days=MARK_EXPIRING_DAYS)
    return {
        "housing_without_valid_mark": mark.is_null() | (mark < as_of),
        "housing_without_permit": permit.is_null() | (permit < as_of),
        "mark_expiring_90d": (mark >= as_of) & (mark <= expiring_by),
    }


def recent_signals(signals: pl.LazyFrame, as_of: dt.date) -> pl.LazyFrame:
    """Meldingen of the last 12 months: address_id and whether it is about overcrowding."""
    year_ago = months_before(as_of, 12)
    return signals.filter((pl.col("received_on") > year_ago) & (pl.col("received_on") <= as_of)).select(
        "address_id", overcrowding=(pl.col("category") == OVERCROWDING_CATEGORY).fill_null(False)
    )


def earlier_findings(findings: pl.LazyFrame, as_of: dt.date) -> pl.LazyFrame:
    return findings.filter(pl.col("found_on") <= as_of).select(
        "address_id", pl.col("violation", "measure").fill_null(False)
    )


# Counts that are 0, not unknown, when nothing was found for an address.
ADDRESS_COUNTS: tuple[str, ...] = (
    "persons",
    "persons_change_3m",
    "persons_change_12m",
    "arrivals_12m",
    "departures_12m",
    "short_stays",
    "rni_persons",
    "distinct_employers",
    "distinct_temp_agencies",
    "residents_of_violating_employers",
    "signals_12m",
    "signals_12m_overcrowding",
    "earlier_findings",
    "earlier_measures",
)
HOUSING_FLAGS: tuple[str, ...] = ("housing_without_valid_mark", "housing_without_permit", "mark_expiring_90d")


AnyFrame = TypeVar("AnyFrame", pl.DataFrame, pl.LazyFrame)


def finish_address_features(counted: AnyFrame) -> AnyFrame:
    """From the address columns plus ADDRESS_COUNTS and HOUSING_FLAGS to ADDRESS_FEATURE_COLUMNS.

    Shared by both implementations, so the derived features are computed by one formula. (Eager
    frames stay in one chunk per column, which later gathers need to be fast.)
    """
    area = pl.col("floor_area_m2")
    persons = pl.col("persons")
    residential = pl.col("residential")
    return counted.with_columns(
        pl.col(ADDRESS_COUNTS).fill_null(0).cast(pl.Int64),
        pl.col(HOUSING_FLAGS).fill_null(False),
        pl.col("is_caravan", "has_bag_id").fill_null(False),
        # No dwelling measures 1 m² or less: such values are placeholders for "not measured".
        floor_area_m2=pl.when(area > 1).then(area),
    ).select(
        "address_id",
        "neighbourhood_code",
        "persons",
        "floor_area_m2",
        m2_per_person=pl.when(persons > 0).then(pl.col("floor_area_m2") / persons),
        persons_change_3m="persons_change_3m",
        persons_change_12m="persons_change_12m",
        arrivals_12m="arrivals_12m",
        departures_12m="departures_12m",
        distinct_employers="distinct_employers",
        distinct_temp_agencies="distinct_temp_agencies",
        short_stay_share=pl.when(pl.col("departures_12m") > 0).then(
            pl.col("short_stays") / pl.col("departures_12m")
        ),
        non_residential_persons=pl.when(residential.not_()).then(persons).when(residential).then(0),
        residential_unknown=residential.is_null(),
        housing_without_valid_mark="housing_without_valid_mark",
        housing_without_permit="housing_without_permit",
        mark_expiring_90d="mark_expiring_90d",
        signals_12m="signals_12m",
        signals_12m_overcrowding="signals_12m_overcrowding",
        earlier_findings="earlier_findings",
        earlier_measures="earlier_measures",
        rni_persons="rni_persons",
        residents_of_violating_employers="residents_of_violating_employers",
        has_bag_id="has_bag_id",
        is_caravan="is_caravan",
    )


def current_employments(tables: Mapping[str, pl.LazyFrame], as_of: dt.date) -> pl.LazyFrame:
    """(person, employer, is_temp_agency, violating) for every employment running on ``as_of``."""
    since = months_before(as_of, VIOLATION_MONTHS)
    violating = (
        tables["violations"]
        .filter((pl.col("occurred_on") > since) & (pl.col("occurred_on") <= as_of))
        .select("employer_id")
        .unique()
        .with_columns(violating=pl.lit(True))
    )
    return (
        tables["employments"]
        .filter(on_day(as_of))
        .select("person_id", "employer_id")
        .unique()
        .join(tables["employers"].select("employer_id", "is_temp_agency"), on="employer_id", how="left")
        .join(violating, on="employer_id", how="left")
        .with_columns(pl.col("is_temp_agency", "violating").fill_null(False))
    )


def signals_12m(signals: pl.LazyFrame, as_of: dt.date) -> pl.LazyFrame:
    """Meldingen of the last 12 months per address: all, and about overcrowding."""
    return (
        recent_signals(signals, as_of)
        .group_by("address_id")
        .agg(signals_12m=pl.len().cast(pl.Int64), signals_12m_overcrowding=count_true(pl.col("overcrowding")))
    )


def employer_features_lazy(tables: Mapping[str, Frame], as_of: dt.date) -> pl.LazyFrame:
    """Features per employer, as one lazy query.

    - ``workers``: distinct persons employed on ``as_of``.
    - ``housed_workers`` / ``housing_locations``: of those, the ones living on ``as_of`` at an address
      of a housing location, and the number of distinct locations they live at; ``workers_per_location``
      is housed workers ÷ locations (null without locations): crowding across the employer's housing.
    - ``violations_24m``: proven violations in the 24 months up to ``as_of``.
    - ``sna_certified``, ``is_temp_agency``: as registered; an uncertified temp agency is a risk in
      itself (and from 2027 not admitted under the WTTA).
    - ``signals_12m_at_worker_addresses``: meldingen in the last 12 months at the distinct addresses
      where its workers live now.
    """
    t = conform(tables)
    jobs = current_employments(t, as_of).select("person_id", "employer_id")
    residents = (
        t["residences"]
        .filter(on_day(as_of))
        .join(jobs.select("person_id").unique(), on="person_id", how="semi")
        .select("address_id", "person_id")
        .unique()
    )
    homes = jobs.join(residents, on="person_id", how="inner")

    workers = jobs.group_by("employer_id").agg(workers=pl.len().cast(pl.Int64))
    housed = homes.join(t["housing"].select("address_id", "location_id").unique(), on="address_id")
    locations = housed.group_by("employer_id").agg(
        housed_workers=pl.col("person_id").n_unique().cast(pl.Int64),
        housing_locations=pl.col("location_id").n_unique().cast(pl.Int64),
    )
    signals = (
        homes.select("employer_id", "address_id")
        .unique()
        .join(signals_12m(t["signals"], as_of), on="address_id")
        .group_by("employer_id")
        .agg(signals_12m_at_worker_addresses=pl.col("signals_12m").sum())
    )
    since = months_before(as_of, VIOLATION_MONTHS)
    violations = (
        t["violations"]
        .filter((pl.col("occurred_on") > since) & (pl.col("occurred_on") <= as_of))
        .group_by("employer_id")
        .agg(violations_24m=pl.len().cast(pl.Int64))
    )

    joined = t["employers"]
    for part in (workers, locations, signals, violations):
        joined = joined.join(part, on="employer_id", how="left")
    counts = [
        "workers",
        "housed_workers",
        "housing_locations",
        "violations_24m",
        "signals_12m_at_worker_addresses",
    ]
    return joined.with_columns(pl.col(counts).fill_null(0)).select(
        "employer_id",
        "workers",
        "housed_workers",
        "housing_locations",
        workers_per_location=pl.when(pl.col("housing_locations") > 0).then(
            pl.col("housed_workers") / pl.col("housing_locations")
        ),
        violations_24m="violations_24m",
        sna_certified="sna_certified",
        is_temp_agency=pl.col("is_temp_agency").fill_null(False),
        signals_12m_at_worker_addresses="signals_12m_at_worker_addresses",
    )


def address_features(tables: Mapping[str, Frame], as_of: dt.date) -> pl.DataFrame:
    """One row of features per row of ``addresses`` as of ``as_of``, in the addresses' order.

    The module docstring says what each feature means. Residences, meldingen and findings at an
    address_id that is not in ``addresses`` are ignored. ``address_id`` must be unique.
    """
    from .counting import count_address_features

    return count_address_features(tables, as_of)


def employer_features(tables: Mapping[str, Frame], as_of: dt.date) -> pl.DataFrame:
    """One row of features per row of ``employers`` as of ``as_of``, ordered by employer_id."""
    return employer_features_lazy(tables, as_of).sort("employer_id").collect()
