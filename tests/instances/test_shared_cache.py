"""The default cache is one every instance shares, and `migrate` makes its table, so that no
release step can leave an instance without it."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection

pytestmark = pytest.mark.django_db


def test_migrate_makes_the_cache_table_when_it_is_missing():
    table = settings.CACHES["default"]["LOCATION"]
    with connection.cursor() as cursor:  # rolled back with the test's transaction
        cursor.execute(f"DROP TABLE {connection.ops.quote_name(table)}")
    assert table not in connection.introspection.table_names()

    call_command("migrate", verbosity=0)

    cache.set("after-migrate", "ja")
    assert cache.get("after-migrate") == "ja"
