"""The pipeline benchmark's scaling run, told: one line per step and its
figures recorded for make bench's table."""

from __future__ import annotations

import statistics

import summary

BENCHMARK = "pipeline"
PEAK_RSS_LIMIT_MB = 300


def step_line(step, first, alone: float) -> str:
    """`alone`: CPU seconds of one rebuild without a task around it."""
    ratio = step.plants_per_second / first.plants_per_second
    worker = step.worker_cpu_ms
    active = step.database_per_plant("active_time")
    sessions = step.database_per_plant("sessions")
    transactions = step.database_per_plant("xact_commit")
    rss = ", ".join(f"{mb:.0f}" for mb in step.peak_rss_mb.values())
    database = (
        f"PostgreSQL per plant: {active:.1f} ms running statements, "
        f"{sessions:.1f} connections, {transactions:.1f} transactions"
        if active is not None
        else "PostgreSQL statistics n/a"
    )
    return (
        f"  worker × {step.processes}: {step.plants:,} plants "
        + ("converged" if step.converged else "NOT converged")
        + f" in {step.wall:.1f} s: {step.plants_per_second:.1f} plants/s "
        f"({ratio:.2f}× of 1 process); {step.rebuilds} rebuilds"
        f" (queued by the edit's commit in {step.enqueue * 1000:.0f} ms; the "
        f"edit took {step.edit_cpu * 1000:.0f} ms CPU)"
        + (f", {step.deferred} deferred" if step.deferred else "")
        + "; worker CPU per plant "
        + (
            f"{worker:.0f} ms (without a task {alone * 1000:.0f} ms)"
            if worker is not None
            else "n/a"
        )
        + f"; {database}; peak RSS of the pool processes {rss} MB; "
        f"load {step.load:.1f}"
    )


def step_record(step, first, cores: int) -> None:
    """A step's figures, recorded as soon as it ends (with the load then)."""
    label = f"{step.plants:,} plants, worker × {step.processes}"
    summary.record(BENCHMARK, f"{label}: plants/s", step.plants_per_second, "plants/s")
    if step.converged:
        summary.record(BENCHMARK, f"{label}: wall to converge", step.wall, "s")
    if step.worker_cpu_ms is not None:
        summary.record(
            BENCHMARK, f"{label}: worker CPU per plant", step.worker_cpu_ms, "ms"
        )
    active = step.database_per_plant("active_time")
    if active is not None:
        summary.record(
            BENCHMARK, f"{label}: PostgreSQL statement time per plant",
            active, "ms",
        )  # fmt: skip
    if step.processes == 1:
        return
    ratio = step.plants_per_second / first.plants_per_second
    wanted = 0.8 * min(step.processes, cores)
    note = (
        f" ({cores} cores: {step.processes} processes cannot beat {cores})"
        if step.processes > cores
        else ""
    )
    summary.record(
        BENCHMARK,
        f"{label}: plants/s ÷ worker × 1",
        ratio,
        "×",
        f">= {wanted:.1f}×{note}",
        ratio >= wanted and step.converged,
    )


def scale_report(steps, cores: int) -> None:
    first = steps[0]
    summary.record(
        BENCHMARK,
        f"{first.plants:,} plants: the edit's commit queues their rebuilds in",
        statistics.median(step.enqueue for step in steps) * 1000,
        "ms",
    )
    summary.record(
        BENCHMARK,
        f"{first.plants:,} plants: CPU of that edit in the editing process",
        statistics.median(step.edit_cpu for step in steps) * 1000,
        "ms",
    )
    if any(step.processes > cores for step in steps):
        print(
            f"  (this machine has {cores} cores: a worker of more processes "
            f"cannot beat {cores}; run on a bigger machine with --scale-workers)"
        )
    peaks = [mb for step in steps for mb in step.peak_rss_mb.values()]
    if peaks:
        peak = max(peaks)
        print(
            f"peak RSS of a worker pool process during the {first.plants:,}-plant "
            f"runs: {peak:.0f} MB (target < {PEAK_RSS_LIMIT_MB} MB)"
        )
        summary.record(
            BENCHMARK,
            f"worker peak RSS, {first.plants:,} plants",
            peak,
            "MB",
            f"< {PEAK_RSS_LIMIT_MB} MB",
            peak < PEAK_RSS_LIMIT_MB,
        )
