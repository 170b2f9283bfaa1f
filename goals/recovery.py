"""Bringing a deleted goal back from a restored backup (``manage.py recover_goal``,
docs/operations.md): the goal as the backup holds it, with the goals under it there, put back into
the live chain under the goal it broke down.

What comes back is what deleting a goal removed: the goal rows (id, content, level, unit, status,
the reason it was sent back), the processes each served and its links to the indicators that
measure it; the indicators themselves, their targets and measurements stay in the portal when a
goal is deleted, so linking them again shows them on the goal's page as before. The goal's history
was never deleted; each goal put back gets one more version, with the reason ``RECOVERED``.

What does not come back: the notices of its workflow steps (e-mails about steps long past, which
would otherwise be sent again), and nothing of a goal that the portal would not have deleted (one
named in a decision, or reported on in a follow-up): such a goal was not deleted through the
portal, and the whole backup is the way to bring it back.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext

from goals.chain.models import Goal, Period
from goals.follow_up.models import FollowUp
from goals.indicators.models import Indicator
from orgunits.concurrency import Conflict
from orgunits.models import OrgUnit
from processes.models import Process

RECOVERED = "recovered from a backup"  # the history's change reason, as "moved" is

# Rows the portal's delete never leaves behind: a goal with any of these was removed otherwise.
_KEPT_WITH_A_DECIDED_GOAL = (
    (Goal.decisions.through, "goal_id"),
    (FollowUp, "goal_id"),
)


def deleted_goals():
    """The goals deleted from the portal and not put back, newest first: the history's record of
    each deletion (the goal's id and title, when, and who where the delete named them) whose id no
    goal has now. One query."""
    return (
        Goal.history.filter(history_type="-")
        .exclude(id__in=Goal.objects.values("id"))
        .select_related("history_user")
        .order_by("-history_date")
    )


def goal_recover(*, goal_id: int, source: str, by=None) -> list[Goal]:
    """Put goal ``goal_id`` back as the database ``source`` (the alias of a restored backup)
    holds it, with every goal under it there, and return them in tree order.

    Each goal keeps its id (its address, its history) and is placed again under the goal it
    broke down, at the end of that goal's children: a fresh place from the tree's manager, whose
    rules on the chain are checked as for any goal added. A goal under it that the portal still
    holds (moved away before the delete) stays where it is, with the goals under it.

    Refused (``Conflict``), writing nothing, when the backup has no such goal, the portal still has
    it, the goal it broke down or the unit or year of any goal is gone, or it was not a goal
    the portal deletes (see the module's note)."""
    backup_goal = Goal.objects.using(source).filter(pk=goal_id).first()
    if backup_goal is None:
        raise Conflict(gettext("The backup holds no goal with id %(id)d.") % {"id": goal_id})
    in_backup = list(Goal.objects.using(source).filter(path__startswith=backup_goal.path).order_by("path"))
    ids = [goal.pk for goal in in_backup]
    for model, goal_field in _KEPT_WITH_A_DECIDED_GOAL:
        if model.objects.using(source).filter(**{f"{goal_field}__in": ids}).exists():
            raise Conflict(
                gettext(
                    "“%(goal)s” or a goal under it was decided or followed up, so the portal did not "
                    "delete it; restore the whole backup to bring it back."
                )
                % {"goal": backup_goal.title}
            )
    backup_parent = None
    if backup_goal.depth > 1:
        backup_parent = Goal.objects.using(source).get(path=backup_goal.parent_path)

    with transaction.atomic():
        Goal.objects.lock_tree(backup_goal)  # the year's chain: nobody adds or deletes meanwhile
        live_ids = set(Goal.objects.filter(pk__in=ids).values_list("pk", flat=True))
        if backup_goal.pk in live_ids:
            raise Conflict(
                gettext("“%(goal)s” (id %(id)d) is still in the portal; nothing to recover.")
                % {"goal": backup_goal.title, "id": backup_goal.pk}
            )
        parent = None
        if backup_parent is not None:
            parent = Goal.objects.filter(pk=backup_parent.pk).first()
            if parent is None:
                raise Conflict(
                    gettext(
                        "“%(parent)s” (id %(id)d), the goal “%(goal)s” broke down, is not in the portal "
                        "any more: recover it first."
                    )
                    % {"parent": backup_parent.title, "id": backup_parent.pk, "goal": backup_goal.title}
                )
        to_recover = _without_subtrees_still_live(in_backup, live_ids)
        _check_units_and_year(to_recover)
        recovered = _place(to_recover, backup_goal=backup_goal, parent=parent, by=by)
        _link_again(source, [goal.pk for goal in recovered])
    return recovered


def _without_subtrees_still_live(in_backup: list[Goal], live_ids: set[int]) -> list[Goal]:
    still_live_paths = [goal.path for goal in in_backup if goal.pk in live_ids]
    return [goal for goal in in_backup if not any(goal.path.startswith(path) for path in still_live_paths)]


def _check_units_and_year(goals: list[Goal]) -> None:
    units = set(
        OrgUnit.objects.filter(pk__in={goal.org_unit_id for goal in goals}).values_list("pk", flat=True)
    )
    if missing := [goal for goal in goals if goal.org_unit_id not in units]:
        raise Conflict(
            gettext("The unit of “%(goal)s” is not in the portal any more.") % {"goal": missing[0].title}
        )
    if not Period.objects.filter(pk=goals[0].period_id).exists():
        raise Conflict(
            gettext("The year of “%(goal)s” is not in the portal any more.") % {"goal": goals[0].title}
        )


def _place(goals: list[Goal], *, backup_goal: Goal, parent: Goal | None, by) -> list[Goal]:
    users = set(
        get_user_model().objects.filter(pk__in={goal.owner_id for goal in goals}).values_list("pk", flat=True)
    )
    placed: dict[str, Goal] = {}  # the backup's path of each goal put back, to find its parent
    for old in goals:
        goal = Goal(
            **{
                field.attname: getattr(old, field.attname)
                for field in Goal._meta.concrete_fields
                if field.name not in Goal._TREE_FIELDS
            }
        )
        if goal.owner_id not in users:
            goal.owner_id = None  # the owner's account is gone; the goal comes back without one
        new_parent = placed.get(old.parent_path, parent)
        # It goes back under the goal it stood under, so it does not choose a new parent
        # (``Goal.chooses``): the path beside its parent's, which the manager then replaces.
        goal.path = (new_parent.path if new_parent else "") + old.path[-Goal.steplen :]
        goal._history_user = by
        goal._change_reason = RECOVERED
        if new_parent is None:
            placed[old.path] = Goal.objects.add_root(instance=goal)
        else:
            placed[old.path] = Goal.objects.add_child(new_parent, instance=goal)  # re-reads the parent
    return list(placed.values())


def _link_again(source: str, goal_ids: list[int]) -> None:
    """The processes each goal served and the indicators that measured it, those still in the portal."""
    for through, other_field, other_model in (
        (Goal.processes.through, "process_id", Process),
        (Indicator.goals.through, "indicator_id", Indicator),
    ):
        links = list(through.objects.using(source).filter(goal_id__in=goal_ids))
        live = set(
            other_model.objects.filter(pk__in={getattr(link, other_field) for link in links}).values_list(
                "pk", flat=True
            )
        )
        through.objects.bulk_create(
            through(goal_id=link.goal_id, **{other_field: getattr(link, other_field)})
            for link in links
            if getattr(link, other_field) in live
        )
