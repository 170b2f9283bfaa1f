"""An administration stops serving a committee while a goal is being placed under that committee's
goal at the administration, at the same moment.

Taking a committee out of ``also_serves`` (``orgunits.services.orgunit_set_serving``) holds the
organisation's lock and asks the goals again under it; placing a goal holds the same lock shared
and asks the unit's bodies again under it. So whichever comes first wins, the other is told why
(400 when its check already saw the winner's write, 409 when only the check under the lock did),
and never does an operational goal break down the goal of a body its unit no longer serves.
Each round, four pairs race: in each, a staff member takes the committee away while a manager adds
the goal, on an administration of its own.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from goals.chain.levels import Level
from goals.chain.workflow import Status
from goals.models import Goal
from orgunits.kinds import Kind
from orgunits.models import OrgUnit
from tests.concurrency.figures import record_and_check
from tests.concurrency.invariants import unserved_breakdowns
from tests.concurrency.racing import WORKERS, Answer, Call, paired, race, rounds
from tests.kit.chain import add_goal
from tests.kit.organisation import add_unit
from tests.kit.people import member_of


@dataclass
class Served:
    """An administration standing under a building committee and also serving an environment
    committee, which has a decided body goal."""

    administration: OrgUnit
    committee: OrgUnit
    goal: Goal
    building_goal: Goal
    draft: Goal  # an operational draft of the administration under the building committee's goal


def serve(group, chain, number: int) -> Served:
    building = add_unit(Kind.COMMITTEE, f"Byggnadsnämnd {number}", group.council)
    committee = add_unit(Kind.COMMITTEE, f"Miljönämnd {number}", group.council)
    administration = add_unit(Kind.ADMINISTRATION, f"Samhällsbyggnadsförvaltning {number}", building)
    administration.also_serves.add(committee)
    goal = add_goal(Level.BODY, f"Renare luft {number}", committee, chain.strategic, status=Status.APPROVED)
    building_goal = add_goal(
        Level.BODY, f"Snabbare bygglov {number}", building, chain.strategic, status=Status.APPROVED
    )
    draft = add_goal(Level.OPERATIONAL, f"Digitala ansökningar {number}", administration, building_goal)
    return Served(administration, committee, goal, building_goal, draft)


@pytest.fixture
def racers(group, staff):
    """Staff to change the organisation and managers of the whole group to add goals, alternating:
    in each pair of ``paired``, the first takes the committee away and the second adds the goal."""
    managers = [member_of(group.council, f"chef{index}") for index in range(WORKERS // 2)]
    return [person for pair in zip(staff, managers, strict=False) for person in pair]


def unserve(item: Served, role: int, wave: int) -> Call:
    return Call(
        "PATCH",
        f"/api/v1/orgunits/{item.administration.slug}/",
        {"also_serves": []},
        intent={"item": item.administration.pk, "step": "unserve"},
    )


def add_under_served_goal(item: Served, role: int, wave: int) -> Call:
    return Call(
        "POST",
        "/api/v1/goals/",
        {
            "unit": item.administration.slug,
            "level": Level.OPERATIONAL,
            "parent": item.goal.pk,
            "title": f"Tillsyn under {item.goal.title}",
        },
        intent={"item": item.administration.pk, "step": "add"},
    )


def take_away_or_add(item: Served, role: int, wave: int) -> Call:
    return (unserve, add_under_served_goal)[role](item, role, wave)


def take_away_or_move(item: Served, role: int, wave: int) -> Call:
    if role == 0:
        return unserve(item, role, wave)
    return Call(
        "PATCH",
        f"/api/v1/goals/{item.draft.pk}/",
        {"parent": item.goal.pk},
        intent={"item": item.administration.pk, "step": "move"},
    )


def messages(answer: Answer) -> str:
    """Every message of an API answer, as one text."""

    def flat(value) -> list[str]:
        if isinstance(value, dict):
            return [text for item in value.values() for text in flat(item)]
        if isinstance(value, list):
            return [text for item in value for text in flat(item)]
        return [str(value)]

    return " ".join(flat(answer.body))


def test_taking_a_committee_away_while_a_goal_is_placed_under_its_goal_leaves_a_consistent_chain(
    group, chain, racers, api_clients, server_tracebacks
):
    items = [serve(group, chain, number) for number in range(rounds())]

    answers = race(api_clients(racers), paired(items, take_away_or_add))

    record_and_check("serving taken away under a new goal", answers, server_tracebacks)
    by_item: dict[int, dict[str, Answer]] = {}
    for answer in answers:
        by_item.setdefault(answer.call.intent["item"], {})[answer.call.intent["step"]] = answer
    for item in items:
        pair = by_item[item.administration.pk]
        unserved, added = pair["unserve"], pair["add"]
        still_served = list(OrgUnit.objects.get(pk=item.administration.pk).also_serves.all())
        placed = list(Goal.objects.filter(org_unit=item.administration, title__startswith="Tillsyn"))
        assert sorted([unserved.verdict, added.verdict]) in (["2xx", "4xx"], ["2xx", "409"]), (
            f"{unserved}\n{added}"
        )
        if unserved.verdict == "2xx":
            # The committee went first: the goal was refused, naming the administration and the
            # committee it no longer serves.
            assert (still_served, placed) == ([], [])
            assert added.verdict == "4xx"
            assert (
                f"“{item.administration.name}” does not stand under “{item.committee.name}”: a goal breaks "
                "down only goals of its own unit or of the units above it."
            ) in messages(added), str(added)
        else:
            # The goal went first: the committee stays served, and whoever tried to take it away
            # is told which goal depends on it.
            assert still_served == [item.committee]
            assert [goal.title for goal in placed] == [added.call.json["title"]]
            assert Goal.objects.get_parent(placed[0]) == item.goal
            assert (
                f"“{item.administration.name}” cannot stop serving these bodies while its goals break down "
                f"their goals: “{added.call.json['title']}”"
            ) in messages(unserved), str(unserved)


def test_the_invariant_finds_a_goal_under_a_committee_no_longer_served(group, chain):
    """The check itself: a committee taken away behind the service's back (the relation written
    directly) leaves a goal that the invariant names."""
    item = serve(group, chain, 1)
    add_goal(Level.OPERATIONAL, "Tillsyn", item.administration, item.goal)
    assert unserved_breakdowns() == []

    item.administration.also_serves.remove(item.committee)

    assert unserved_breakdowns() == [
        f"Tillsyn (#{Goal.objects.get(title='Tillsyn').pk}) at Samhällsbyggnadsförvaltning 1 breaks down a goal "
        "of a body it does not serve"
    ]


def test_taking_a_committee_away_while_a_draft_moves_under_its_goal_leaves_a_consistent_chain(
    group, chain, racers, api_clients, server_tracebacks
):
    """The same race with a goal that exists: a manager moves the administration's draft from the
    building committee's goal to the served committee's goal."""
    items = [serve(group, chain, number) for number in range(rounds())]

    answers = race(api_clients(racers), paired(items, take_away_or_move))

    record_and_check("serving taken away under a moving goal", answers, server_tracebacks)
    by_item: dict[int, dict[str, Answer]] = {}
    for answer in answers:
        by_item.setdefault(answer.call.intent["item"], {})[answer.call.intent["step"]] = answer
    for item in items:
        unserved, moved = by_item[item.administration.pk]["unserve"], by_item[item.administration.pk]["move"]
        still_served = list(OrgUnit.objects.get(pk=item.administration.pk).also_serves.all())
        parent = Goal.objects.get_parent(Goal.objects.get(pk=item.draft.pk))
        assert sorted([unserved.verdict, moved.verdict]) in (["2xx", "4xx"], ["2xx", "409"]), (
            f"{unserved}\n{moved}"
        )
        if unserved.verdict == "2xx":
            # The committee went first: the draft stays where it was, and the mover is told why.
            assert (still_served, parent) == ([], item.building_goal)
            assert moved.verdict == "4xx"
            assert f"“{item.administration.name}” does not stand under “{item.committee.name}”" in messages(
                moved
            ), str(moved)
        else:
            # The move went first: the committee stays served, and the draft is named to whoever
            # tried to take it away.
            assert (still_served, parent) == ([item.committee], item.goal)
            assert (
                f"“{item.administration.name}” cannot stop serving these bodies while its goals break down "
                f"their goals: “{item.draft.title}”"
            ) in messages(unserved), str(unserved)
