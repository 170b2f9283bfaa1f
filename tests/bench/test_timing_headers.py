"""The benchmarking middleware's SQL timing and the cache invalidation endpoint
(``styrmodell/benchmarking.py``), which ``bench/run.py`` reads its SQL figures and uncached rows from."""

import re
import time

import pytest
from django.db import connection
from django.urls import path

from styrmodell import benchmarking

pytestmark = pytest.mark.django_db

TIMING = re.compile(r"^app;dur=(?P<app>[\d.]+), sql;dur=(?P<sql>[\d.]+)$")


@pytest.fixture
def benchmarking_on(settings):
    settings.BENCHMARK = True
    settings.MIDDLEWARE = ["styrmodell.benchmarking.ServerTimingMiddleware", *settings.MIDDLEWARE]


def slow_page(request):
    """A page whose one query sleeps 30 ms in the database, so that its SQL time is known."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_sleep(0.03)")
        else:
            connection.connection.create_function("sleep_30_ms", 0, lambda: time.sleep(0.03))
            cursor.execute("SELECT sleep_30_ms()")
    return benchmarking.floor(request)  # and the floor's SELECT 1


urlpatterns = [path("slow/", slow_page)]


@pytest.mark.urls("tests.bench.test_timing_headers")
def test_a_request_tells_its_sql_time_and_slowest_query_within_its_own_time(client, benchmarking_on):
    response = client.get("/slow/")

    timing = TIMING.match(response["Server-Timing"])
    assert timing, response["Server-Timing"]
    app, sql = float(timing["app"]), float(timing["sql"])
    slowest = float(response["X-Slowest-Query-Ms"])
    assert response["X-Query-Count"] == "2"
    # The sleeping query is the slowest, counted once in the sum, which the request's time contains.
    assert 30 <= slowest <= sql <= app
    assert sql < slowest + 30  # the other query, SELECT 1, takes well under 30 ms


def test_without_benchmarking_no_timing_header_is_added(client):
    response = client.get("/accounts/login/")

    assert response.status_code == 200
    assert "Server-Timing" not in response
    assert "X-Slowest-Query-Ms" not in response
    assert "X-Query-Count" not in response


def test_the_invalidation_endpoint_is_not_there_unless_benchmarking_is_on(client):
    assert client.post("/bench/invalidate/").status_code == 404


def test_the_invalidation_endpoint_empties_the_whole_group_cache(client, benchmarking_on, monkeypatch):
    emptied = []
    monkeypatch.setattr(
        benchmarking, "WHOLE_GROUP_CACHE_INVALIDATION", "tests.bench.test_timing_headers.record_invalidation"
    )
    monkeypatch.setattr("tests.bench.test_timing_headers.INVALIDATIONS", emptied)

    assert client.get("/bench/invalidate/").status_code == 405
    assert emptied == []
    assert client.post("/bench/invalidate/").status_code == 204
    assert emptied == ["whole group"]


def test_without_a_whole_group_cache_the_endpoint_says_so_with_a_404(client, benchmarking_on, monkeypatch):
    monkeypatch.setattr(benchmarking, "WHOLE_GROUP_CACHE_INVALIDATION", "styrmodell.no_such_cache.invalidate")

    assert client.post("/bench/invalidate/").status_code == 404


INVALIDATIONS: list[str] = []


def record_invalidation() -> None:
    INVALIDATIONS.append("whole group")
