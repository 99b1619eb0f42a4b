"""The control list: the highest-scoring addresses, overall or per neighbourhood."""

from __future__ import annotations

from collections.abc import Collection

import polars as pl


def rank_control_list(
    scored: pl.DataFrame,
    *,
    top_n: int,
    per_neighbourhood: bool,
    exclude_address_ids: Collection[int] = (),
) -> pl.DataFrame:
    """The ``top_n`` addresses by score (ties: lowest address_id first), with ``rank`` from 1.

    Addresses with score 0 are never listed: nothing points at them, so a visit would be a random
    check. ``exclude_address_ids`` leaves out addresses already on a list or under investigation.
    Per neighbourhood, each neighbourhood (addresses without one form one group) gets its own top N,
    ordered by neighbourhood code and rank.
    """
    if top_n < 0:
        raise ValueError("top_n must not be negative")
    candidates = scored.lazy().filter(pl.col("score") > 0)
    if exclude_address_ids:
        excluded = pl.LazyFrame({"address_id": list(exclude_address_ids)}, schema={"address_id": pl.Int64})
        candidates = candidates.join(excluded, on="address_id", how="anti")
    ordered = candidates.sort(["score", "address_id"], descending=[True, False])
    if per_neighbourhood:
        return (
            ordered.with_columns(rank=(pl.int_range(pl.len()).over("neighbourhood_code") + 1).cast(pl.Int64))
            .filter(pl.col("rank") <= top_n)
            .sort(["neighbourhood_code", "rank"], nulls_last=True)
            .collect()
        )
    return ordered.head(top_n).with_columns(rank=pl.int_range(1, pl.len() + 1, dtype=pl.Int64)).collect()
