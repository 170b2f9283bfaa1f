"""Worlds: what a module's tests act on, over the ``Group``, its ``Chain`` and the fixed cast.

Each builder is a plain function, so that a test module's ``world`` fixture builds it per test and
a matrix class builds it once (``tests.kit.once``):

- ``goals_world(chain, group, cast)`` -> ``World``: drafts of the administration and of the
  department, a body goal submitted to the committee, a process owned by the editor, a target
  group (the web's matrix and the goals' API).
- ``memberships_world(group, cast)`` -> ``MembershipsWorld``: the editor's membership, and "nils",
  who has none yet (the organisation's API).
- ``processes_world(group, cast)`` -> ``ProcessesWorld``: a process owned by the editor, with a
  participant and a target group under another (the processes' API).
- ``follow_up_world(chain)`` -> ``FollowUpWorld``: an indicator with a target, a reviewed and a
  draft follow-up (follow-up's API).
- ``Scene(cast, world)``: a cast and its world together, as a matrix class builds them once.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model

from goals.chain.levels import Level
from goals.chain.services import goal_submit
from goals.follow_up.services import follow_up_review, follow_up_save, follow_up_submit
from goals.models import FollowUp, Goal, Indicator, ReportingPeriod, ReportingPeriodKind, Target
from orgunits.models import Membership
from processes.models import Process, ProcessKind, TargetGroup
from tests.kit.chain import add_goal


@dataclass
class Scene:
    """A cast and the world it acts on, copied together so that they keep sharing objects."""

    cast: dict
    world: object


@dataclass
class World:
    """What the goals' views and endpoints act on: the approved chain, drafts, a submitted goal, a
    process and a target group."""

    chain: object
    group: object
    draft: Goal  # a draft operational goal of the administration
    department_draft: Goal  # a draft operational goal of the department below it
    submitted: Goal  # a body goal of the committee, waiting for the committee's decision
    process: Process  # owned by the committee, its owner the editor
    target_group: TargetGroup


def goals_world(chain, group, cast) -> World:
    draft = add_goal(Level.OPERATIONAL, "Utkast: digitala lärresurser", group.administration, chain.body)
    department_draft = add_goal(Level.OPERATIONAL, "Utkast: skolbibliotek", group.department, draft)
    submitted = add_goal(Level.BODY, "Förskolan ger alla en god start", group.committee, chain.strategic)
    goal_submit(goal=submitted, by=None)
    process = Process.objects.create(
        kind=ProcessKind.MAIN, name="Lärande", owning_unit=group.committee, owner=cast["editor"]
    )
    target_group = TargetGroup.objects.add_root(instance=TargetGroup(name="Invånare", slug="invanare"))
    return World(chain, group, draft, department_draft, submitted, process, target_group)


@dataclass
class MembershipsWorld:
    group: object
    lars: Membership  # the editor's membership, at the department under manager_inside's administration


def memberships_world(group, cast) -> MembershipsWorld:
    get_user_model().objects.create_user("nils", password="x")
    return MembershipsWorld(group, Membership.objects.get(user__username="lars"))


@dataclass
class ProcessesWorld:
    group: object
    process: Process  # owned by the committee, its owner the editor; the company takes part
    residents: TargetGroup
    children: TargetGroup  # under the residents; the process's target group


def processes_world(group, cast) -> ProcessesWorld:
    process = Process.objects.create(
        kind=ProcessKind.MAIN, name="Lärande", owning_unit=group.committee, owner=cast["editor"]
    )
    residents = TargetGroup.objects.add_root(instance=TargetGroup(name="Invånare", slug="invanare"))
    children = TargetGroup.objects.add_child(
        residents, instance=TargetGroup(name="Barn och unga", slug="barn")
    )
    process.participants.set([group.company])
    process.target_groups.set([children])
    return ProcessesWorld(group, process, residents, children)


@dataclass
class FollowUpWorld:
    chain: object
    indicator: Indicator  # measures the operational goal
    target: Target  # the indicator's, this year
    annual: ReportingPeriod
    t1: ReportingPeriod
    reviewed: FollowUp  # the operational goal's, public
    draft: FollowUp  # the committee's body goal's


def reporting_period(chain, kind) -> ReportingPeriod:
    return ReportingPeriod.objects.get(period=chain.period, kind=kind)


def follow_up_world(chain) -> FollowUpWorld:
    indicator = Indicator.objects.create(code="UF-LAS-01", name="Läsförmåga", unit_of_measure="%")
    indicator.goals.set([chain.operational])
    target = Target.objects.create(indicator=indicator, year=chain.period.year, value=80)
    annual = reporting_period(chain, ReportingPeriodKind.ANNUAL)
    reviewed = follow_up_save(
        version=None,
        goal=chain.operational,
        reporting_period=annual,
        by=None,
        attainment="partly",
        commentary="Bättre.",
    )
    follow_up_submit(follow_up=reviewed, by=None)
    follow_up_review(follow_up=reviewed, by=None)
    draft = follow_up_save(
        version=None,
        goal=chain.body,
        reporting_period=annual,
        by=None,
        attainment="achieved",
        commentary="Klart.",
    )
    t1 = reporting_period(chain, ReportingPeriodKind.FOUR_MONTHS)
    return FollowUpWorld(chain, indicator, target, annual, t1, reviewed, draft)
