"""Summaries the benchmark scripts print: median, p95, n and the spread (min–max) of a list of timings."""

from __future__ import annotations

import statistics


def percentile(values: list[float], fraction: float) -> float:
    """The value below which ``fraction`` of the sorted values lie (nearest rank)."""
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(fraction * len(ordered) + 0.5) - 1))
    return ordered[rank]


def summary(values: list[float], unit: str = "ms", p95: bool = True) -> str:
    """``median X ms, p95 Y ms, n=N, spread MIN–MAX ms`` (p95 left out with ``p95=False``)."""
    median = statistics.median(values)
    text = f"median {median:.1f} {unit}"
    if p95:
        text += f", p95 {percentile(values, 0.95):.1f} {unit}"
    return f"{text}, n={len(values)}, spread {min(values):.1f}–{max(values):.1f} {unit}"
