"""The targets of issue 21, in one place, and which of them a run of the bench meets.

Times are ratios to the layout page (the sign-in page: the portal's header, menu and footer and
no query) measured in the same run, so that they compare from machine to machine and from a quiet
moment to a busy one; the rest are absolute (queries, milliseconds of SQL and CPU, kilobytes).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    """What a measured row is, which decides the time it is held to."""

    FLOOR = "floor"
    LAYOUT = "layout"
    PAGE = "page"  # a page of up to 100 goals
    WHOLE_GROUP = "whole group"  # a page of the whole group, served from the shared cache
    WHOLE_GROUP_UNCACHED = "whole group, uncached"  # the same, just after a change emptied the cache
    API_LIST = "API list"
    API_CHAIN = "API chain"


@dataclass(frozen=True)
class RatioLimit:
    """The most a row's median (and p95, where the issue sets one) may be, in layouts."""

    median: float
    p95: float | None = None

    def describe(self) -> str:
        return f"≤ {self.median:g}×" + (f", p95 ≤ {self.p95:g}×" if self.p95 else "")


RATIO_LIMITS = {
    Kind.PAGE: RatioLimit(median=6, p95=10),
    Kind.WHOLE_GROUP: RatioLimit(median=2),
    Kind.WHOLE_GROUP_UNCACHED: RatioLimit(median=10),
    Kind.API_LIST: RatioLimit(median=5),
    Kind.API_CHAIN: RatioLimit(median=2),
}
MAX_QUERIES = 12
MAX_SQL_MS = 5.0  # a page's queries together, in the database (EXPLAIN ANALYZE's execution time)
MAX_QUERY_MS = 2.0  # any one query of a page, likewise
MAX_MIX_CPU_MS = 12.0  # the read mix, portal and PostgreSQL together, per request
MIN_THROUGHPUT_SHARE_OF_LAYOUT = 0.25  # the read mix's requests/s against the layout page's
MAX_TREE_TRANSFERRED_KB = 40  # the organisation tree, compressed on the wire
TREE_NAME = "Organisation tree"


def met(condition: bool | None) -> str:
    if condition is None:
        return "not measured"
    return "met" if condition else "**not met**"


def ratio_verdict(row: dict) -> bool | None:
    """Whether a row's times are within its kind's limit; None for a row no limit is set for."""
    limit = RATIO_LIMITS.get(Kind(row["kind"]))
    if limit is None:
        return None
    within = row["median_layout"] <= limit.median
    if limit.p95 is not None:
        within = within and row["p95_layout"] <= limit.p95
    return within


def sql_verdicts(row: dict) -> tuple[bool | None, bool | None]:
    """(its SQL ≤ 5 ms in all, no query over 2 ms), from EXPLAIN ANALYZE; None where not measured."""
    plans = row.get("explain")
    if not plans:
        return None, None
    return plans["execution_ms"] <= MAX_SQL_MS, plans["slowest_ms"] <= MAX_QUERY_MS


def summary_lines(results: dict) -> list[str]:
    """One line per target of the issue: met, or not met and by which rows, with the figures."""
    rows = [row for row in results["pages"] if row["kind"] not in (Kind.FLOOR, Kind.LAYOUT)]
    lines = []
    for kind, limit in RATIO_LIMITS.items():
        of_kind = [row for row in rows if row["kind"] == kind]
        if of_kind:
            lines.append(_line(f"{kind} rows: median {limit.describe()} the layout", of_kind, ratio_verdict))
    lines.append(_line(f"≤ {MAX_QUERIES} queries", rows, lambda row: row["queries"] <= MAX_QUERIES))
    lines.append(
        _line(f"SQL ≤ {MAX_SQL_MS:g} ms per page in the database", rows, lambda row: sql_verdicts(row)[0])
    )
    lines.append(_line(f"no query over {MAX_QUERY_MS:g} ms", rows, lambda row: sql_verdicts(row)[1]))
    mix = results["throughput"]
    cpu = mix["mix_cpu_ms"]
    lines.append(
        f"- the read mix's CPU ≤ {MAX_MIX_CPU_MS:g} ms per request (portal and PostgreSQL): "
        + (f"{cpu:.1f} ms, {met(cpu <= MAX_MIX_CPU_MS)}" if cpu is not None else met(None))
    )
    lines.append(
        f"- the read mix ≥ {MIN_THROUGHPUT_SHARE_OF_LAYOUT:.0%} of the layout page's requests/s: "
        f"{mix['share_of_layout']:.1%}, {met(mix['share_of_layout'] >= MIN_THROUGHPUT_SHARE_OF_LAYOUT)}"
    )
    tree = next((row for row in rows if row["name"] == TREE_NAME), None)
    if tree:
        lines.append(
            f"- the organisation tree ≤ {MAX_TREE_TRANSFERRED_KB} KB on the wire: {tree['transferred_kb']} KB, "
            f"{met(tree['transferred_kb'] <= MAX_TREE_TRANSFERRED_KB)}"
        )
    return lines


def _line(target: str, rows: list[dict], verdict) -> str:
    verdicts = [(row, verdict(row)) for row in rows]
    failing = [row["name"] for row, within in verdicts if within is False]
    unmeasured = [row for row, within in verdicts if within is None]
    if len(unmeasured) == len(verdicts):
        return f"- {target}: {met(None)}"
    if failing:
        return f"- {target}: **not met** by {len(failing)} of {len(verdicts)} ({'; '.join(failing)})"
    return f"- {target}: met by all {len(verdicts) - len(unmeasured)}"
