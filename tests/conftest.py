"""The kit's modules are plugins, so their fixtures are found in every test module; see
tests/kit/__init__.py and tests/README.md."""

import pytest

pytest_plugins = [
    "tests.kit.organisation",
    "tests.kit.people",
    "tests.kit.chain",
    "tests.kit.clients",
    "tests.kit.once",
    "tests.kit.instances",
]


def pytest_report_header(config):
    from django.conf import settings

    database = settings.DATABASES["default"]
    return f"database: {database['ENGINE'].rsplit('.', 1)[-1]} {database.get('HOST') or database['NAME']}"


@pytest.fixture(autouse=True)
def _forget_cached_pages(request, django_db_blocker):
    """Each test starts from an empty shared cache (the whole-group pages', orgunits.page_cache): a
    test on the real database commits, and its cached pages would otherwise outlive its data."""
    yield
    if request.node.get_closest_marker("django_db") or {"db", "transactional_db"} & set(request.fixturenames):
        from django.core.cache import cache

        with django_db_blocker.unblock():
            cache.clear()
