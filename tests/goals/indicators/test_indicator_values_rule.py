"""Who may write an indicator's values (``goals.write_indicator_values``): staff, and the managers
and editors of the units whose goals it measures, or of a unit above them; asked for one indicator
(``has_perm``) and for many at once (``Indicator.objects.writable_by``), with the same answers."""

import pytest
from django.contrib.auth.models import AnonymousUser

from goals.chain.levels import Level
from goals.models import Indicator
from orgunits.models import Membership, OrgUnit
from tests.kit.chain import add_goal
from tests.kit.people import member_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def indicators(chain, cast):
    """An indicator per goal it measures, by name; "none" measures no goal, "two" two of them."""
    care = OrgUnit.objects.get(name="Omsorgsförvaltningen")
    care_body = add_goal(Level.BODY, "En trygg äldreomsorg", chain.group.other_committee, chain.strategic)
    care_goal = add_goal(Level.OPERATIONAL, "Nöjda brukare i äldreboendet", care, care_body)
    measured = {
        "administration": [chain.operational],
        "school": [chain.activity],
        "committee": [chain.body],
        "care": [care_goal],
        "two": [chain.activity, care_goal],
        "none": [],
    }
    made = {}
    for name, goals in measured.items():
        made[name] = Indicator.objects.create(code=name.upper(), name=name)
        made[name].goals.set(goals)
    return made


# Who may write each indicator's values, among the fixed cast of tests/kit/people.py: the manager of
# the education administration (and all under it), the manager of the care administration, the
# editor of the department above the school; the politicians, the secretary and anonymous, none.
WRITERS = {
    "administration": {"admin", "manager_inside"},
    "school": {"admin", "manager_inside", "editor"},
    "committee": {"admin"},  # the committee's own goal: no manager or editor stands above it here
    "care": {"admin", "manager_outside"},
    "two": {"admin", "manager_inside", "editor", "manager_outside"},  # either goal's people
    "none": {"admin"},  # an indicator that measures no goal: staff alone
}


def test_the_rule_for_one_indicator_and_for_many_agree(cast, indicators):
    for who, user in cast.items():
        user = user or AnonymousUser()
        one_by_one = {
            name
            for name, indicator in indicators.items()
            if user.has_perm("goals.write_indicator_values", indicator)
        }
        at_once = {indicator.code.lower() for indicator in Indicator.objects.writable_by(user)}
        annotated = {
            indicator.code.lower()
            for indicator in Indicator.objects.with_writable(user)
            if indicator.writable
        }
        expected = {name for name, writers in WRITERS.items() if who in writers}
        assert (who, one_by_one) == (who, expected)
        assert (who, at_once) == (who, expected)
        assert (who, annotated) == (who, expected)


def test_a_viewer_may_not_write_values(group, indicators):
    viewer = member_of(group.administration, "vera", role="viewer")
    assert list(Indicator.objects.writable_by(viewer)) == []
    assert not viewer.has_perm("goals.write_indicator_values", indicators["administration"])


def test_memberships_at_several_places_add_up(group, indicators):
    care = OrgUnit.objects.get(name="Omsorgsförvaltningen")
    person = member_of(group.school, "sara")
    Membership.objects.create(user=person, org_unit=care, role="editor")
    Membership.objects.create(user=person, org_unit=group.department, role="manager")  # above the school
    assert sorted(Indicator.objects.writable_by(person).values_list("code", flat=True)) == [
        "CARE",
        "SCHOOL",
        "TWO",
    ]


@pytest.mark.parametrize("size", [2, 40])
def test_the_writable_indicators_take_two_queries_however_many(
    chain, cast, indicators, django_assert_num_queries, size
):
    manager = cast["manager_inside"]
    for number in range(size):
        Indicator.objects.create(code=f"I-{number}", name=f"I {number}").goals.set(
            [chain.activity if number % 2 else chain.body]
        )
    # 1. the user's memberships (once, kept on the user), 2. the indicators
    with django_assert_num_queries(2):
        writable = list(Indicator.objects.writable_by(manager))
    assert len(writable) == 3 + size // 2  # "administration", "school", "two" and the school's half
    # The memberships are read once: asking again is the indicators' query alone.
    with django_assert_num_queries(1):
        assert list(Indicator.objects.writable_by(manager)) == writable
