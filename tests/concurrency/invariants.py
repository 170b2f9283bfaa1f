"""What must hold after any number of writers raced, asked of the database as it is afterwards.

- no answer was a server error;
- both trees are whole (treebeard's ``find_problems``: no orphans, right depths and ``numchild``);
- every unit stands where the rule table lets it, and no active unit under a dissolved one;
- every goal keeps the steering-chain rules against the goal it breaks down, no operational goal
  breaks down the goal of a body its unit does not serve, and no goal of this year or later stands
  at a dissolved unit;
- every goal approved through the workflow has exactly one decision for its first approval, and no
  goal that is not decided has one;
- no acknowledged write was lost: each value a client was told was saved is the stored one, unless
  a later acknowledged write replaced it.

``Findings.gather`` asks all of them at once; the tests and the stress run (``make stress``) share it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils import translation

from goals.chain.levels import Level
from goals.chain.placement import chain_problems
from goals.chain.workflow import PUBLIC_STATUSES
from goals.models import Decision, Goal, Period, Revision
from orgunits.kinds import placement_error
from orgunits.models import OrgUnit
from tests.concurrency.racing import Answer

FIND_PROBLEMS = ("bad characters", "bad path length", "orphans", "wrong depth", "wrong numchild")


def server_errors(answers: Iterable[Answer]) -> list[str]:
    return [str(answer) for answer in answers if answer.status >= 500]


def tree_problems(model) -> list[str]:
    """What treebeard finds wrong in the model's tree, by kind, with the nodes' ids."""
    found = model.objects.find_problems()
    return [f"{model.__name__}: {name}: {ids}" for name, ids in zip(FIND_PROBLEMS, found, strict=True) if ids]


def parents_by_pk(model) -> dict[int, Any]:
    """Each node's parent (None at the top) as the tree stands now, read in one query."""
    nodes = list(model.objects.order_by("path"))
    by_path = {node.path: node for node in nodes}
    return {node.pk: by_path.get(node.path[: -node.steplen]) for node in nodes}


def unit_rule_violations() -> list[str]:
    """Units standing where the rule table forbids, or active under a dissolved unit."""
    units = {unit.pk: unit for unit in OrgUnit.objects.all()}
    problems = []
    for pk, parent in parents_by_pk(OrgUnit).items():
        unit = units[pk]
        if unit.depth > 1 and parent is None:
            continue  # an orphan: tree_problems says so
        if message := placement_error(unit, parent):
            problems.append(f"{unit.name} ({unit.slug}): {message}")
        if parent is not None and unit.is_active and not parent.is_active:
            problems.append(f"{unit.name} ({unit.slug}) is active under dissolved {parent.name}")
    return problems


def chain_violations() -> list[str]:
    """Goals that break the steering-chain rules against the goal they break down."""
    goals = list(Goal.objects.select_related("org_unit", "period").order_by("path"))
    by_path = {goal.path: goal for goal in goals}
    problems = []
    for goal in goals:
        parent = by_path.get(goal.path[: -goal.steplen])
        if goal.depth > 1 and parent is None:
            continue  # an orphan: tree_problems says so
        problems += [
            f"{goal.title} (#{goal.pk}): {problem}" for problem in chain_problems(goal, parent=parent)
        ]
    return problems


def unserved_breakdowns() -> list[str]:
    """Operational goals of this year or later that break down the body goal of a political body
    their unit does not serve: neither the body it stands under nor one its administration also serves
    (``OrgUnit.steering_bodies``). Asked of the serving relation directly, not through the chain's
    rules, so that a rule that forgot the relation is caught too. Two queries, and two for each
    unit with such goals."""
    parents = parents_by_pk(Goal)
    # A past year's goals keep the chain they were decided in, whatever was dissolved since.
    goals = Goal.objects.filter(
        level=Level.OPERATIONAL, period__in=Period.objects.current_and_later()
    ).select_related("org_unit")
    served: dict[int, set[int]] = {}  # by the unit's pk, the pks of the bodies it serves
    problems = []
    for goal in goals:
        parent = parents.get(goal.pk)
        if parent is None or parent.level != Level.BODY:
            continue
        if goal.org_unit_id not in served:
            served[goal.org_unit_id] = {body.pk for body in goal.org_unit.steering_bodies}
        if parent.org_unit_id not in served[goal.org_unit_id]:
            problems.append(
                f"{goal.title} (#{goal.pk}) at {goal.org_unit.name} breaks down a goal of a body it does not serve"
            )
    return problems


def goals_at_dissolved_units() -> list[str]:
    """Goals of this year or later whose unit is dissolved: a unit with such goals may not be
    dissolved (``goals.receivers``), and no goal is made at a dissolved unit."""
    goals = Goal.objects.filter(period__in=Period.objects.current_and_later(), org_unit__is_active=False)
    return [
        f"{goal.title} (#{goal.pk}) stands at dissolved {goal.org_unit.name}"
        for goal in goals.select_related("org_unit")
    ]


def first_approvals() -> Counter:
    """How many decisions approved each goal itself (not a revision of it), by the goal's id."""
    by_revision = set(Revision.objects.filter(decision__isnull=False).values_list("goal_id", "decision_id"))
    links = Decision.goals.through.objects.values_list("goal_id", "decision_id")
    return Counter(goal for goal, decision in links if (goal, decision) not in by_revision)


def decision_problems(approved_here: Iterable[int] = ()) -> tuple[list[str], float | None]:
    """Goals decided more than once, or with a decision though not decided; and of the goals
    approved in this scenario (``approved_here``), how many decisions each has on average."""
    counts = first_approvals()
    statuses = dict(Goal.objects.values_list("pk", "status"))
    problems = [
        f"goal #{pk} ({statuses[pk]}) has {count} decisions approving it"
        for pk, count in counts.items()
        if count > 1 or statuses[pk] not in PUBLIC_STATUSES
    ]
    decided = [pk for pk in approved_here if statuses.get(pk) in PUBLIC_STATUSES]
    problems += [f"goal #{pk} is approved without a decision" for pk in decided if not counts[pk]]
    average = sum(counts[pk] for pk in decided) / len(decided) if decided else None
    return problems, average


@dataclass(frozen=True)
class Write:
    """A write a client was told succeeded: ``key`` (what it wrote to) got ``value``."""

    key: Hashable
    value: Any
    started: float
    finished: float


def acknowledged(answers, key, value=lambda answer: answer.call.intent["value"]) -> list[Write]:
    """The writes of the answers that succeeded, each under ``key(answer)``."""
    return [
        Write(key(answer), value(answer), answer.started, answer.finished)
        for answer in answers
        if answer.verdict == "2xx"
    ]


def lost_writes(writes: Iterable[Write], before: Mapping, after: Mapping) -> list[str]:
    """Acknowledged writes that the stored values do not show.

    For each key, the stored value must be the value of an acknowledged write that no other
    acknowledged write of that key followed (one sent after its answer came back): any of the last
    writes that overlapped may have committed last. A key without acknowledged writes keeps its
    value from ``before``. ``after`` holds the stored values of every key of ``before``.
    """
    by_key: dict[Hashable, list[Write]] = defaultdict(list)
    for write in writes:
        by_key[write.key].append(write)
    problems = []
    for key in {*before, *by_key}:
        stored = after.get(key)
        if key not in by_key:
            if stored != before[key]:
                problems.append(f"{key}: nobody changed it, yet it went from {before[key]!r} to {stored!r}")
            continue
        keyed = by_key[key]
        last = [write.value for write in keyed if not any(other.started > write.finished for other in keyed)]
        if stored not in last:
            problems.append(f"{key}: stored {stored!r}, but the last acknowledged writes said {last!r}")
    return problems


@dataclass
class Findings:
    """Everything ``gather`` found wrong after a scenario; empty lists when all held."""

    server_errors: list[str] = field(default_factory=list)
    tree_problems: list[str] = field(default_factory=list)
    rule_violations: list[str] = field(default_factory=list)
    lost_writes: list[str] = field(default_factory=list)
    decision_problems: list[str] = field(default_factory=list)
    decisions_per_approved_goal: float | None = None

    @classmethod
    def gather(
        cls,
        answers: Iterable[Answer],
        *,
        writes: Iterable[Write] = (),
        before: Mapping | None = None,
        after: Mapping | None = None,
        approved_here: Iterable[int] = (),
    ) -> Findings:
        with translation.override("en"):
            decisions, average = decision_problems(approved_here)
            return cls(
                server_errors=server_errors(answers),
                tree_problems=tree_problems(OrgUnit) + tree_problems(Goal),
                rule_violations=unit_rule_violations()
                + chain_violations()
                + unserved_breakdowns()
                + goals_at_dissolved_units(),
                lost_writes=lost_writes(writes, before or {}, after or {}),
                decision_problems=decisions,
                decisions_per_approved_goal=average,
            )

    def problems(self) -> dict[str, list[str]]:
        found = {
            "server errors": self.server_errors,
            "tree problems": self.tree_problems,
            "rule violations": self.rule_violations,
            "lost writes": self.lost_writes,
            "decisions": self.decision_problems,
        }
        return {name: items for name, items in found.items() if items}

    def assert_none(self, server_tracebacks: list[str] = ()) -> None:
        """Fail with every finding (the first lines of each kind), and the first server traceback."""
        if problems := self.problems():
            lines = []
            for name, items in problems.items():
                lines.append(f"{name} ({len(items)}):")
                lines += [f"  {item}" for item in items[:10]]
            if server_tracebacks:
                lines += ["first server traceback:", server_tracebacks[0]]
            raise AssertionError("\n".join(lines))
