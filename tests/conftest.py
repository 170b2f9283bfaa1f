"""The kit's modules are plugins, so their fixtures are found in every test module; see
tests/kit/__init__.py and tests/README.md."""

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
