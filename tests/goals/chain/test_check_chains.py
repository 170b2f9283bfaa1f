"""``manage.py check_chains`` finds what the workflow and the tree's lock never make, in older data."""

import pytest
from django.core.management import CommandError, call_command

from goals.chain.workflow import Status
from goals.models import Goal
from orgunits.models import OrgUnit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_whole_chains_pass(chain, capsys):
    call_command("check_chains")
    assert capsys.readouterr().out == "The organisation tree and every goal chain are whole.\n"


def test_a_decided_goal_under_an_undecided_one_is_named(chain, capsys):
    # As a committee could once approve its goal while the council's goal above it was only submitted.
    Goal.objects.filter(pk=chain.strategic.pk).update(status=Status.RETURNED)
    with pytest.raises(CommandError, match=r"2 problems found\."):
        call_command("check_chains")
    year = chain.period.year
    assert capsys.readouterr().err.splitlines() == [
        f"“{goal}” ({year}) is approved, but breaks down “Alla barn lyckas i skolan”, which is sent back."
        for goal in ("Fler elever klarar kunskapskraven", "Koncernen bidrar till bostadsbyggandet")
    ]


def test_a_wrong_number_of_children_is_named(chain, group, capsys):
    # What a stale save wrote back before edits stopped writing tree fields.
    OrgUnit.objects.filter(pk=group.committee.pk).update(numchild=12)
    with pytest.raises(CommandError, match=r"1 problem found\."):
        call_command("check_chains")
    assert capsys.readouterr().err == (
        f"organisation units: the wrong number of children at {group.committee.pk}\n"
    )
