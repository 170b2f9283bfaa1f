"""The steering-chain rules: which goal may break down which, and when its dates may lie.

This is the one place the rules live. The goal manager asks them before every add and move,
``Goal.clean`` before every edit (web forms, admin, shell through ``full_clean``), the goal
services before they write what a goal serves (``process_problems``), and the organisation asks
them, through ``goals.receivers``, before a unit moves, changes kind or is dissolved
(``unit_change_problems``, on the organisation as the change would leave it).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import TYPE_CHECKING

from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import gettext

from goals.chain.levels import LEVEL_KINDS, PARENT_LEVELS, POLITICALLY_DECIDED_LEVELS, Level
from goals.chain.workflow import PUBLIC_STATUSES
from orgunits.kinds import Kind, quoted
from orgunits.models import OrgUnit
from orgunits.trees import subtree_of
from processes.models import ProcessKind

if TYPE_CHECKING:
    from goals.chain.models import Goal, GoalQuerySet, Period

# How many goals a message names before it says how many more there are.
NAMED_GOALS = 10


def _level_label(level: Level | None) -> str:
    return quoted(gettext("the top of the chain") if level is None else Level(level).label)


def level_problem(level: str, unit: OrgUnit) -> str | None:
    """Why ``unit`` may not set goals of ``level``, or None when it may."""
    allowed = LEVEL_KINDS[Level(level)]
    if unit.kind in allowed:
        return None
    return gettext(
        "%(unit)s (%(kind)s) cannot set a goal of level %(level)s. That level is set by: %(kinds)s."
    ) % {
        "unit": quoted(unit.name),
        "kind": Kind(unit.kind).label.lower(),  # “Utbildningsnämnden” (committee), as the tree's messages say
        "level": _level_label(level),
        "kinds": ", ".join(quoted(Kind(kind).label) for kind in allowed),
    }


def chain_problems(goal: Goal, *, parent: Goal | None) -> list[str]:
    """Every reason why ``goal`` may not break down ``parent`` (None: stand at the top of a chain).

    - each level is set by its kinds of unit (``LEVEL_KINDS``) and breaks down its levels
      (``PARENT_LEVELS``): a vision only at a council, one per period and municipal group;
      strategic goals at the council under the vision; body goals at a political body under a
      strategic goal or a body goal of a political body above it; operational goals at an
      executing unit under a body goal of the body that steers it or an operational goal of a unit
      above it; activities under an operational goal of their own unit or a unit above it;
    - parent and child belong to the same period;
    - a decided goal breaks down a decided goal: the public chain never skips a step;
    - a new goal is set by a unit that is not dissolved;
    - the chain runs down the organisation: the child's unit is the parent's unit or stands under it;
    - a goal never breaks down itself or a goal below it.
    """
    level, unit = Level(goal.level), goal.org_unit
    problems = []
    if goal.pk is None and not unit.is_active:
        problems.append(
            gettext("%(unit)s is dissolved: no new goal is set there.") % {"unit": quoted(unit.name)}
        )
    if level_misfit := level_problem(level, unit):
        problems.append(level_misfit)

    parent_level = Level(parent.level) if parent is not None else None
    if parent_level not in PARENT_LEVELS[level]:
        names = {
            "level": _level_label(level),
            "parent_level": _level_label(parent_level),
            "allowed": ", ".join(_level_label(allowed) for allowed in PARENT_LEVELS[level]),
        }
        if parent is None:
            message = gettext(
                "%(level)s cannot break down %(parent_level)s. %(level)s breaks down: %(allowed)s."
            )
        else:
            # Both units named: whoever moved the goal sees which goal of whose could not go where.
            message = gettext(
                "%(level)s of %(unit)s cannot break down %(parent_level)s of %(parent_unit)s. %(level)s breaks down: %(allowed)s."
            )
            names |= {"unit": quoted(unit.name), "parent_unit": quoted(parent.org_unit.name)}
        problems.append(message % names)
    if parent is None:
        if level == Level.VISION and (other := _other_vision(goal)):
            problems.append(
                gettext("%(group)s already has a vision for %(period)s: “%(title)s”.")
                % {"group": quoted(unit.name), "period": goal.period, "title": other.title}
            )
        return problems

    if goal.status in PUBLIC_STATUSES and parent.status not in PUBLIC_STATUSES:
        problems.append(
            gettext(
                "“%(goal)s” is decided, and a decided goal breaks down only a decided goal; “%(parent)s” is %(status)s."
            )
            % {"goal": goal.title, "parent": parent.title, "status": parent.get_status_display().lower()}
        )
    if goal.pk is not None and parent.is_placed_under(goal):
        problems.append(
            gettext("“%(goal)s” cannot break down itself or a goal below it (“%(parent)s”).")
            % {"goal": goal.title, "parent": parent.title}
        )
    if parent.period_id != goal.period_id:
        problems.append(
            gettext(
                "“%(parent)s” belongs to %(parent_period)s: a goal breaks down only goals of its own period (%(period)s)."
            )
            % {"parent": parent.title, "parent_period": parent.period, "period": goal.period}
        )
    # (When the unit cannot set this level at all, which goal it breaks down is beside the point.)
    if message := organisation_problem(level, unit, parent, level_fits=not level_misfit):
        problems.append(message)
    return problems


def chosen_parent_problem(goal: Goal, parent: Goal) -> str | None:
    """Why a person may not choose ``parent`` as the goal that ``goal`` breaks down, when they place
    a new goal or move one (a form, the admin, the API), or None when they may.

    A unit breaks down what has been decided: a goal that is a draft, waits for its decision or was
    sent back may still change or never be approved, and whoever builds on it builds on sand. The
    one exception is a plan prepared at once and approved in one decision (``goal_approve`` approves
    a goal together with the goal it breaks down): the council's vision and strategic goals, an
    administration's operational goals and their activities. So a goal not yet decided is a parent
    only when the same body or unit decides both.

    Goals that stay where they stand are not asked again, so editing a draft under a draft never
    becomes a dead end; the seeding of the demo, the carry-over of a year and the test kit's chains
    place whole plans as their originals stood, through the tree's manager, and are not asked.
    """
    if goal.status in PUBLIC_STATUSES:
        return None  # a decided goal under an undecided one is ``chain_problems``'s to say
    if parent.status in PUBLIC_STATUSES or _decided_together(goal, parent):
        return None
    return gettext(
        "“%(parent)s” is not decided (%(status)s). A goal breaks down a decided goal, or a goal that the same body or unit decides together with it."
    ) % {"parent": parent.title, "status": parent.get_status_display().lower()}


def _decided_together(goal: Goal, parent: Goal) -> bool:
    """Whether one decision can approve ``goal`` with ``parent``: the same body or unit decides both
    (``Goal.deciding_unit``; a political body's goal and a manager's never share a decision)."""
    political = goal.level in POLITICALLY_DECIDED_LEVELS
    if political != (parent.level in POLITICALLY_DECIDED_LEVELS):
        return False
    if political:
        return goal.org_unit_id == parent.org_unit_id
    return goal.deciding_unit.pk == parent.deciding_unit.pk


class UnitAsMoved:
    """A unit as it will stand once a branch of the organisation has moved: ``above`` are the units
    above it then, from the root down. It answers what the chain rules ask of a unit
    (``is_placed_under``, ``steering_body``) from that line, not from the paths in the database."""

    def __init__(self, unit: OrgUnit, above: Sequence[OrgUnit]):
        self.pk, self.name, self.above = unit.pk, unit.name, list(above)

    def is_placed_under(self, other: OrgUnit) -> bool:
        return other.pk == self.pk or any(unit.pk == other.pk for unit in self.above)

    @property
    def steering_body(self) -> OrgUnit | None:
        political = [unit for unit in self.above if unit.is_political]
        return political[-1] if political else None

    @cached_property
    def steering_bodies(self) -> list[OrgUnit]:
        """``OrgUnit.steering_bodies`` from the line the unit will stand in (one query)."""
        line = [unit.pk for unit in self.above if unit.is_active] + [self.pk]
        also = OrgUnit.objects.active().filter(also_served_by__in=line).order_by("path").distinct()
        steering = [self.steering_body] if self.steering_body else []
        return steering + [body for body in also if body not in steering]


def organisation_problem(
    level: str, unit: OrgUnit | UnitAsMoved, parent: Goal, *, level_fits: bool = True
) -> str | None:
    """Why a goal of ``level`` set by ``unit`` may not break down ``parent`` by where the two units
    stand: the chain runs down the organisation (the unit is the parent's unit or stands under it),
    and body and operational goals break down goals of a unit above them, operational goals those
    of the body that steers them. ``unit`` is a unit as it stands, or as a change would leave it
    (``UnitAsMoved``). With ``level_fits`` false (the unit cannot set the level at all) only the
    first rule is asked."""
    if not unit.is_placed_under(parent.org_unit) and not (level_fits and _serves(level, unit, parent)):
        if level_fits and (message := _several_bodies_problem(level, unit, parent)):
            return message
        return gettext(
            "%(unit)s does not stand under %(parent_unit)s: a goal breaks down only goals of its own unit or of the units above it."
        ) % {"unit": quoted(unit.name), "parent_unit": quoted(parent.org_unit.name)}
    return _steering_problem(Level(level), unit, parent) if level_fits else None


def unit_change_problems(unit: OrgUnit, *, parent: OrgUnit | None, goals: GoalQuerySet) -> list[str]:
    """Why the organisation as a change would leave it, ``unit`` as it is in memory (its kind,
    whether it is dissolved) standing under ``parent``, would break the chains of ``goals`` (the
    goals that count):

    - a dissolved unit carries out no goal;
    - a unit's kind sets the levels of its goals (``level_problem``);
    - after a move, every goal in the moved branch that breaks down a goal outside it still fits
      where the units will stand (``organisation_problem``).
    """
    if unit.pk is None:
        return []  # a new unit has no goals yet
    problems = []
    goals = goals.select_related("org_unit", "period")
    own_goals = list(goals.filter(org_unit=unit))
    if not unit.is_active and own_goals:
        problems.append(
            gettext(
                "Dissolving %(unit)s would leave its goals without a unit that carries them out: %(goals)s."
            )
            % {"unit": quoted(unit.name), "goals": _titles(own_goals)}
        )
    if misfits := [goal for goal in own_goals if level_problem(goal.level, unit)]:
        problems.append(
            gettext(
                "%(unit)s cannot be of this kind while it has goals that the kind does not set: %(goals)s."
            )
            % {"unit": quoted(unit.name), "goals": _titles(misfits)}
        )
    moving = (parent.path if parent else "") != unit.parent_path
    if moving and (broken := _broken_by_move(goals, unit, parent)):
        problems.append(
            gettext("Moving %(unit)s would break the steering chain of these goals: %(goals)s.")
            % {"unit": quoted(unit.name), "goals": _titles(broken)}
        )
    return problems


def unserving_problems(unit: OrgUnit, *, bodies, goals: GoalQuerySet) -> list[str]:
    """Why ``unit`` may not stop serving the bodies it serves now and ``bodies`` leaves out: the
    operational goals of ``goals`` in its part of the organisation that break down a goal of such a
    body (three queries)."""
    dropped = set(unit.also_serves.values_list("pk", flat=True)) - {body.pk for body in bodies}
    if not dropped:
        return []
    inside = list(
        goals.filter(subtree_of(unit, "org_unit__"), level=Level.OPERATIONAL).select_related("period")
    )
    parents = goals.filter(path__in={goal.parent_path for goal in inside}, org_unit__in=dropped)
    parent_paths = set(parents.values_list("path", flat=True))
    broken = [goal for goal in inside if goal.parent_path in parent_paths]
    if not broken:
        return []
    return [
        gettext(
            "%(unit)s cannot stop serving these bodies while its goals break down their goals: %(goals)s."
        )
        % {"unit": quoted(unit.name), "goals": _titles(broken)}
    ]


def _broken_by_move(goals: GoalQuerySet, unit: OrgUnit, parent: OrgUnit | None) -> list[Goal]:
    """Goals in ``unit``'s branch whose parent goal, outside it, would no longer fit once the
    branch stands under ``parent``. Four queries at most, whatever the branch holds."""
    inside = list(goals.in_subtree_of(unit))
    inside_paths = {goal.path for goal in inside}
    outside_parents = {
        parent_goal.path: parent_goal
        for parent_goal in goals.filter(
            path__in={goal.parent_path for goal in inside if goal.depth > 1} - inside_paths
        )
    }
    if not outside_parents:
        return []
    new_line = [*OrgUnit.objects.get_ancestors(parent), parent] if parent else []
    branch = {branch_unit.path: branch_unit for branch_unit in OrgUnit.objects.filter(subtree_of(unit))}
    branch[unit.path] = unit  # as the change leaves it, not as it is saved
    broken = []
    for goal in inside:
        parent_goal = outside_parents.get(goal.parent_path)
        if parent_goal is None:
            continue
        # The units above the goal's unit once the branch has moved: the new parent's line, then
        # the units of the branch from the moved unit down to the goal's unit.
        above = new_line + [branch[path] for path in goal.org_unit.ancestor_paths() if path in branch]
        if organisation_problem(goal.level, UnitAsMoved(goal.org_unit, above), parent_goal):
            broken.append(goal)
    return broken


def _titles(goals: list[Goal]) -> str:
    titles = [f"{quoted(goal.title)} ({goal.period})" for goal in goals[:NAMED_GOALS]]
    if len(goals) > NAMED_GOALS:
        titles.append(gettext("and %(count)d more") % {"count": len(goals) - NAMED_GOALS})
    return ", ".join(titles)


def process_problems(goal: Goal, processes, *, joining: bool = False) -> list[str]:
    """Why ``goal`` may not serve ``processes``: a strategic goal serves main processes only, and a
    goal's unit takes part in each process it serves (``Process.covers``). With ``joining``, the unit
    is about to be added as a participant, so only the first rule is asked."""
    problems = []
    for process in processes:
        if goal.level == Level.STRATEGIC and process.kind != ProcessKind.MAIN:
            problems.append(
                gettext("A strategic goal serves main processes; %(process)s is a %(kind)s.")
                % {"process": quoted(process.name), "kind": process.get_kind_display().lower()}
            )
        elif not joining and not process.covers(goal.org_unit, list(process.participants.all())):
            problems.append(
                gettext(
                    "%(unit)s does not take part in %(process)s. Add the unit as a participant, or choose another process."
                )
                % {"unit": quoted(goal.org_unit.name), "process": quoted(process.name)}
            )
    return problems


def _steering_problem(level: Level, unit: OrgUnit | UnitAsMoved, parent: Goal) -> str | None:
    """Body and operational goals break down goals of a unit above them; operational goals those
    of the body that steers them."""
    parent_level = Level(parent.level)
    if level == parent_level and level in (Level.BODY, Level.OPERATIONAL) and parent.org_unit_id == unit.pk:
        return gettext("%(level)s breaks down a goal of a unit above %(unit)s, not one of its own.") % {
            "level": _level_label(level),
            "unit": quoted(unit.name),
        }
    if level == Level.OPERATIONAL and parent_level == Level.BODY:
        steering = unit.steering_body
        if steering is not None and steering.pk != parent.org_unit_id and not _serves(level, unit, parent):
            if message := _several_bodies_problem(level, unit, parent):
                return message
            return gettext(
                "%(unit)s is steered by %(steering)s: its operational goals break down the goals of %(steering)s, not of %(parent_unit)s."
            ) % {
                "unit": quoted(unit.name),
                "steering": quoted(steering.name),
                "parent_unit": quoted(parent.org_unit.name),
            }
    return None


def _serves(level: Level, unit: OrgUnit | UnitAsMoved, parent: Goal) -> bool:
    """Whether an operational goal of ``unit`` breaks down a body goal of a body that the unit's
    administration also serves (``OrgUnit.also_serves``), beside the body that steers it. Asked only
    where the tree alone refuses, so the usual placement costs no query for it."""
    return (
        level == Level.OPERATIONAL
        and parent.level == Level.BODY
        and any(body.pk == parent.org_unit_id for body in unit.steering_bodies)
    )


def _several_bodies_problem(level: Level, unit: OrgUnit | UnitAsMoved, parent: Goal) -> str | None:
    """For an operational goal of a unit that serves several bodies, refused a body goal of another:
    a message naming the unit, the bodies it serves and the body refused."""
    if level != Level.OPERATIONAL or parent.level != Level.BODY or len(bodies := unit.steering_bodies) < 2:
        return None
    return gettext(
        "%(unit)s serves %(bodies)s: its operational goals break down the goals of these bodies, not of %(parent_unit)s."
    ) % {
        "unit": quoted(unit.name),
        "bodies": ", ".join(quoted(body.name) for body in bodies),
        "parent_unit": quoted(parent.org_unit.name),
    }


def _other_vision(goal: Goal) -> Goal | None:
    visions = type(goal).objects.filter(
        level=Level.VISION, period_id=goal.period_id, org_unit_id=goal.org_unit_id
    )
    return visions.exclude(pk=goal.pk).first()


def _day(day: date) -> str:
    return date_format(day, "j F Y")


def activity_date_problems(*, start: date | None, due: date | None, period: Period | None) -> list[str]:
    """Why an activity of ``period`` may not run from ``start`` to ``due`` (either may be missing):

    - it does not end before it starts;
    - it is carried out in its year: it starts no later than the year's end and ends no earlier
      than the year's start;
    - one that runs longer than its year stays within the term of office the year belongs to
      (``Period.term_start``, four years), so a typing slip (2150, 9999) is refused rather than
      stored, carried over and shown in plans for years.

    Each message names the range allowed. Asked by ``GoalContent.date_problems``, which the model's
    ``clean`` (forms, admin) and the goal services (pages, API) ask alike.
    """
    problems = []
    if start and due and due < start:
        problems.append(gettext("The due date comes before the start date."))
    if period is None:
        return problems  # the form reports the missing year itself
    term_first, term_last = date(period.term_start, 1, 1), date(period.term_end, 12, 31)
    year_first, year_last = date(period.year, 1, 1), date(period.year, 12, 31)
    names = {"year": period.year, "term": period.term_label}
    if start and not term_first <= start <= year_last:
        problems.append(
            gettext(
                "An activity of %(year)s starts between %(first)s and %(last)s: in its year, or earlier "
                "in the term of office %(term)s if it runs longer."
            )
            % (names | {"first": _day(term_first), "last": _day(year_last)})
        )
    if due and not year_first <= due <= term_last:
        problems.append(
            gettext(
                "An activity of %(year)s is due between %(first)s and %(last)s: in its year, or later "
                "in the term of office %(term)s if it runs longer."
            )
            % (names | {"first": _day(year_first), "last": _day(term_last)})
        )
    return problems


def meeting_date_problems(meeting_date: date, *, years: Iterable[int] = (), today: date) -> list[str]:
    """Why a decision may not be recorded as taken at a meeting on ``meeting_date``:

    - the meeting has taken place: its date is not after ``today``, since a decision is public
      once recorded;
    - a decision on the goals of ``years`` is taken in the year before the earliest of them (a
      plan is decided in the autumn before its year) or later.

    Asked by ``Decision.clean`` and by ``goal_approve``, which the queue and the API call alike.
    """
    years = list(years)
    first = date(min(years) - 1, 1, 1) if years else None
    if meeting_date > today or (first is not None and meeting_date < first):
        if first is None:
            return [
                gettext(
                    "The meeting date is %(date)s: a decision is recorded once its meeting has taken place."
                )
                % {"date": _day(meeting_date)}
            ]
        return [
            gettext(
                "The meeting date lies between %(first)s and today, %(today)s: the meeting has taken "
                "place, and goals of %(year)s are decided from the year before."
            )
            % {"first": _day(first), "today": _day(today), "year": min(years)}
        ]
    return []
