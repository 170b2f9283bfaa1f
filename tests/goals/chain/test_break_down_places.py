"""Breaking a goal down offers exactly what the chain rules accept: every unit and level the form
offers saves, and every other unit and level of the organisation is refused; a goal that nothing
may break down says why instead of offering a form that refuses."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from goals.chain.break_down import places_to_break_down
from goals.chain.levels import GOAL_SETTING_KINDS, Level
from goals.models import Goal
from orgunits.kinds import Kind
from orgunits.models import OrgUnit
from tests.kit.chain import add_goal
from tests.kit.organisation import add_unit
from tests.kit.people import member_of

pytestmark = pytest.mark.django_db

CREATE_URL = reverse("goals:create")


@pytest.fixture
def every_kind(chain, group):
    """The chain, with goals at a joint committee (whose goals the administration also prepares), the
    executive board and the federation too: a goal of every level at every kind that sets goals."""
    joint = add_unit(Kind.JOINT_COMMITTEE, "Gemensamma nämnden för IT", group.council)
    group.administration.also_serves.add(joint)
    strategic = chain.strategic
    return [
        *chain.goals(),
        add_goal(Level.BODY, "Gemensam IT-plattform", joint, strategic, status="approved"),
        add_goal(Level.BODY, "Effektiv styrning", group.board, strategic, status="approved"),
        add_goal(Level.BODY, "Färre bränder", group.federation, strategic, status="approved"),
    ]


def offered(client, parent) -> dict[OrgUnit, list[str]]:
    """The units and levels the break-down form offers, as a person reads them."""
    page = client.get(CREATE_URL, {"parent": parent.pk})
    if page.status_code == 400:  # nowhere: the page says why
        return {}
    form = page.context["form"]
    levels = {value: str(label).lower() for value, label in form.fields["level"].choices}
    units = form.fields["org_unit"]
    if len(levels) == 1:
        return {unit: list(levels) for unit in units.queryset}
    # Each unit labelled with its levels: "Utbildningsförvaltningen (operational goal, activity)".
    return {
        unit: [value for value, label in levels.items() if label in units.label_from_instance(unit)]
        for unit in units.queryset
    }


def saves(client, parent, unit, level) -> bool:
    """Whether the form saves a goal of ``level`` at ``unit`` breaking down ``parent`` (undone after)."""
    with transaction.atomic():
        client.post(
            f"{CREATE_URL}?parent={parent.pk}",
            {"org_unit": unit.pk, "level": level, "parent": parent.pk, "title": "Prövat mål"},
        )
        saved = Goal.objects.filter(title="Prövat mål").exists()
        transaction.set_rollback(True)
    return saved


def test_every_place_offered_saves_and_every_other_is_refused(admin_client, every_kind):
    every_unit = list(OrgUnit.objects.filter(kind__in=GOAL_SETTING_KINDS))
    tried = 0
    for parent in every_kind:
        places = offered(admin_client, parent)
        for unit in every_unit:
            for level in Level:
                expected = level in places.get(unit, [])
                assert saves(admin_client, parent, unit, level) == expected, (parent, unit, level)
                tried += 1
    assert tried == 11 * len(every_unit) * len(Level)
    # Somewhere to break down every goal but the activity and the goals of bodies with nothing under
    # them (the executive board, the federation, the subsidiary): no form for those.
    assert [parent.title for parent in every_kind if not offered(admin_client, parent)] == [
        "Läsveckor i årskurs 1–3",
        "500 nya hyresrätter",
        "Effektiv styrning",
        "Färre bränder",
    ]


def test_a_strategic_goal_is_broken_down_only_into_body_goals_of_the_bodies_under_the_council(
    admin_client, every_kind, group
):
    assert offered(admin_client, every_kind[1]) == {
        unit: ["body"]
        for unit in (
            group.board,
            group.committee,
            group.other_committee,
            group.company,
            group.subsidiary,
            group.federation,
            OrgUnit.objects.get(name="Gemensamma nämnden för IT"),
        )
    }


def test_an_operational_goal_offers_each_unit_the_levels_it_may_set(admin_client, chain, group):
    page = admin_client.get(CREATE_URL, {"parent": chain.operational.pk}, HTTP_ACCEPT_LANGUAGE="en")
    units = page.context["form"].fields["org_unit"]
    assert [units.label_from_instance(unit) for unit in units.queryset] == [
        "Utbildningsförvaltningen (activity)",  # its own operational goal breaks down one above it
        "Avdelning grundskola (operational goal, activity)",
        "Västra skolan (operational goal, activity)",
    ]
    assert "Each unit is shown with the levels its goals may have here." in page.content.decode()


def test_an_activity_is_not_broken_down_and_the_page_says_so(admin_client, chain):
    response = admin_client.get(CREATE_URL, {"parent": chain.activity.pk}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "No goal of any level breaks down “Läsveckor i årskurs 1–3”." in response.content.decode()


def test_a_manager_is_offered_only_their_part_and_what_fits_there(client, chain, group):
    client.force_login(member_of(group.department, "dan"))
    assert offered(client, chain.operational) == {group.department: ["operational", "activity"]} | {
        group.school: ["operational", "activity"]
    }
    client.force_login(member_of(group.school, "sara"))
    # The school sets no body goals: the page says so rather than offer a form that refuses.
    page = client.get(CREATE_URL, {"parent": chain.strategic.pk}, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 400
    assert (
        "“Västra skolan” (unit) cannot set a goal of level “Body goal”. That level is set by:"
        in page.content.decode()
    )
    client.force_login(member_of(group.other_committee, "olle"))  # nowhere in the committee's part
    assert client.get(CREATE_URL, {"parent": chain.body.pk}).status_code == 403


@pytest.mark.parametrize("schools", [1, 30])
def test_working_out_the_places_takes_the_same_queries_however_large_the_organisation(
    chain, group, cast, schools, django_assert_num_queries
):
    for number in range(schools):
        add_unit(Kind.UNIT, f"Skola {number}", group.department)
    admin = cast["admin"]
    body = Goal.objects.select_related("org_unit", "period").get(pk=chain.body.pk)
    with CaptureQueriesContext(connection) as warm_up:
        places_to_break_down(body, user=admin)  # the user's memberships, read once per request
    # The serving administrations of the body, the units, the lines above them, the bodies they serve.
    with django_assert_num_queries(4):
        places = places_to_break_down(body, user=admin)
    assert len(places.levels_by_unit) == 3 + schools
    assert len(warm_up) <= 5
