"""Which processes a goal serves, and through them which target groups, for the goal's page.

A goal names the processes it serves (``Goal.processes``); the target groups are those the
processes are aimed at (``Process.target_groups``): a goal reaches residents, businesses and
visitors through its processes, never directly. Many activities and unit goals name no process of
their own: they serve those of the goal they break down, so where a goal names none, the nearest
goal up its chain that names some speaks for it, and the page says which goal that is.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch, prefetch_related_objects

from goals.chain.models import Goal
from processes.models import Process, TargetGroup


@dataclass(frozen=True)
class Served:
    """The active processes a goal serves, the target groups they are aimed at (each once, in the
    target groups' tree order), and the goal up the chain that names them (None: the goal itself)."""

    processes: list[Process] = field(default_factory=list)
    target_groups: list[TargetGroup] = field(default_factory=list)
    through: Goal | None = None


def processes_served(goal: Goal, chain: list[Goal]) -> Served:
    """What ``goal`` serves, given its chain up (from the vision down, as fetched for its page): its
    own active processes, else those of the nearest goal above it that names any. Two queries for
    the goal and its whole chain (the processes, their target groups)."""
    prefetch_related_objects(
        [goal, *chain],
        Prefetch(
            "processes",
            queryset=Process.objects.active().prefetch_related(
                Prefetch("target_groups", queryset=TargetGroup.objects.order_by("path"))
            ),
        ),
    )
    for serving in [goal, *reversed(chain)]:
        processes = list(serving.processes.all())
        if processes:
            groups = {group.pk: group for process in processes for group in process.target_groups.all()}
            return Served(
                processes=processes,
                target_groups=sorted(groups.values(), key=lambda group: group.path),
                through=None if serving is goal else serving,
            )
    return Served()
