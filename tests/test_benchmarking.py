"""The floor view and the timing headers exist for the benchmark only (bench/, settings.BENCHMARK)."""

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db


def test_the_floor_view_is_not_there_unless_benchmarking_is_on(client):
    assert client.get("/bench/floor/").status_code == 404


@override_settings(BENCHMARK=True)
def test_the_floor_view_answers_with_one_query_when_benchmarking(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/bench/floor/")
    assert response.status_code == 200
    assert "Server-Timing" not in response  # the middleware is in the stack only when switched on


def test_the_timing_middleware_tells_the_server_time_and_query_count(client, settings):
    settings.BENCHMARK = True
    settings.MIDDLEWARE = ["styrmodell.benchmarking.ServerTimingMiddleware", *settings.MIDDLEWARE]

    response = client.get("/bench/floor/")

    assert response["X-Query-Count"] == "1"
    assert response["Server-Timing"].startswith("app;dur=")
    assert float(response["Server-Timing"].removeprefix("app;dur=").split(",")[0]) > 0
