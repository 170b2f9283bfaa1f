"""Eight clients reorganising the trees at once: moves, adds and edits of units and goals.

Every structural change of a tree takes the tree's lock and re-reads its nodes
(``GuardedNodeManager``), and an edit never writes the tree's fields: so however the requests
interleave, each one is answered with a success or a rule's refusal, never a 500, and afterwards
both trees are whole, every node stands where the rules allow, and every acknowledged write shows.
"""

from __future__ import annotations

import random

import pytest

from goals.chain.levels import PARENT_LEVELS, Level
from goals.chain.workflow import Status
from goals.models import Goal
from orgunits.kinds import Kind, placement_error
from orgunits.models import OrgUnit
from tests.concurrency.figures import record_and_check
from tests.concurrency.invariants import Write, acknowledged, parents_by_pk
from tests.concurrency.racing import WORKERS, Call, in_waves, paired, race, rounds
from tests.kit.chain import Chain, add_goal
from tests.kit.organisation import add_unit
from tests.kit.people import member_of

POSITIONS = ("first-child", "last-child", "left", "right", "first-sibling", "last-sibling")
CHILD_POSITIONS = ("first-child", "last-child")


# What the trees hold now, as the lost-write check compares it ------------------------------------


def unit_parents() -> dict:
    units = {unit.pk: unit for unit in OrgUnit.objects.all()}
    return {
        ("parent of unit", units[pk].slug): parent.slug if parent else None
        for pk, parent in parents_by_pk(OrgUnit).items()
    }


def goal_parents() -> dict:
    return {
        ("parent of goal", pk): parent.pk if parent else None for pk, parent in parents_by_pk(Goal).items()
    }


def unit_descriptions() -> dict:
    return {
        ("description of", slug): text for slug, text in OrgUnit.objects.values_list("slug", "description")
    }


def goal_titles() -> dict:
    return {("title of", pk): title for pk, title in Goal.objects.values_list("pk", "title")}


# The calls --------------------------------------------------------------------------------------


def unit_move(unit: OrgUnit, target: OrgUnit, position: str) -> Call:
    return Call(
        "POST",
        f"/api/v1/orgunits/{unit.slug}/move/",
        {"target": target.slug, "position": position},
        intent={
            "kind": "unit move",
            "unit": unit.slug,
            "target": target.slug,
            "position": position,
            "pair": unit.slug,
        },
    )


def random_unit_moves(units: list[OrgUnit], count: int, rng: random.Random) -> list[Call]:
    """Half of them under a unit whose kind the rule table allows (they may still break a goal's
    chain or the table as the others have moved things), half anywhere, in any position."""
    calls = []
    for _ in range(count):
        unit = rng.choice(units)
        fitting = [target for target in units if placement_error(unit, target) is None]
        if fitting and rng.random() < 0.5:
            calls.append(unit_move(unit, rng.choice(fitting), rng.choice(CHILD_POSITIONS)))
        else:
            calls.append(unit_move(unit, rng.choice(units), rng.choice(POSITIONS)))
    return calls


def moved_unit_writes(answers) -> list[Write]:
    """Where each acknowledged move put its unit: under the target, or beside it (under the parent
    the target had then, which the answer says)."""
    moves = [answer for answer in answers if answer.call.intent["kind"] == "unit move"]
    return acknowledged(
        moves,
        key=lambda answer: ("parent of unit", answer.call.intent["unit"]),
        value=lambda answer: (
            answer.call.intent["target"]
            if answer.call.intent["position"] in CHILD_POSITIONS
            else answer.body["parent"]
        ),
    )


def goal_at(administration: OrgUnit, body_goal: Goal) -> Call:
    """An operational goal of the administration, breaking down a body goal."""
    return Call(
        "POST",
        "/api/v1/goals/",
        {
            "unit": administration.slug,
            "level": Level.OPERATIONAL,
            "parent": body_goal.pk,
            "title": f"Mål för {administration.name}",
        },
        intent={"kind": "goal add", "value": body_goal.pk, "pair": administration.slug},
    )


def dissolve(unit: OrgUnit) -> Call:
    return Call(
        "POST", f"/api/v1/orgunits/{unit.slug}/dissolve/", intent={"kind": "unit dissolve", "pair": unit.slug}
    )


def goal_move(goal: Goal, parent: Goal | None) -> Call:
    parent_pk = parent.pk if parent else None
    return Call(
        "PATCH",
        f"/api/v1/goals/{goal.pk}/",
        {"parent": parent_pk},
        intent={"kind": "goal move", "goal": goal.pk, "value": parent_pk},
    )


def fits_level(goal: Goal, parent: Goal | None) -> bool:
    return (parent.level if parent else None) in PARENT_LEVELS[Level(goal.level)]


def random_goal_moves(goals: list[Goal], count: int, rng: random.Random) -> list[Call]:
    """Half of them under a goal of a level it may break down (of any year and unit: some of those
    are refused too), the rest under any goal, or to the top."""
    calls = []
    for _ in range(count):
        goal = rng.choice(goals)
        fitting = [parent for parent in goals if fits_level(goal, parent)]
        if fitting and rng.random() < 0.5:
            calls.append(goal_move(goal, rng.choice(fitting)))
        else:
            calls.append(goal_move(goal, rng.choice([*goals, None])))
    return calls


def moved_goal_writes(answers) -> list[Write]:
    moves = [answer for answer in answers if answer.call.intent["kind"] == "goal move"]
    return acknowledged(moves, key=lambda answer: ("parent of goal", answer.call.intent["goal"]))


# The worlds -------------------------------------------------------------------------------------


def body_goal_of(unit, strategic: Goal, title: str) -> Goal:
    return add_goal(Level.BODY, title, unit, strategic)


def draft_chains(organisation, year: int) -> list[Goal]:
    """This year's chain as drafts, grown through every committee, administration, department and
    unit of the organisation, and next year's chain beside it: drafts may be moved, and a goal of
    one year may not break down a goal of another."""
    chain = Chain(organisation, year, status=Status.DRAFT)
    Chain(organisation, year + 1, status=Status.DRAFT)
    for number in range(1, 4):
        committee = OrgUnit.objects.get(name=f"Nämnd {number}")
        body = body_goal_of(committee, chain.strategic, f"Nämndmål {number}")
        administration = OrgUnit.objects.get(name=f"Förvaltning {number}")
        operational = add_goal(Level.OPERATIONAL, f"Förvaltningsmål {number}", administration, body)
        for department_number in range(1, 3):
            department = OrgUnit.objects.get(name=f"Avdelning {number}.{department_number}")
            department_goal = add_goal(
                Level.OPERATIONAL, f"Avdelningsmål {number}.{department_number}", department, operational
            )
            unit = OrgUnit.objects.get(name=f"Enhet {number}.{department_number}")
            add_goal(Level.ACTIVITY, f"Aktivitet {number}.{department_number}", unit, department_goal)
    add_goal(Level.STRATEGIC, "Trygg och attraktiv kommun", organisation.council, chain.vision)
    body_goal_of(organisation.other_committee, chain.strategic, "Omsorgsnämndens mål")
    return list(Goal.objects.select_related("org_unit", "period").order_by("pk"))


# The scenarios ----------------------------------------------------------------------------------


def test_units_moved_by_eight_admins_at_once_keep_the_tree_whole(
    organisation, chain, staff, api_clients, server_tracebacks
):
    # The approved chain through the group makes some moves break a goal's chain: refused too.
    units = list(OrgUnit.objects.order_by("pk"))
    calls = random_unit_moves(units, 10 * rounds(), random.Random("unit moves"))
    before = unit_parents()

    answers = race(api_clients(staff), in_waves(calls))

    record_and_check(
        "1 org-unit moves",
        answers,
        server_tracebacks,
        writes=moved_unit_writes(answers),
        before=before,
        after=unit_parents(),
    )
    # Both outcomes happened, so the run tried the rules as well as the locks.
    assert {answer.verdict for answer in answers} >= {"2xx", "4xx"}


def test_goals_moved_by_eight_managers_at_once_keep_the_chain_whole(
    organisation, this_year, api_clients, server_tracebacks
):
    goals = draft_chains(organisation, this_year)
    managers = [member_of(organisation.council, f"chef{index}") for index in range(WORKERS)]
    calls = random_goal_moves(goals, 10 * rounds(), random.Random("goal moves"))
    before = goal_parents()

    answers = race(api_clients(managers), in_waves(calls))

    record_and_check(
        "2 goal moves",
        answers,
        server_tracebacks,
        writes=moved_goal_writes(answers),
        before=before,
        after=goal_parents(),
    )
    assert {answer.verdict for answer in answers} >= {"2xx", "4xx"}


def test_moves_adds_and_edits_mixed_lose_nothing_and_break_no_rule(
    organisation, this_year, staff, api_clients, server_tracebacks
):
    """Each wave, the eight clients work on the same few nodes: one edits a unit's description while
    another adds a unit under it; one renames a goal while another adds an activity under it; one
    moves a goal; and three race over a new administration without goals: one moves it to another
    committee, one dissolves it, one adds an operational goal at it under the goal of the committee
    it stood under. Whichever of those three wins, the others must be refused, since each would
    break what the others check."""
    goals = draft_chains(organisation, this_year)
    rng = random.Random("mixed")
    committees = list(OrgUnit.objects.filter(kind=Kind.COMMITTEE).order_by("pk"))
    body_goal = {
        goal.org_unit_id: goal for goal in goals if goal.level == Level.BODY and goal.period.year == this_year
    }
    committees = [committee for committee in committees if committee.pk in body_goal]
    hosts = list(OrgUnit.objects.filter(kind__in=[Kind.ADMINISTRATION, Kind.DEPARTMENT, Kind.COMPANY]))
    operational = [goal for goal in goals if goal.level == Level.OPERATIONAL]
    waves = []
    for wave in range(rounds()):
        home, away = rng.sample(committees, 2)
        fresh = add_unit(Kind.ADMINISTRATION, f"Ny förvaltning {wave}", home)
        host, goal = rng.choice(hosts), rng.choice(operational)
        waves.append(
            [
                Call(
                    "PATCH",
                    f"/api/v1/orgunits/{host.slug}/",
                    {"description": f"Beskrivning {wave}"},
                    intent={"kind": "unit edit", "unit": host.slug, "value": f"Beskrivning {wave}"},
                ),
                Call(
                    "POST",
                    "/api/v1/orgunits/",
                    {"name": f"Enhet i våg {wave}", "kind": Kind.UNIT, "parent": host.slug},
                    intent={"kind": "unit add", "value": host.slug},
                ),
                unit_move(fresh, away, "last-child"),
                goal_at(fresh, body_goal[home.pk]),
                Call(
                    "PATCH",
                    f"/api/v1/goals/{goal.pk}/",
                    {"title": f"Omformulerat mål {wave}"},
                    intent={"kind": "goal edit", "goal": goal.pk, "value": f"Omformulerat mål {wave}"},
                ),
                Call(
                    "POST",
                    "/api/v1/goals/",
                    {
                        "unit": goal.org_unit.slug,
                        "level": Level.ACTIVITY,
                        "parent": goal.pk,
                        "title": f"Aktivitet i våg {wave}",
                    },
                    intent={"kind": "goal add", "value": goal.pk},
                ),
                *random_goal_moves(goals, 1, rng),
                dissolve(fresh),
            ]
        )
    before = unit_parents() | goal_parents() | unit_descriptions() | goal_titles()

    answers = race(api_clients(staff), waves)

    def of_kind(kind):
        return [answer for answer in answers if answer.call.intent["kind"] == kind]

    writes = [
        *moved_unit_writes(answers),
        *moved_goal_writes(answers),
        *acknowledged(
            of_kind("unit edit"), key=lambda answer: ("description of", answer.call.intent["unit"])
        ),
        *acknowledged(of_kind("goal edit"), key=lambda answer: ("title of", answer.call.intent["goal"])),
        # A new node stands where it was added: nothing in this run moves it afterwards.
        *acknowledged(of_kind("unit add"), key=lambda answer: ("parent of unit", answer.body["slug"])),
        *acknowledged(of_kind("goal add"), key=lambda answer: ("parent of goal", answer.body["id"])),
    ]
    after = unit_parents() | goal_parents() | unit_descriptions() | goal_titles()
    record_and_check(
        "3 moves, adds and edits mixed", answers, server_tracebacks, writes=writes, before=before, after=after
    )


@pytest.fixture
def new_administrations(organisation, chain):
    """One new administration per round, without goals yet, under a committee that has a body goal;
    and the body goal of each committee."""
    committees = [organisation.committee, organisation.other_committee]
    committees += [OrgUnit.objects.get(name=f"Nämnd {number}") for number in range(1, 4)]
    body_goals = {organisation.committee.pk: chain.body}
    for committee in committees[1:]:
        body_goals[committee.pk] = body_goal_of(committee, chain.strategic, f"Mål för {committee.name}")
    administrations = [
        add_unit(Kind.ADMINISTRATION, f"Ny förvaltning {number}", committees[number % len(committees)])
        for number in range(rounds())
    ]
    return administrations, committees, body_goals


def both_won(answers) -> list[str]:
    pairs: dict[str, list] = {}
    for answer in answers:
        pairs.setdefault(answer.call.intent["pair"], []).append(answer)
    return [
        "\n".join(map(str, pair)) for pair in pairs.values() if [a.verdict for a in pair].count("2xx") > 1
    ]


def test_a_unit_moved_while_a_goal_is_added_at_it_keeps_the_chain(
    new_administrations, staff, api_clients, server_tracebacks
):
    """One admin moves a new administration to another committee while another adds an operational
    goal at it under its committee's body goal. Each alone is fine; both together would leave the
    goal breaking down the goal of a committee that no longer steers its unit. So one of the two
    must be refused, whichever comes second."""
    administrations, committees, body_goals = new_administrations

    def move_or_add(administration, role, wave):
        home = OrgUnit.objects.get_parent(administration)
        if role == 0:
            return unit_move(administration, next(c for c in committees if c.pk != home.pk), "last-child")
        return goal_at(administration, body_goals[home.pk])

    answers = race(api_clients(staff), paired(administrations, move_or_add))

    record_and_check("3a unit move vs goal add", answers, server_tracebacks)
    assert both_won(answers) == []


def test_a_unit_dissolved_while_a_goal_is_added_at_it_leaves_no_goal_at_a_dissolved_unit(
    new_administrations, staff, api_clients, server_tracebacks
):
    """One admin dissolves a new administration (no units, no goals under it: allowed) while another
    adds an operational goal at it (allowed while it is active). Both together would leave a goal
    of this year at a dissolved unit, which dissolving refuses; so one must be refused."""
    administrations, _committees, body_goals = new_administrations

    def dissolve_or_add(administration, role, wave):
        if role == 0:
            return dissolve(administration)
        return goal_at(administration, body_goals[OrgUnit.objects.get_parent(administration).pk])

    answers = race(api_clients(staff), paired(administrations, dissolve_or_add))

    record_and_check("3b unit dissolve vs goal add", answers, server_tracebacks)
    assert both_won(answers) == []


def test_a_unit_renamed_while_units_are_added_under_it_counts_and_lists_them_all(
    organisation, staff, api_clients, server_tracebacks
):
    """Two clients rename the administration while six add units under it, wave after wave: the
    renames write the name only, never the ``numchild`` they read before the adds."""
    administration = organisation.administration
    clients = api_clients(staff)
    waves = [
        [
            *(
                Call(
                    "PATCH",
                    f"/api/v1/orgunits/{administration.slug}/",
                    {"name": f"Utbildningsförvaltningen {wave}.{index}"},
                    intent={"kind": "rename", "value": f"Utbildningsförvaltningen {wave}.{index}"},
                )
                for index in range(2)
            ),
            *(
                Call(
                    "POST",
                    "/api/v1/orgunits/",
                    {
                        # One name for the wave: the slugs made from it must still come out unique.
                        "name": f"Ny enhet {wave}",
                        "kind": Kind.UNIT if index % 2 else Kind.DEPARTMENT,
                        "parent": administration.slug,
                    },
                    intent={"kind": "add", "value": administration.slug},
                )
                for index in range(WORKERS - 2)
            ),
        ]
        for wave in range(rounds())
    ]
    before = unit_parents() | {("name of", administration.slug): administration.name}

    answers = race(clients, waves)

    renames = [answer for answer in answers if answer.call.intent["kind"] == "rename"]
    adds = [answer for answer in answers if answer.call.intent["kind"] == "add"]
    writes = [
        *acknowledged(renames, key=lambda answer: ("name of", administration.slug)),
        *acknowledged(adds, key=lambda answer: ("parent of unit", answer.body["slug"])),
    ]
    administration.refresh_from_db()
    after = unit_parents() | {("name of", administration.slug): administration.name}
    record_and_check(
        "4 rename while adding under it",
        answers,
        server_tracebacks,
        writes=writes,
        before=before,
        after=after,
    )
    assert {answer.verdict for answer in adds} == {"2xx"}

    # The count, the children the API lists and the units added agree.
    added = {answer.body["slug"] for answer in adds}
    children = clients[0].pages(f"/api/v1/orgunits/{administration.slug}/children/?page_size=500")
    listed = {child["slug"] for child in children}
    assert listed >= added
    assert administration.numchild == len(listed) == OrgUnit.objects.get_children(administration).count()
    # And the next add under it still works, and counts.
    later = clients[0].session.post(
        clients[0].base_url + "/api/v1/orgunits/",
        json={"name": "Enhet efteråt", "kind": Kind.UNIT, "parent": administration.slug},
    )
    assert later.status_code == 201, later.text
    administration.refresh_from_db()
    assert administration.numchild == len(listed) + 1
