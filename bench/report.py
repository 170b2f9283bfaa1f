"""The bench's results as Markdown: ``docs/performance.md``'s table of pages and targets, and the
capacity figures of ``docs/deployment.md``."""

from __future__ import annotations

from bench.targets import (
    MAX_MIX_CPU_MS,
    MAX_QUERIES,
    MIN_THROUGHPUT_SHARE_OF_LAYOUT,
    RATIO_LIMITS,
    Kind,
    met,
    ratio_verdict,
    sql_verdicts,
    summary_lines,
)


def report(results: dict) -> str:
    """The machine, its load and the data, the pages' times against the layout and the floor, what
    each costs (queries, SQL, CPU, bytes), which targets are met, throughput, imports and plans."""
    data, machine_, settings_ = results["data"], results["machine"], results["settings"]
    floor, layout, load = results["floor"], results["layout"], results["load_average"]
    throughput = results["throughput"]
    cache = (
        "The whole-group pages are measured as served from their shared cache, and again as "
        "“uncached”: each request right after a `POST /bench/invalidate/` emptied that cache, as "
        "the first visitor after a change sees them."
        if results["whole_group_cache"]
        else "This build has no cache of the whole-group pages: they are measured uncached, and held "
        "to the uncached target."
    )
    lines = [
        f"Measured on {results['date']} by `make bench` on {machine_['cpu']}, {machine_['memory']}, "
        f"Python {machine_['python']}, {machine_['database']}; gunicorn with {settings_['workers']} workers "
        f"and production settings. Load average (1, 5, 15 min) {load['before']} before the "
        f"measuring, {load['after']} after.",
        "",
        f"Data (`seed_scale`, made in {results['seed_seconds']} s): {data['units']:,} units, "
        f"{data['goals']:,} goals and activities, {data['indicators']:,} indicators, "
        f"{data['measurements']:,} measurements, {data['processes']:,} processes; the pages show "
        f"{results['year']}.",
        "",
        f"Server time in {settings_['rounds']} rounds of {settings_['samples']} requests per page, all "
        "pages shuffled together in each round. The layout alone (the sign-in page: the portal's "
        f"header, menu and footer around a form, {layout['queries']} queries) took a median of "
        f"{layout['median_ms']} ms, {layout['median_floor']}× the floor view's {floor['median_ms']} ms "
        f"(one `SELECT 1`). Each page's median and p95 are divided by the layout's median; "
        "“rounds” gives each round's median against the layout's of the same round, lowest–highest. " + cache,
        "",
        "| Page | Median | Median ÷ layout | p95 ÷ layout | Rounds ÷ layout | Median ÷ floor "
        "| p95 ÷ floor | Target | Met |",
        "|---|---:|---:|---:|---:|---:|---:|:-:|:-:|",
    ]
    for row in results["pages"]:
        limit = RATIO_LIMITS.get(Kind(row["kind"]))
        spread = f"{min(row['rounds_layout']):.1f}–{max(row['rounds_layout']):.1f}×"
        lines.append(
            f"| {row['name']} | {row['median_ms']} ms | {row['median_layout']:.1f}× | {row['p95_layout']:.1f}× "
            f"| {spread} | {row['median_floor']}× | {row['p95_floor']}× "
            f"| {limit.describe() if limit else '–'} | {met(ratio_verdict(row)) if limit else '–'} |"
        )
    lines += [
        "",
        f"What each request costs: queries; the time of its queries as Django waits for them (median, "
        f"with the slowest); the database's own time for them (`EXPLAIN ANALYZE` of each, run once in "
        f"the bench's process, with the slowest and its plan's top node; the plans are in "
        f"`bench/plans.json`); the CPU of one request for the portal and PostgreSQL "
        f"({settings_['cpu_requests']} requests in a row, from `/proc`); and its size, raw and as sent "
        "to a browser accepting gzip and brotli.",
        "",
        "| Page | Queries | SQL (slowest) | In the database (slowest) | Slowest query's plan | CPU app + database "
        "| Size | On the wire | ≤ 12 queries | SQL ≤ 5 ms | No query > 2 ms |",
        "|---|---:|---:|---:|---|---:|---:|---:|:-:|:-:|:-:|",
    ]
    for row in [layout, *results["pages"]]:
        queries = f"{row['queries']}{' (varies)' if row['queries_vary'] else ''}"
        plans = row["explain"]
        database = f"{plans['execution_ms']:.2f} ms ({plans['slowest_ms']:.2f})" if plans else "–"
        node = f"`{plans['slowest_node']}`" if plans and plans["slowest_node"] else "–"
        cpu = (
            f"{row['app_cpu_ms']:.1f} + {row['database_cpu_ms']:.1f} ms"
            if row["database_cpu_ms"] is not None
            else (f"{row['app_cpu_ms']:.1f} ms" if row["app_cpu_ms"] is not None else "–")
        )
        wire = f"{row['transferred_kb']} KB" if row["transferred_kb"] is not None else "–"
        within_sql, within_query = sql_verdicts(row)
        lines.append(
            f"| {row['name']} | {queries} | {row['sql_ms']} ms ({row['slowest_query_ms']}) | {database} | {node} "
            f"| {cpu} | {row['kb']} KB | {wire} | {met(row['queries'] <= MAX_QUERIES)} | {met(within_sql)} "
            f"| {met(within_query)} |"
        )
    mix_cpu = throughput["mix_cpu_ms"]
    lines += [
        "",
        f"Read mix ({settings_['clients']} locust clients, no pause, {settings_['duration']} s each, the "
        "manager's pages above at random): "
        f"{throughput['mix']:.1f} requests/s against the layout page's {throughput['layout']:.1f} "
        f"(**{throughput['share_of_layout']:.1%} of the layout**, target ≥ "
        f"{MIN_THROUGHPUT_SHARE_OF_LAYOUT:.0%}: {met(throughput['share_of_layout'] >= MIN_THROUGHPUT_SHARE_OF_LAYOUT)}) "
        f"and the floor view's {throughput['floor']:.1f} ({throughput['share']:.1%} of the floor); "
        f"{mix_cpu:.1f} ms of CPU per request, portal and PostgreSQL together (target ≤ {MAX_MIX_CPU_MS:g} ms: "
        f"{met(mix_cpu <= MAX_MIX_CPU_MS)}). The clients share the machine's cores with the servers: locust "
        f"used {throughput['client_cores']:.2f} of a core during the mix.",
        "",
        "The targets (`bench/targets.py`), ratios to the layout page of this run:",
        "",
        *summary_lines(results),
        "",
        "| Import | Rows | Rows per second | Peak Python memory |",
        "|---|---:|---:|---:|",
    ]
    for run in results["imports"]:
        lines.append(
            f"| {run['name']} | {run['rows']:,} | {run['rows_per_second']:,.0f} | {run['peak_memory_mb']:.0f} MB |"
        )
    if results["plans"]:
        lines += ["", "Subtree queries on PostgreSQL (`EXPLAIN`, how each table is read):", ""]
        for plan in results["plans"]:
            lines.append(f"- {plan['query']}: `{access_path(plan['plan'])}`")
    return "\n".join(lines)


def capacity_report(results: dict) -> str:
    """The CPU each request costs the application and the database, per mix, as Markdown: the
    figures docs/deployment.md sizes servers from."""
    data, machine_, settings_ = results["data"], results["machine"], results["settings"]
    capacity = results["capacity"]
    lines = [
        f"Measured on {results['date']} by `make bench` on {machine_['cpu']}, {machine_['memory']}, "
        f"Python {machine_['python']}, {machine_['database']}; gunicorn with {settings_['workers']} "
        f"workers (`styrmodell.gunicorn_conf`), production settings; data: {data['units']:,} units, {data['goals']:,} goals and "
        f"activities, {data['indicators']:,} indicators, {data['measurements']:,} measurements (the run "
        "of `docs/performance.md`'s results).",
        "",
        f"Each mix: {settings_['clients']} locust clients without pause for {settings_['duration']} s. "
        "The CPU seconds are read from `/proc/<pid>/stat` (user and system time, with that of ended "
        "children) of the gunicorn master and its workers, and of the PostgreSQL server's processes, "
        "before and after each run; the clients' own CPU is not in them.",
        "",
        "| Mix | Requests | Requests/s (shared machine) | App CPU per request | Requests/s per app core "
        "| Database CPU per request | Requests/s per database core |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    mixes = [
        ("Floor view (one `SELECT 1`)", capacity["floor"]),
        ("The layout alone (the sign-in page, no query)", capacity["layout"]),
        (f"Read mix, signed-in manager ({len(capacity['manager_pages'])} heavy pages)", capacity["manager"]),
    ]
    if capacity["anonymous"]:
        mixes.append(
            (f"Read mix, anonymous visitor ({len(capacity['anonymous_pages'])} pages)", capacity["anonymous"])
        )
    for name, run in mixes:
        database = (
            f"{run['database_cpu_ms_per_request']:.2f} ms | {run['requests_per_database_core_second']:.1f}"
            if run["database_cpu_ms_per_request"] is not None
            else "not measured | not measured"
        )
        lines.append(
            f"| {name} | {run['requests']:,} | {run['per_second']:.1f} | {run['app_cpu_ms_per_request']:.2f} ms "
            f"| {run['requests_per_app_core_second']:.1f} | {database} |"
        )
    lines += ["", "Manager's mix: " + ", ".join(capacity["manager_pages"]) + "."]
    if capacity["anonymous"]:
        lines += [
            "",
            "Anonymous visitor's mix (those it may read): " + ", ".join(capacity["anonymous_pages"]) + ".",
        ]
    else:
        lines += ["", "An anonymous visitor may read none of the heavy pages: no mix of its own."]
    return "\n".join(lines)


def access_path(plan: str) -> str:
    """The plan's lines that read a table, outermost first: an index scan names its index."""
    scans = [line.strip().lstrip("-> ").split("  (cost")[0] for line in plan.splitlines() if "Scan" in line]
    return "; ".join(scans) or plan.splitlines()[0]
