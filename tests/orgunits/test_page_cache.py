"""The shared cache of whole-group pages (orgunits.page_cache): what it sees as a change, when the
change takes effect, and the organisation tree read, changed and read again."""

import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse
from django.utils import translation

from orgunits import page_cache
from orgunits.kinds import Kind
from orgunits.models import Membership, OrgUnit
from orgunits.services import orgunit_dissolve
from tests.kit.admin_forms import drag_under, unit_admin_form
from tests.kit.clients import token_client
from tests.kit.organisation import add_unit
from tests.kit.people import member_of

pytestmark = pytest.mark.django_db

TREE = reverse("orgunits:tree")


def tree(client, **params) -> list[tuple[str, int]]:
    """The units the tree shows, each with how deep it stands in the nested lists."""
    html = client.get(TREE, params).content.decode()
    html = html[html.index('<ul class="org-tree"') :]
    depth, shown = 0, []
    for tag, name in re.findall(r'(<ul|</ul>)|<a href="/[^"]*">([^<]*)</a> <span class="kind">', html):
        depth += {"<ul": 1, "</ul>": -1}.get(tag, 0)
        if name:
            shown.append((name, depth))
        if depth == 0:
            return shown
    return shown


def written() -> bool:
    """Whether this connection has marked a write to the group's data since the last page read."""
    return getattr(connection, "whole_group_pages_written", False)


# What counts as a change ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "write",
    [
        pytest.param(lambda group: group.school.save(update_fields=["name"]), id="save"),
        pytest.param(lambda group: OrgUnit.objects.filter(pk=group.school.pk).update(name="X"), id="update"),
        pytest.param(
            lambda group: OrgUnit.objects.bulk_update([group.school], ["short_name"]), id="bulk_update"
        ),
        pytest.param(lambda group: add_unit(Kind.UNIT, "Östra skolan", group.department), id="add_child"),
        pytest.param(
            lambda group: OrgUnit.objects.move(group.school, group.administration, "last-child"),
            id="treebeard move",
        ),
        pytest.param(lambda group: group.school.delete(), id="delete"),
        pytest.param(lambda group: group.administration.also_serves.add(group.other_committee), id="m2m"),
        pytest.param(lambda group: member_of(group.school, "karin"), id="membership"),
        pytest.param(
            lambda group: Membership.objects.bulk_create(
                [Membership(user=get_user_model().objects.create_user("eva"), org_unit=group.school)]
            ),
            id="bulk_create",
        ),
    ],
)
def test_every_write_to_the_groups_data_counts_as_a_change(group, write):
    page_cache.cached(("anything",), lambda: "read")  # a read resets the mark
    assert not written()
    write(group)
    assert written()


def test_a_write_elsewhere_is_no_change(group, django_user_model):
    page_cache.cached(("anything",), lambda: "read")
    django_user_model.objects.create_user("someone", password="x")
    cache.set("another", "value")
    assert not written()


def test_a_raw_statement_counts_too(group):
    page_cache.cached(("anything",), lambda: "read")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE orgunits_orgunit SET name = name WHERE id = %s", [group.school.pk])
    assert written()


@pytest.mark.django_db(transaction=True)
def test_the_generation_changes_when_the_write_is_committed_and_not_before(group):
    before = page_cache.invalidate_whole_group_pages()
    with transaction.atomic():
        OrgUnit.objects.filter(pk=group.school.pk).update(name="Norra skolan")
        # Others still read the generation of the data they see.
        assert cache.get(page_cache.GENERATION_KEY) == before
    committed = cache.get(page_cache.GENERATION_KEY)
    assert committed != before
    with pytest.raises(RuntimeError), transaction.atomic():
        OrgUnit.objects.filter(pk=group.school.pk).update(name="Södra skolan")
        raise RuntimeError
    assert cache.get(page_cache.GENERATION_KEY) == committed  # rolled back: nothing changed


@pytest.mark.django_db(transaction=True)
def test_a_page_read_in_another_transaction_sees_the_committed_change(client, group):
    assert ("Västra skolan", 5) in tree(client)
    OrgUnit.objects.filter(pk=group.school.pk).update(name="Norra skolan")  # autocommit: committed
    connection.whole_group_pages_written = False  # as another instance would: only the commit tells
    assert ("Norra skolan", 5) in tree(client)


def test_the_invalidation_function_forgets_every_page(client, group):
    assert ("Västra skolan", 5) in tree(client)
    # A change the portal cannot see (another program's, with the mark cleared): the cache still shows
    # the old name until told to forget.
    OrgUnit.objects.filter(pk=group.school.pk).update(name="Norra skolan")
    connection.whole_group_pages_written = False
    assert ("Västra skolan", 5) in tree(client)
    page_cache.invalidate_whole_group_pages()
    assert ("Norra skolan", 5) in tree(client)


def test_a_migrate_forgets_every_page(client, group):
    """A release's `migrate` starts a new generation: nothing an older version cached is read."""
    assert ("Västra skolan", 5) in tree(client)
    OrgUnit.objects.filter(pk=group.school.pk).update(name="Norra skolan")
    connection.whole_group_pages_written = False
    call_command("migrate", verbosity=0)
    assert ("Norra skolan", 5) in tree(client)


def test_the_generation_expires_at_a_moment_local_time_can_hold(client, group):
    """A key that never expires is stored as 9999-12-31 UTC, which a reader of the table in
    Stockholm time (a backup's comparison, psql) cannot turn into a date."""
    tree(client)
    table = connection.ops.quote_name(settings.CACHES["default"]["LOCATION"])
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT expires FROM {table} WHERE cache_key = %s", [cache.make_key(page_cache.GENERATION_KEY)]
        )
        (expires,) = cursor.fetchone()
    assert int(str(expires)[:4]) < 9999  # a datetime on PostgreSQL, its text on SQLite


def test_the_key_holds_the_language_and_the_visibility_class(rf, django_user_model):
    anonymous = type("Anonymous", (), {"is_authenticated": False})()
    signed_in = django_user_model(username="x")
    seen = []
    for user in (anonymous, signed_in, anonymous):
        page_cache.cached(
            ("page",), lambda user=user: seen.append(user) or str(user.is_authenticated), user=user
        )
    assert seen == [anonymous, signed_in]  # the third read was the first's, from the cache
    with translation.override("en"):
        assert page_cache.cached(("page",), lambda: "english", user=anonymous) == "english"


# The organisation tree: read, change, read again -------------------------------------------------


def rename(group, client):
    group.school.name = "Norra skolan"
    group.school.save(update_fields=["name"])


def rename_in_the_admin(group, client):
    client.force_login(get_user_model().objects.create_superuser("alva", password="x"))
    response = client.post(
        reverse("admin:orgunits_orgunit_change", args=[group.school.pk]),
        unit_admin_form(group.school, name="Norra skolan", treebeard_ref_node=group.department.pk),
    )
    assert response.status_code == 302, response.content
    client.logout()


def rename_through_the_api(group, client):
    admin = get_user_model().objects.create_superuser("alva", password="x")
    response = token_client(admin).patch(
        reverse("api:orgunit-detail", args=[group.school.slug]), {"name": "Norra skolan"}, format="json"
    )
    assert response.status_code == 200, response.content


@pytest.mark.parametrize("change", [rename, rename_in_the_admin, rename_through_the_api])
def test_a_renamed_unit_shows_its_new_name(client, group, change):
    assert ("Västra skolan", 5) in tree(client)
    change(group, client)
    shown = tree(client)
    assert ("Norra skolan", 5) in shown
    assert "Västra skolan" not in dict(shown)


def test_a_moved_unit_shows_where_it_now_stands(client, group):
    assert ("Västra skolan", 5) in tree(client)
    OrgUnit.objects.move(group.school, group.administration, "last-child")
    assert ("Västra skolan", 4) in tree(client)


def test_a_unit_dragged_in_the_admin_shows_where_it_now_stands(client, admin_client, group):
    assert ("Västra skolan", 5) in tree(client)
    drag_under(admin_client, group.school, group.administration)
    assert ("Västra skolan", 4) in tree(client)


def test_a_dissolved_unit_leaves_the_tree_and_stays_among_the_dissolved(client, group):
    assert ("Västra skolan", 5) in tree(client)
    assert ("Västra skolan", 5) in tree(client, dissolved="1")
    orgunit_dissolve(unit=group.school)
    assert "Västra skolan" not in dict(tree(client))
    assert ("Västra skolan", 5) in tree(client, dissolved="1")


def test_an_added_and_a_deleted_unit(client, group):
    assert "Östra skolan" not in dict(tree(client))
    add_unit(Kind.UNIT, "Östra skolan", group.department)
    assert ("Östra skolan", 5) in tree(client)
    OrgUnit.objects.get(name="Östra skolan").delete()
    assert "Östra skolan" not in dict(tree(client))


def test_the_tree_in_another_language_is_its_own_entry(client, group):
    swedish = client.get(TREE).content.decode()
    english = client.get(TREE, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Enheter under Utbildningsnämnden (1)" in swedish
    assert "Units under Utbildningsnämnden (1)" in english


def test_a_second_read_of_the_tree_is_served_from_the_cache(client, group, django_assert_num_queries):
    # The units (1); a new generation after the fixture's writes (5); the rows stored (5).
    with django_assert_num_queries(11):
        first = tree(client)
    # The generation and the rows, in one query.
    with django_assert_num_queries(1):
        assert tree(client) == first


def test_a_change_replaces_the_entry_instead_of_adding_another(client, group):
    """Each page keeps one entry, recomputed after a change: the entries of old generations do not
    pile up until the cache culls current ones with them."""
    for name in ("Norra skolan", "Södra skolan", "Östra skolan"):
        OrgUnit.objects.filter(pk=group.school.pk).update(name=name)
        assert (name, 5) in tree(client)
    table = connection.ops.quote_name(settings.CACHES["default"]["LOCATION"])
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table} WHERE cache_key LIKE %s", ["%organisation-tree%"])
        assert cursor.fetchone()[0] == 1
