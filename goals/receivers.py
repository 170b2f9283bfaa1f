"""Goals' answers to the organisation's signals.

Before a unit changes, the organisation asks whether that would break a steering chain. Only goals
of the current and later periods count: the chains of past years are history, drawn on the
organisation as it was then. And a unit's page shows the unit's goals.
"""

from collections import Counter

from django.core.paginator import Paginator
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils.translation import gettext

from goals.chain.chosen_period import selected_period
from goals.chain.levels import Level
from goals.chain.models import Goal, Period, ReportingPeriod
from goals.chain.placement import level_problem
from goals.chain.queries import parent_of, parents_of, with_cascade_size
from goals.follow_up.reporting import with_latest_grade
from orgunits.kinds import is_political, quoted
from orgunits.models import Organisations, OrgUnit
from orgunits.signals import PageSection, placement_checked, unit_page_shown
from orgunits.trees import flatten, nest, subtree_of
from processes.models import Process, TargetGroup
from processes.signals import page_shown

# How many goals a message names before it says how many more there are.
NAMED_GOALS = 10

# How many goals a process's or a target group's page shows at a time.
GOALS_BY_ORGANISATION_PAGE_SIZE = 50


@receiver(post_save, sender=Period)
def new_year_gets_its_reporting_periods(
    sender, *, instance: Period, created: bool, raw: bool, **kwargs
) -> None:
    if created and not raw:
        ReportingPeriod.objects.add_defaults(instance)


@receiver(placement_checked, sender=OrgUnit)
def goals_a_unit_change_would_break(sender, *, unit: OrgUnit, parent: OrgUnit | None, **kwargs) -> list[str]:
    if unit.pk is None:
        return []  # a new unit has no goals yet
    problems = []
    goals = Goal.objects.filter(period__in=Period.objects.current_and_later()).select_related(
        "org_unit", "period"
    )
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
    if _is_moving(unit, parent) and (broken := _goals_broken_by_move(goals, unit, parent)):
        problems.append(
            gettext("Moving %(unit)s would break the steering chain of these goals: %(goals)s.")
            % {"unit": quoted(unit.name), "goals": _titles(broken)}
        )
    return problems


def _is_moving(unit: OrgUnit, parent: OrgUnit | None) -> bool:
    return (parent.path if parent else "") != unit.parent_path


def _goals_broken_by_move(goals, unit: OrgUnit, parent: OrgUnit | None) -> list[Goal]:
    """Goals in the moved branch whose parent goal, outside it, would no longer stand above them."""
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
    new_ancestors = [*OrgUnit.objects.get_ancestors(parent), parent] if parent else []
    branch = {branch_unit.path: branch_unit for branch_unit in OrgUnit.objects.filter(subtree_of(unit))}
    broken = []
    for goal in inside:
        parent_goal = outside_parents.get(goal.parent_path)
        if parent_goal is None:
            continue
        # The units above the goal's unit once the branch has moved: the new parent's line, then
        # the units of the branch between the moved unit and the goal's unit.
        above = new_ancestors + [
            branch[path]
            for path in sorted(branch)
            if goal.org_unit.path.startswith(path) and path != goal.org_unit.path
        ]
        if parent_goal.org_unit not in above:
            broken.append(goal)
        elif goal.level == Level.OPERATIONAL and parent_goal.level == Level.BODY:
            steering = [above_unit for above_unit in above if is_political(above_unit.kind)][-1:]
            if steering != [parent_goal.org_unit]:
                broken.append(goal)
    return broken


def _titles(goals: list[Goal]) -> str:
    titles = [f"{quoted(goal.title)} ({goal.period})" for goal in goals[:NAMED_GOALS]]
    if len(goals) > NAMED_GOALS:
        titles.append(gettext("and %(count)d more") % {"count": len(goals) - NAMED_GOALS})
    return ", ".join(titles)


@receiver(unit_page_shown, sender=OrgUnit)
def unit_goals_section(sender, *, request, unit: OrgUnit, **kwargs) -> PageSection | None:
    """The unit's goals in the selected period, by level, each with the goal it breaks down and its cascade."""
    period = selected_period(request)
    if period is None:
        return None  # no planning period yet: nothing to show
    visible = Goal.objects.visible_to(request.user)
    goals = with_cascade_size(visible.filter(period=period, org_unit=unit), among=visible)
    goals = list(with_latest_grade(goals, request.user).order_by("path"))
    parents = parents_of(goals, among=visible)
    by_level = [
        (label, [(goal, parent_of(goal, parents)) for goal in goals if goal.level == level])
        for level, label in Level.choices
    ]
    return PageSection(
        "goals/_unit_goals.html",
        {
            "unit": unit,
            "period": period,
            "periods": Period.objects.all(),
            "by_level": [(label, items) for label, items in by_level if items],
        },
    )


@receiver(page_shown, sender=Process)
def process_goals_section(sender, *, request, obj: Process, **kwargs) -> PageSection | None:
    """Every goal that serves the process in the selected period, grouped by organisation."""
    return _goals_by_organisation_section(request, Goal.objects.filter(processes=obj))


@receiver(page_shown, sender=TargetGroup)
def target_group_goals_section(sender, *, request, obj: TargetGroup, **kwargs) -> PageSection | None:
    """The goals aimed at the group: those serving a process aimed at it or at one of its sub-groups."""
    links = Goal.processes.through.objects.filter(
        subtree_of(obj, "process__target_groups__"), process__is_active=True
    )
    return _goals_by_organisation_section(request, Goal.objects.filter(pk__in=links.values("goal_id")))


def _goals_by_organisation_section(request, goals) -> PageSection | None:
    """The goals, grouped by organisation, a page of them at a time: a process that the whole group
    serves has thousands.

    The political bodies' goals (the council's, the committees') come first, then each
    organisation's in the order of the tree, and within each group the goals in the order of their
    chains. Which goals a page shows is worked out from their paths alone (one light query); only
    that page's goals are fetched whole, with their grades.
    """
    period = selected_period(request)
    if period is None:
        return None
    visible = goals.visible_to(request.user).filter(period=period)
    organisations = Organisations()
    # (the organisation's path, "" for the political bodies above them all; the goal's path; its pk)
    ordered = []
    for pk, path, unit_path in visible.order_by().values_list("pk", "path", "org_unit__path"):
        organisation = organisations.of(unit_path)
        ordered.append((organisation.path if organisation else "", path, pk))
    ordered.sort()
    counts = Counter(organisation_path for organisation_path, _path, _pk in ordered)
    page_obj = Paginator(ordered, GOALS_BY_ORGANISATION_PAGE_SIZE).get_page(request.GET.get("page"))
    shown = Goal.objects.filter(pk__in=[pk for _organisation, _path, pk in page_obj]).select_related(
        "org_unit"
    )
    by_pk = {goal.pk: goal for goal in with_latest_grade(shown, request.user)}
    grouped: dict[str, list[Goal]] = {}
    for organisation_path, _path, pk in page_obj:
        grouped.setdefault(organisation_path, []).append(by_pk[pk])
    return PageSection(
        "goals/_goals_by_organisation.html",
        {
            "period": period,
            "periods": Period.objects.all(),
            "count": len(ordered),
            "page_obj": page_obj,
            # (the organisation, None for the political bodies; how many of its goals all pages
            # hold; this page's goals of it, nested by chain and flattened for one loop)
            "groups": [
                (
                    organisations.by_path.get(organisation_path),
                    counts[organisation_path],
                    flatten(nest(goals)),
                )
                for organisation_path, goals in grouped.items()
            ],
        },
    )
