"""Goals' answers to the organisation's signals.

Before a unit changes, the organisation asks whether that would break a steering chain. Only goals
of the current and later periods count: the chains of past years are history, drawn on the
organisation as it was then. And a unit's page shows the unit's goals.
"""

from collections import Counter

from django.core.paginator import Paginator
from django.db.models.signals import post_save
from django.dispatch import receiver

from goals.chain.chosen_period import selected_period
from goals.chain.levels import GOAL_SETTING_KINDS, Level
from goals.chain.models import Goal, Period, ReportingPeriod
from goals.chain.placement import unit_change_problems, unserving_problems
from goals.chain.queries import one_of, parent_of, parents_of, with_cascade_size
from goals.follow_up.reporting import with_latest_grade
from orgunits.models import Organisations, OrgUnit
from orgunits.signals import PageSection, placement_checked, serving_checked, unit_page_shown
from orgunits.trees import flatten, nest, subtree_of
from processes.models import Process, TargetGroup
from processes.signals import page_shown

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
    """What of the current and later years' chains the organisation as the change would leave it
    breaks (the rules: ``goals.chain.placement.unit_change_problems``)."""
    goals = Goal.objects.filter(period__in=Period.objects.current_and_later())
    return unit_change_problems(unit, parent=parent, goals=goals)


@receiver(serving_checked, sender=OrgUnit)
def goals_unserving_would_break(sender, *, unit: OrgUnit, bodies, **kwargs) -> list[str]:
    """The current and later years' goals that break down a goal of a body ``unit`` would stop
    serving (``goals.chain.placement.unserving_problems``)."""
    goals = Goal.objects.filter(period__in=Period.objects.current_and_later())
    return unserving_problems(unit, bodies=bodies, goals=goals)


@receiver(unit_page_shown, sender=OrgUnit)
def unit_goals_section(sender, *, request, unit: OrgUnit, **kwargs) -> PageSection | None:
    """The unit's goals in the selected period, by level, each with the goal it breaks down and its cascade."""
    if unit.kind not in GOAL_SETTING_KINDS:
        return None  # the auditors: the page says they set no goals
    periods = list(Period.objects.all())  # the years to choose from, and the one shown among them
    period = selected_period(request, among=periods)
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
            "periods": periods,
            "by_level": [(label, items) for label, items in by_level if items],
        },
    )


@receiver(page_shown, sender=Process)
def process_goals_section(sender, *, request, obj: Process, **kwargs) -> PageSection | None:
    """Every goal that serves the process in the selected period, grouped by organisation."""
    # The process's goals of every year first, then each looked up: joined to them, the year's goals
    # were all read to keep the process's (at the default scale 2.2 to 1.2 ms).
    serving = Goal.processes.through.objects.filter(process=obj).values("goal_id")
    return _goals_by_organisation_section(request, Goal.objects.filter(one_of("pk", serving)))


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
    periods = list(Period.objects.all())  # the years to choose from, and the one shown among them
    period = selected_period(request, among=periods)
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
            "periods": periods,
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
