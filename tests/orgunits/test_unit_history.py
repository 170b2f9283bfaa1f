"""A unit's history page: who changed the unit, when, why and what, in words a person reads."""

import pytest
from django.urls import reverse

from orgunits.models import OrgUnit
from orgunits.services import orgunit_dissolve
from tests.kit.people import member_of

pytestmark = pytest.mark.django_db


def history_url(unit) -> str:
    return reverse("orgunits:history", args=[unit.slug])


def named(user, first: str, last: str):
    user.first_name, user.last_name = first, last
    user.save()
    return user


def test_a_move_reads_as_what_the_unit_stood_under_with_who_moved_it_and_why(client, group):
    karin = named(member_of(group.board, "karin"), "Karin", "Lind")
    unit = group.administration
    unit._history_user = karin
    OrgUnit.objects.move(unit, group.board, "last-child")
    client.force_login(karin)

    response = client.get(history_url(unit))

    [moved, created] = response.context["entries"]
    assert (moved.changes, moved.reason, moved.version.history_user) == (
        [("Placerad under", "Utbildningsnämnden", "Kommunstyrelsen")],
        "flyttad i trädet",
        karin,
    )
    assert (created.version.history_type, created.changes, created.has_older) == ("+", [], False)
    html = response.content.decode()
    assert "Ändrat (flyttad i trädet)" in html
    assert "<del>Utbildningsnämnden</del>" in html and "<ins>Kommunstyrelsen</ins>" in html
    assert "Karin Lind" in html
    assert unit.path not in html  # no raw tree paths


def test_a_rename_and_dissolving_read_as_words_and_yes_or_no(client, group):
    school = OrgUnit.objects.get(pk=group.school.pk)
    old_name = school.name
    school.name = "Västra skolan F-6"
    school.save()
    orgunit_dissolve(unit=OrgUnit.objects.get(pk=school.pk))
    client.force_login(member_of(group.school, "sara"))

    [dissolved, renamed, _created] = client.get(history_url(school)).context["entries"]

    assert dissolved.changes == [("Aktiv", "Ja", "Nej")]
    assert renamed.changes == [("Namn", old_name, "Västra skolan F-6")]


def test_the_english_page_says_the_same_in_english(client, group):
    OrgUnit.objects.move(group.administration, group.board, "last-child")
    client.force_login(member_of(group.school, "sara"))
    client.cookies["django_language"] = "en"

    [moved, _created] = client.get(history_url(group.administration)).context["entries"]

    assert (moved.changes, moved.reason) == (
        [("Placed under", "Utbildningsnämnden", "Kommunstyrelsen")],
        "moved in the tree",
    )


def test_a_move_among_the_units_under_the_same_one_says_the_order_changed(client, group):
    OrgUnit.objects.move(group.other_committee, group.committee, "left")
    client.force_login(member_of(group.school, "sara"))

    [moved, _created] = client.get(history_url(group.other_committee)).context["entries"]

    assert moved.changes == [
        ("Placerad under", "Kommunfullmäktige", "Kommunfullmäktige, på en annan plats i ordningen")
    ]


def test_the_unit_page_links_to_its_history_for_signed_in_people_only(client, group):
    assert history_url(group.school) not in client.get(group.school.get_absolute_url()).content.decode()
    client.force_login(member_of(group.school, "sara"))
    assert history_url(group.school) in client.get(group.school.get_absolute_url()).content.decode()


def test_an_anonymous_visitor_is_sent_to_sign_in(client, group):
    response = client.get(history_url(group.school))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_an_unknown_unit_is_a_404(client, group):
    client.force_login(member_of(group.school, "sara"))
    assert client.get(reverse("orgunits:history", args=["finns-inte"])).status_code == 404


@pytest.mark.parametrize("moves", [1, 20])
def test_the_history_page_has_the_same_query_count_at_any_length(
    client, group, django_assert_num_queries, moves
):
    unit = group.administration
    for _number in range(moves):
        OrgUnit.objects.move(unit, group.board, "last-child")
        OrgUnit.objects.move(unit, group.committee, "last-child")
        unit.refresh_from_db()
    client.force_login(member_of(group.school, "sara"))
    # 1: the session, 2: the user, 3: the unit, 4: every version with its user, 5: the names of
    # the units it stood under; for the menu's count of the to-do list, 6: the user's
    # memberships, 7: the count.
    with django_assert_num_queries(7):
        response = client.get(history_url(unit))
    assert len(response.context["entries"]) == 2 * moves + 1
