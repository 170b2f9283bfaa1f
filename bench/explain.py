"""What each page's queries cost inside PostgreSQL: ``EXPLAIN (ANALYZE, FORMAT JSON)`` of each.

A page is requested in this process with Django's test client, as the bench's user (the same
session cookie or API token as over HTTP), and its queries captured; each ``SELECT`` is then run
again under ``EXPLAIN ANALYZE``. Its "Execution Time" is the database's own time, without the round
trip, the driver and the fetching of the rows that the middleware's SQL time includes.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import DatabaseError, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


def explain_page(
    path: str, headers: dict[str, str], *, before: Callable[[], None] | None = None
) -> dict | None:
    """The page's queries and their plans: ``{"execution_ms", "slowest_ms", "slowest_node",
    "slowest_sql", "queries": [{"sql", "execution_ms", "plan"}]}``; None except on PostgreSQL.

    The page is requested twice and the second request captured, so that a page served from a
    cache is explained as the measured rounds see it; ``before`` runs before the second (to empty
    the cache, for the uncached rows).
    """
    if connection.vendor != "postgresql":
        return None
    client = Client(HTTP_HOST="127.0.0.1")
    client.get(path, headers=headers)
    if before:
        before()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, headers=headers)
    if response.status_code != 200:
        raise SystemExit(f"bench: {path} answered {response.status_code} in the bench's own process")
    explained = [_explain(query["sql"]) for query in captured.captured_queries if _is_select(query["sql"])]
    if not explained:
        return {"execution_ms": 0.0, "slowest_ms": 0.0, "slowest_node": "", "slowest_sql": "", "queries": []}
    slowest = max(explained, key=lambda query: query["execution_ms"])
    return {
        "execution_ms": round(sum(query["execution_ms"] for query in explained), 3),
        "slowest_ms": round(slowest["execution_ms"], 3),
        "slowest_node": top_node(slowest["plan"]),
        "slowest_sql": slowest["sql"],
        "queries": explained,
    }


def _is_select(sql: str) -> bool:
    # EXECUTE: a statement prepared on the connection (the menu's to-do count, goals/todo.py).
    return sql.lstrip().upper().startswith(("SELECT", "WITH", "EXECUTE"))


def _explain(sql: str) -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}")
            plan = cursor.fetchone()[0][0]
    except DatabaseError as error:  # Reported with the page, never a reason to stop the run.
        return {"sql": sql, "execution_ms": 0.0, "plan": {"Plan": {"Node Type": f"not explained: {error}"}}}
    return {"sql": sql, "execution_ms": plan["Execution Time"], "plan": plan}


def top_node(plan: dict) -> str:
    """The plan's outermost node that reads or joins rows, below any Limit, Sort or Aggregate that
    only passes them on, named with its table and index: "Index Scan using x on goals_goal"."""
    node = plan["Plan"]
    while node.get("Node Type") in {
        "Limit",
        "Sort",
        "Aggregate",
        "Unique",
        "Result",
        "Gather",
        "Materialize",
    } and (node.get("Plans")):
        node = node["Plans"][0]
    name = node.get("Node Type", "?")
    if "Index Name" in node:
        name += f" using {node['Index Name']}"
    if "Relation Name" in node:
        name += f" on {node['Relation Name']}"
    return name
