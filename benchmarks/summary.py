"""One line per figure for `make bench`'s summary table.

A benchmark calls `record(...)` for every figure that has a target (and for
the baselines printed beside them). `run_all.py` sets OFFPEAK_BENCH_SUMMARY to
a file; each record is appended there as one JSON line, with the load average
at the moment it was measured, and run_all prints them all in one table at the
end. Run alone (no OFFPEAK_BENCH_SUMMARY), a benchmark records nothing extra.
"""

from __future__ import annotations

import json
import math
import os

VARIABLE = "OFFPEAK_BENCH_SUMMARY"


def record(
    benchmark: str,
    figure: str,
    value: float,
    unit: str,
    target: str = "",
    met: bool | None = None,
) -> None:
    """`target` in words ("<= 15 ms", ">= 50 % of /healthz"); `met` None for a
    figure shown for comparison only (a baseline, a floor)."""
    path = os.environ.get(VARIABLE)
    if not path:
        return
    line = {
        "benchmark": benchmark,
        "figure": figure,
        "value": float(value),
        "unit": unit,
        "target": target,
        "met": met,
        "load": round(os.getloadavg()[0], 2),
    }
    with open(path, "a", encoding="utf-8") as out:
        out.write(json.dumps(line, ensure_ascii=False) + "\n")


def read(path: str) -> list[dict]:
    try:
        with open(path, encoding="utf-8") as lines:
            return [json.loads(line) for line in lines if line.strip()]
    except FileNotFoundError:
        return []


def table(rows: list[dict]) -> str:
    """The summary table: figure, value, target, met/missed, load average."""
    header = ("benchmark", "figure", "value", "target", "verdict", "load")
    body = [
        (
            r["benchmark"],
            r["figure"],
            f"{r['value']:,.{_decimals(r['value'])}f} {r['unit']}".strip(),
            r["target"] or "-",
            {True: "met", False: "MISSED", None: "-"}[r["met"]],
            f"{r['load']:.1f}",
        )
        for r in rows
    ]
    widths = [
        max(len(str(c)) for c in column) for column in zip(header, *body, strict=True)
    ]
    lines = [
        "  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True))
        for row in (header, tuple("-" * w for w in widths), *body)
    ]
    return "\n".join(lines)


def _decimals(value: float) -> int:
    magnitude = abs(value)
    if not math.isfinite(magnitude):
        return 0
    if magnitude >= 100 or magnitude == int(magnitude):
        return 0
    return 1 if magnitude >= 10 else 2
