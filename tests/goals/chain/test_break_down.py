"""Breaking a goal down: the page offers the units of the goal's part of the organisation that the
user may add a goal at, read in a fixed number of queries however many units there are."""

import pytest
from django.urls import reverse

from orgunits.kinds import Kind
from tests.kit.organisation import add_unit
from tests.kit.people import member_of

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("size", [1, 20])
def test_breaking_down_has_the_same_query_count_at_any_size(
    client, chain, group, django_assert_num_queries, size
):
    added = [add_unit(Kind.UNIT, f"Enhet {number}", group.department) for number in range(size)]
    client.force_login(member_of(group.department, "lars.berg", role="editor"))
    # 1: the session, 2: the user, 3: the goal broken down, 4: its part of the organisation, 5: the
    # user's memberships, 6: the lines above its units, 7: the bodies those lines also serve (what
    # the chain rules ask, ``break_down.places_to_break_down``), 8: the units offered, 9: the goal
    # offered as the parent, 10: the owners to choose from, 11: the processes, 12: the count of the
    # menu's to-do list.
    with django_assert_num_queries(12):
        response = client.get(reverse("goals:create"), {"parent": chain.operational.pk})
    offered = set(response.context["form"].fields["org_unit"].queryset)
    assert offered == {group.department, group.school, *added}
