"""Goals to test against: one period's steering chain through the small ``Group``, placed through
the tree's manager.

- ``add_goal(level, title, unit, parent=None, period=None, **fields)``: one goal (a root, the
  vision, when ``parent`` is None; then ``period`` is needed).
- ``Chain(group, year, status=Status.APPROVED)``: the vision, a strategic goal, the committee's
  body goal, the administration's and the department's operational goals, the school's activity,
  the company's and the subsidiary's body goals (``chain.goals()`` lists them).
- ``grow_chain(chain, size)``: more goals under the administration, for query counts.
- Fixtures: ``this_year``, ``chain`` (approved, this year), ``draft_chain`` (the same as drafts),
  ``workflow_chain`` (drafts under the vision and strategic goal the council decided).
"""

import pytest
from django.utils import timezone

from goals.chain.levels import Level
from goals.chain.workflow import Status
from goals.follow_up.models import FollowUp
from goals.follow_up.workflow import ReviewStatus
from goals.models import Goal, Period, ReportingPeriod, ReportingPeriodKind


def add_goal(
    level: Level, title: str, unit, parent: Goal | None = None, period: Period | None = None, **fields
):
    """Place a new goal through the manager, as every real path does."""
    goal = Goal(level=level, title=title, org_unit=unit, period=period or parent.period, **fields)
    if parent is None:
        return Goal.objects.add_root(instance=goal)
    return Goal.objects.add_child(parent, instance=goal)


class Chain:
    """One period's complete chain through the small group of ``tests.kit.organisation.Group``,
    decided (approved) as a year's plan usually is; ``status`` makes it another status instead."""

    def __init__(self, group, year: int, status: Status = Status.APPROVED):
        self.group = group
        self.period = Period.objects.create(year=year)
        self.vision = add_goal(Level.VISION, "Sjöstad – hållbart och nära", group.council, period=self.period)
        self.strategic = add_goal(Level.STRATEGIC, "Alla barn lyckas i skolan", group.council, self.vision)
        self.body = add_goal(Level.BODY, "Fler elever klarar kunskapskraven", group.committee, self.strategic)
        self.operational = add_goal(
            Level.OPERATIONAL, "Tidiga insatser i läsning", group.administration, self.body
        )
        self.department_goal = add_goal(
            Level.OPERATIONAL, "Läsfrämjande i grundskolan", group.department, self.operational
        )
        self.activity = add_goal(
            Level.ACTIVITY, "Läsveckor i årskurs 1–3", group.school, self.department_goal
        )
        self.company_goal = add_goal(
            Level.BODY, "Koncernen bidrar till bostadsbyggandet", group.company, self.strategic
        )
        self.subsidiary_goal = add_goal(
            Level.BODY, "500 nya hyresrätter", group.subsidiary, self.company_goal
        )
        Goal.objects.filter(period=self.period).update(status=status)
        self.refresh()

    def goals(self) -> list[Goal]:
        return [
            self.vision,
            self.strategic,
            self.body,
            self.operational,
            self.department_goal,
            self.activity,
            self.company_goal,
            self.subsidiary_goal,
        ]

    def refresh(self) -> None:
        for goal in self.goals():
            goal.refresh_from_db()


def grow_chain(chain: Chain, size: int) -> None:
    """Add goals under the chain's administration until the period holds ``size`` goals: every fifth
    an operational goal of the administration under the body goal, the others activities of the
    school under the operational goal before them (the chain's own, first).

    Written in bulk, with the paths, depths and numbers of children that the tree's manager would
    give them one by one: placing hundreds of goals through the manager (lock, read again, ask the
    rules) was most of a query-count test's time, and these goals fit the rules by construction.
    """
    count = Goal.objects.filter(period=chain.period).count()
    body = Goal.objects.get(pk=chain.body.pk)
    parents = [body, Goal.objects.get(pk=chain.operational.pk)]
    last_step = {id(parent): parent.numchild for parent in parents}
    added = []

    def place(goal: Goal, parent: Goal) -> Goal:
        last_step[id(parent)] += 1
        goal.path = Goal._get_path(parent.path, parent.depth + 1, last_step[id(parent)])
        goal.depth, goal.numchild = parent.depth + 1, 0
        added.append(goal)
        return goal

    operational = parents[1]
    # The new goals stand as the chain's own operational goal does.
    fields = {"period": chain.period, "status": chain.operational.status}
    while count < size:
        if count % 5 == 0:
            unit = chain.group.administration
            operational = place(
                Goal(level=Level.OPERATIONAL, title=f"Verksamhetsmål {count}", org_unit=unit, **fields), body
            )
            last_step[id(operational)] = 0
        else:
            unit = chain.group.school
            place(
                Goal(level=Level.ACTIVITY, title=f"Aktivitet {count}", org_unit=unit, **fields), operational
            )
        count += 1
    for goal in added:
        goal.numchild = last_step.get(id(goal), 0)
    Goal.objects.bulk_create(added)
    for parent in parents:
        Goal.objects.filter(pk=parent.pk).update(numchild=last_step[id(parent)])
    for goal in (chain.body, chain.operational):
        goal.refresh_from_db(fields=["numchild"])


def this_year_number() -> int:
    return timezone.localdate().year


@pytest.fixture
def this_year() -> int:
    return this_year_number()


@pytest.fixture
def chain(group, this_year) -> Chain:
    return Chain(group, this_year)


@pytest.fixture
def draft_chain(group, this_year) -> Chain:
    """The chain as drafts, for the workflow that decides them."""
    return Chain(group, this_year, status=Status.DRAFT)


@pytest.fixture
def workflow_chain(draft_chain) -> Chain:
    """The workflow starts from drafts, under the vision and strategic goal the council decided:
    a goal is decided only after the goal it breaks down."""
    council_goals = [draft_chain.vision.pk, draft_chain.strategic.pk]
    Goal.objects.filter(pk__in=council_goals).update(status=Status.APPROVED)
    draft_chain.refresh()
    return draft_chain


def followed_up(
    goal, attainment, status=ReviewStatus.REVIEWED, kind=ReportingPeriodKind.FOUR_MONTHS
) -> FollowUp:
    """A follow-up of ``goal`` in its year's report of ``kind``, graded ``attainment``, at ``status``."""
    return FollowUp.objects.create(
        goal=goal,
        reporting_period=ReportingPeriod.objects.get(period=goal.period, kind=kind),
        attainment=attainment,
        commentary="Enligt plan.",
        status=status,
    )
