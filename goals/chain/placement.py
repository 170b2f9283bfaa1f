"""The steering-chain rules: which goal may break down which.

This is the one place the rules live. The goal manager asks them before every add and move,
``Goal.clean`` before every edit (web forms, admin, shell through ``full_clean``), and the
organisation asks them, through ``goals.receivers``, before a unit moves, changes kind or is
dissolved.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext

from goals.chain.levels import LEVEL_KINDS, PARENT_LEVELS, Level
from goals.chain.workflow import PUBLIC_STATUSES
from orgunits.kinds import Kind, quoted
from orgunits.models import OrgUnit
from processes.models import ProcessKind

if TYPE_CHECKING:
    from goals.chain.models import Goal


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
        "kind": Kind(unit.kind).label,
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
        problems.append(
            gettext("%(level)s cannot break down %(parent_level)s. %(level)s breaks down: %(allowed)s.")
            % {
                "level": _level_label(level),
                "parent_level": _level_label(parent_level),
                "allowed": ", ".join(_level_label(allowed) for allowed in PARENT_LEVELS[level]),
            }
        )
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
    if not unit.is_placed_under(parent.org_unit):
        problems.append(
            gettext(
                "%(unit)s does not stand under %(parent_unit)s: a goal breaks down only goals of its own unit or of the units above it."
            )
            % {"unit": quoted(unit.name), "parent_unit": quoted(parent.org_unit.name)}
        )
    elif not level_misfit and (message := _steering_problem(level, unit, parent)):
        # (When the unit cannot set this level at all, which goal it breaks down is beside the point.)
        problems.append(message)
    return problems


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


def _steering_problem(level: Level, unit: OrgUnit, parent: Goal) -> str | None:
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
        if steering is not None and steering.pk != parent.org_unit_id:
            return gettext(
                "%(unit)s is steered by %(steering)s: its operational goals break down the goals of %(steering)s, not of %(parent_unit)s."
            ) % {
                "unit": quoted(unit.name),
                "steering": quoted(steering.name),
                "parent_unit": quoted(parent.org_unit.name),
            }
    return None


def _other_vision(goal: Goal) -> Goal | None:
    visions = type(goal).objects.filter(
        level=Level.VISION, period_id=goal.period_id, org_unit_id=goal.org_unit_id
    )
    return visions.exclude(pk=goal.pk).first()
