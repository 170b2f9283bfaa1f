"""The plan PostgreSQL chooses for a query, for the tests that hold a query to the index it was made
for (``tests/*/test_*plans.py``; docs/performance.md has the timings at the default scale)."""

from django.db import connection, transaction


def plan_of(queryset, *tables: str, sort: bool = True, verbose: bool = False) -> str:
    """``queryset``'s plan (``EXPLAIN``) once ``tables`` have fresh statistics, whether or not
    autovacuum has taken the test's rows. A test's tables are so small that the planner reads them
    whole by choice, so sequential scans are forbidden, and sorts too unless ``sort``: what remains
    shows what an index can do."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {', '.join(tables)}")
        cursor.execute("SET LOCAL enable_seqscan = off")
        if not sort:
            cursor.execute("SET LOCAL enable_sort = off")
        return queryset.explain(verbose=verbose)
