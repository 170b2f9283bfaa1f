"""``bench/targets.py`` and ``bench/report.py``: which of the issue's targets a run meets, as the
report says it, from measured figures made up for the purpose."""

import pytest

from bench.report import report
from bench.targets import Kind, ratio_verdict, sql_verdicts, summary_lines


def row(name: str, kind: Kind = Kind.PAGE, **figures) -> dict:
    """A measured row as bench/run.py's summary() makes it, within every target unless told."""
    return {
        "name": name,
        "path": "/",
        "kind": str(kind),
        "samples": 102,
        "median_ms": 20.0,
        "p95_ms": 30.0,
        "median_layout": 4.0,
        "p95_layout": 6.0,
        "rounds_layout": [3.8, 4.0, 4.4],
        "median_floor": 12.0,
        "p95_floor": 18.0,
        "queries": 10,
        "queries_vary": False,
        "sql_ms": 4.0,
        "slowest_query_ms": 1.0,
        "app_cpu_ms": 8.0,
        "database_cpu_ms": 2.0,
        "kb": 40,
        "transferred_kb": 6,
        "explain": {"execution_ms": 3.0, "slowest_ms": 1.0, "slowest_node": "Index Scan", "slowest_sql": ""},
        **figures,
    }


def results(*pages: dict, **throughput) -> dict:
    return {
        "date": "2026-12-06",
        "machine": {
            "cpu": "A CPU, 2 cores",
            "memory": "8 GiB",
            "python": "3.11",
            "database": "PostgreSQL 15",
        },
        "load_average": {"before": "0.10 0.20 0.30", "after": "1.50 0.60 0.40"},
        "data": {"units": 2000, "goals": 20000, "indicators": 2000, "measurements": 200000, "processes": 40},
        "year": 2026,
        "seed_seconds": 70.0,
        "settings": {
            "workers": 2,
            "clients": 4,
            "duration": 30,
            "rounds": 3,
            "samples": 34,
            "cpu_requests": 30,
        },
        "whole_group_cache": True,
        "floor": row("Floor", Kind.FLOOR, median_ms=1.0, queries=1),
        "layout": row("Layout", Kind.LAYOUT, median_ms=4.0, median_layout=1.0, p95_layout=1.2, queries=0),
        "pages": list(pages),
        "throughput": {
            "floor": 800.0,
            "layout": 300.0,
            "mix": 90.0,
            "share": 90 / 800,
            "share_of_layout": 0.3,
            "mix_cpu_ms": 11.0,
            "client_cores": 0.4,
            **throughput,
        },
        "imports": [],
        "plans": [],
    }


@pytest.mark.parametrize(
    ("kind", "median", "p95", "within"),
    [
        (Kind.PAGE, 6.0, 10.0, True),
        (Kind.PAGE, 6.1, 7.0, False),
        (Kind.PAGE, 5.0, 10.5, False),  # a page of 100 goals is held to its p95 too
        (Kind.WHOLE_GROUP, 2.0, 9.0, True),  # served from the cache: the median alone, ≤ 2×
        (Kind.WHOLE_GROUP, 2.5, 2.6, False),
        (Kind.WHOLE_GROUP_UNCACHED, 9.9, 30.0, True),
        (Kind.API_LIST, 5.1, 5.2, False),
        (Kind.API_CHAIN, 1.9, 3.0, True),
    ],
)
def test_each_kind_of_page_is_held_to_its_own_ratio_to_the_layout(kind, median, p95, within):
    assert ratio_verdict(row("A page", kind, median_layout=median, p95_layout=p95)) is within


def test_sql_is_judged_on_the_database_time_of_explain_and_unmeasured_without_it():
    assert sql_verdicts(row("Fast")) == (True, True)
    slow = row("Slow", explain={"execution_ms": 5.5, "slowest_ms": 2.5, "slowest_node": "Seq Scan"})
    assert sql_verdicts(slow) == (False, False)
    assert sql_verdicts(row("On SQLite", explain=None)) == (None, None)


def test_the_summary_names_the_pages_that_miss_a_target_and_says_met_for_the_others():
    lines = summary_lines(
        results(
            row("Goal page"),
            row("Report", median_layout=7.5, queries=14),
            row("Organisation tree", Kind.WHOLE_GROUP, median_layout=1.5, transferred_kb=41),
        )
    )

    assert "- page rows: median ≤ 6×, p95 ≤ 10× the layout: **not met** by 1 of 2 (Report)" in lines
    assert "- whole group rows: median ≤ 2× the layout: met by all 1" in lines
    assert "- ≤ 12 queries: **not met** by 1 of 3 (Report)" in lines
    assert "- SQL ≤ 5 ms per page in the database: met by all 3" in lines
    assert "- the read mix's CPU ≤ 12 ms per request (portal and PostgreSQL): 11.0 ms, met" in lines
    assert "- the read mix ≥ 25% of the layout page's requests/s: 30.0%, met" in lines
    assert "- the organisation tree ≤ 40 KB on the wire: 41 KB, **not met**" in lines


def test_the_report_gives_each_page_its_ratios_the_spread_of_its_rounds_and_the_load():
    text = report(
        results(row("Goal page", median_ms=24.0, median_layout=6.0, p95_layout=11.0), share_of_layout=0.2)
    )

    assert "Load average (1, 5, 15 min) 0.10 0.20 0.30 before the measuring, 1.50 0.60 0.40 after." in text
    assert (
        "| Goal page | 24.0 ms | 6.0× | 11.0× | 3.8–4.4× | 12.0× | 18.0× | ≤ 6×, p95 ≤ 10× | **not met** |"
        in text
    )
    assert (
        "| Goal page | 10 | 4.0 ms (1.0) | 3.00 ms (1.00) | `Index Scan` | 8.0 + 2.0 ms | 40 KB | 6 KB |"
        in text
    )
    assert "**20.0% of the layout**, target ≥ 25%: **not met**" in text
    assert "locust used 0.40 of a core during the mix." in text
