"""A plant's production plan spread over its days: planned load / capacity
per day from daily, weekly and monthly buckets (the calendar's `utilisation`
column). numpy only: it runs on every rebuild."""

import numpy as np

from calendars.models import ProductionPlan


def daily_utilisation(
    lines: dict[str, np.ndarray] | None,
    days: np.ndarray,
    is_working: np.ndarray,
    default: float,
) -> np.ndarray:
    """Planned load / capacity per day.

    A daily bucket is its own day; weekly and monthly buckets spread their load
    and capacity evenly over their working days (so every working day carries
    the bucket's load/capacity ratio and non-working days none). Work centres of
    one bucket add up. Where plans overlap, the newest version wins day by day.
    Working days no plan covers get the plant's default utilisation.

    numpy only (sorts and slices, no pandas groupby): it runs on every rebuild.
    """
    n = len(days)
    utilisation = np.where(is_working, default, 0.0)
    if lines is None or not len(lines["version"]):
        return utilisation
    version, code, first, load, capacity = _buckets(lines)
    month_end = (first.astype("datetime64[M]") + 1).astype("datetime64[D]") - 1
    last = np.where(code == _DAY, first, np.where(code == _WEEK, first + 6, month_end))
    daily = code == _DAY
    lengths = (last - first).astype(np.int64) + 1
    offsets = np.arange(lengths.sum()) - np.repeat(
        np.cumsum(lengths) - lengths, lengths
    )
    day_index = (np.repeat(first, lengths) - days[0]).astype(np.int64) + offsets
    day_version = np.repeat(version, lengths)
    day_daily = np.repeat(daily, lengths)
    day_ratio = np.repeat(load / capacity, lengths)
    inside = (day_index >= 0) & (day_index < n)
    day_index, day_version = day_index[inside], day_version[inside]
    day_daily, day_ratio = day_daily[inside], day_ratio[inside]
    # The newest version wins a day; among equals, the later bucket.
    order = np.argsort(day_version, kind="stable")[::-1]
    index, newest = np.unique(day_index[order], return_index=True)
    newest = order[newest]
    counts = day_daily[newest] | is_working[index]
    utilisation[index] = np.where(counts, day_ratio[newest], 0.0)
    return utilisation


# Buckets are grouped in the order of these codes (the names' order).
_DAY, _MONTH, _WEEK = 0, 1, 2
_GRANULARITY_CODES = {
    ProductionPlan.Granularity.DAY.value: _DAY,
    ProductionPlan.Granularity.MONTH.value: _MONTH,
    ProductionPlan.Granularity.WEEK.value: _WEEK,
}


def _buckets(lines: dict[str, np.ndarray]):
    """The plan's buckets (version, granularity, first day), ordered so, with
    the load and capacity of their work centres added up (compensated
    summation, as pandas' groupby sum does, so the ratios are the same to the
    last bit)."""
    version = np.asarray(lines["version"], dtype=np.int64)
    granularity = np.array(
        [_GRANULARITY_CODES.get(g, 3) for g in lines["granularity"]],
        dtype=np.int64,
    )
    first = np.asarray(lines["bucket_start"], dtype="datetime64[D]")
    load = np.asarray(lines["load"], dtype=float)
    capacity = np.asarray(lines["capacity"], dtype=float)
    order = np.lexsort((first, granularity, version))  # stable: rows keep order
    version, granularity, first = version[order], granularity[order], first[order]
    load, capacity = load[order], capacity[order]
    starts = np.flatnonzero(
        np.concatenate(
            (
                [True],
                (version[1:] != version[:-1])
                | (granularity[1:] != granularity[:-1])
                | (first[1:] != first[:-1]),
            )
        )
    )
    group = np.repeat(np.arange(len(starts)), np.diff(np.append(starts, len(order))))
    rank = np.arange(len(order)) - starts[group]
    load_sum = _kahan_sum(load, group, rank, len(starts))
    capacity_sum = _kahan_sum(capacity, group, rank, len(starts))
    return (
        version[starts],
        granularity[starts],
        first[starts],
        load_sum,
        capacity_sum,
    )


def _kahan_sum(
    values: np.ndarray, group: np.ndarray, rank: np.ndarray, groups: int
) -> np.ndarray:
    total = np.zeros(groups)
    compensation = np.zeros(groups)
    for k in range(int(rank.max()) + 1 if len(rank) else 0):
        at = rank == k
        g = group[at]
        y = values[at] - compensation[g]
        t = total[g] + y
        compensation[g] = t - total[g] - y
        total[g] = t
    return total
