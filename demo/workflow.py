"""This year's goals still on their way to a decision, so that the demo shows the workflow in motion:
a committee goal awaiting the committee's decision (in the chair's queue, ``eva.berg``), an activity
sent back with the reason (on its school manager's My goals, ``sara.ek``), and a draft. Each goal is
written through the portal's own services, as a person would, and only once: a goal already in the
chain, whatever became of it since, is left as it is.

None of them is a gap of the chain's health page: its findings are about decided goals.
"""

from __future__ import annotations

from dataclasses import dataclass

from demo.goals import DemoGoal, activity, body
from goals.chain.services import goal_return, goal_save, goal_submit
from goals.models import Goal, Period
from processes.models import Process


@dataclass(frozen=True)
class GoalInMotion:
    goal: DemoGoal
    parent: str  # the title of the decided goal it breaks down
    written_by: str  # the demo user who drafts it, and submits it unless it stays a draft
    submitted: bool = False
    returned_by: str = ""  # the demo user who decides it and sends it back
    return_comment: str = ""


AWAITING_DECISION = GoalInMotion(
    body(
        "utbildningsnamnden",
        "Alla elever känner sig trygga i skolan",
        description=(
            "Andelen elever i årskurs 5 och 9 som känner sig trygga i skolan ska öka, enligt "
            "skolenkäten. Förvaltningen tar fram en plan mot kränkande behandling med elevhälsan."
        ),
        owner="karin.lind",
    ),
    parent="Alla barn och unga får en god start i livet och lyckas i skolan",
    written_by="karin.lind",
    submitted=True,
)
SENT_BACK = GoalInMotion(
    activity("vastra-skolan", "Läsfaddrar från årskurs 6 i årskurs 1", (9, 12), 0, "sara.ek"),
    parent="Alla elever i årskurs 3 läser med flyt",
    written_by="sara.ek",
    submitted=True,
    returned_by="karin.lind",
    return_comment=(
        "Ange hur många elever som får en läsfadder och vem som samordnar arbetet, "
        "så kan förvaltningen besluta aktiviteten."
    ),
)
DRAFT = GoalInMotion(
    activity("vastra-skolan", "Bokcirkel för vårdnadshavare", (10, 12), 0, "sara.ek"),
    parent="Alla elever i årskurs 3 läser med flyt",
    written_by="sara.ek",
)
IN_MOTION = (AWAITING_DECISION, SENT_BACK, DRAFT)


def seed_goals_in_motion(*, period: Period, units: dict, users: dict) -> int:
    """Write the goals of ``IN_MOTION`` that ``period`` does not hold yet. Returns how many."""
    existing = set(
        Goal.objects.filter(period=period, title__in=[spec.goal.title for spec in IN_MOTION]).values_list(
            "org_unit__slug", "title"
        )
    )
    created = 0
    for spec in IN_MOTION:
        if (spec.goal.unit, spec.goal.title) in existing:
            continue
        _write(spec, period=period, units=units, users=users)
        created += 1
    return created


def _write(spec: GoalInMotion, *, period: Period, units: dict, users: dict) -> None:
    parent = Goal.objects.get(period=period, title=spec.parent)
    start_date, due_date = spec.goal.dates(period.year)
    author = users[spec.written_by]
    goal = Goal(
        period=period,
        org_unit=units[spec.goal.unit],
        level=spec.goal.level,
        title=spec.goal.title,
        description=spec.goal.description,
        owner=users[spec.goal.owner],
        start_date=start_date,
        due_date=due_date,
        progress=spec.goal.progress,
    )
    goal._history_user = author  # the history says who wrote it, as it does of a goal made in a form
    # It serves what the goal it breaks down serves, as the form offers.
    goal = goal_save(goal=goal, parent=parent, processes=list(Process.objects.filter(goals=parent)))
    if spec.submitted:
        goal_submit(goal=goal, by=author)
    if spec.returned_by:
        goal_return(goal=goal, by=users[spec.returned_by], comment=spec.return_comment)
