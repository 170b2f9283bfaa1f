"""Moving, re-kinding or dissolving a unit never silently breaks a steering chain."""

import pytest
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError

from goals.chain.levels import Level
from goals.models import Goal
from orgunits.kinds import Kind
from orgunits.models import OrgUnit
from orgunits.services import orgunit_dissolve
from tests.kit.chain import Chain, add_goal
from tests.kit.organisation import add_unit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_moving_a_unit_out_from_under_its_goals_parents_is_refused_naming_the_goals(chain, group):
    with pytest.raises(ValidationError) as excinfo:
        OrgUnit.objects.move(group.administration, group.board, "last-child")
    assert excinfo.value.messages == [
        f"Moving “Utbildningsförvaltningen” would break the steering chain of these goals: "
        f"“Tidiga insatser i läsning” ({chain.period.year})."
    ]
    group.refresh()
    assert OrgUnit.objects.get_parent(group.administration) == group.committee


def test_moving_a_unit_away_from_the_unit_whose_goal_it_breaks_down_is_refused(chain, group):
    # The school's activity breaks down the department's goal; under another department the
    # department would no longer stand above the school.
    second_department = add_unit(Kind.DEPARTMENT, "Avdelning förskola", group.administration)
    with pytest.raises(ValidationError) as excinfo:
        OrgUnit.objects.move(group.school, second_department, "last-child")
    assert excinfo.value.messages == [
        f"Moving “Västra skolan” would break the steering chain of these goals: "
        f"“Läsveckor i årskurs 1–3” ({chain.period.year})."
    ]


def test_a_move_that_keeps_every_chain_is_allowed(chain, group):
    newcomer = add_unit(Kind.UNIT, "Hagaskolan", group.department)
    add_goal(Level.ACTIVITY, "Läsveckor på Hagaskolan", newcomer, chain.operational)
    OrgUnit.objects.move(newcomer, group.administration, "last-child")
    newcomer.refresh_from_db()
    assert OrgUnit.objects.get_parent(newcomer) == group.administration


def test_a_move_that_changes_the_steering_body_is_refused(chain, group):
    office = add_unit(Kind.DEPARTMENT, "Uthyrning", group.company)
    add_goal(Level.OPERATIONAL, "Kortare kötider", office, chain.company_goal)
    with pytest.raises(ValidationError) as excinfo:
        OrgUnit.objects.move(office, group.subsidiary, "last-child")
    assert excinfo.value.messages == [
        f"Moving “Uthyrning” would break the steering chain of these goals: “Kortare kötider” ({chain.period.year})."
    ]


def test_goals_of_past_years_do_not_hold_a_unit_in_place(group, this_year):
    Chain(group, this_year - 1)
    OrgUnit.objects.move(group.administration, group.board, "last-child")
    group.refresh()
    assert OrgUnit.objects.get_parent(group.administration) == group.board


def test_dissolving_a_unit_with_goals_is_refused_naming_them(chain, group):
    with pytest.raises(ValidationError) as excinfo:
        orgunit_dissolve(unit=group.school)
    assert excinfo.value.messages == [
        "Dissolving “Västra skolan” would leave its goals without a unit that carries them out: "
        f"“Läsveckor i årskurs 1–3” ({chain.period.year})."
    ]
    assert OrgUnit.objects.get(pk=group.school.pk).is_active


def test_a_unit_cannot_change_to_a_kind_that_does_not_set_its_goals(chain, group):
    group.subsidiary.kind = Kind.DEPARTMENT
    with pytest.raises(ValidationError) as excinfo:
        group.subsidiary.full_clean()
    assert excinfo.value.messages == [
        "“Bostäder AB” cannot be of this kind while it has goals that the kind does not set: "
        f"“500 nya hyresrätter” ({chain.period.year})."
    ]


def test_a_goal_keeps_its_unit_from_being_deleted(chain, group):
    with pytest.raises(ProtectedError):
        group.school.delete()
    assert Goal.objects.filter(pk=chain.activity.pk).exists()
