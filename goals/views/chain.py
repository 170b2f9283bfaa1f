from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass
from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_POST

from goals.chain.break_down import places_to_break_down
from goals.chain.chosen_period import remember_my_unit, remember_period, selected_period
from goals.chain.forms import (
    DecisionForm,
    GoalForm,
    MyUnitChoiceForm,
    NewGoalPlace,
    PeriodChoiceForm,
    RevisionForm,
)
from goals.chain.levels import Level
from goals.chain.models import OPEN_REVISION_STATUSES, Decision, Goal, Period, Revision
from goals.chain.queries import (
    chain_and_nearest_cascade,
    chain_goals,
    chains_of,
    changes_proposed,
    decidable_groups,
    goal_counts_by_unit,
    grouped_by_unit,
    history_of,
    refusals_of_decided,
    units_of_my_goals,
    units_with_their_goals,
    waits_for,
    with_cascade_size,
    with_workflow_state,
)
from goals.chain.services import (
    goal_approve,
    goal_return,
    goal_revise,
    goal_save,
    goal_submit,
    revision_discard,
)
from goals.chain.serving import processes_served
from goals.chain.workflow import GOAL_STEPS, Status, Step, allows, changes_through_revision, open_steps
from goals.exports import csv_row
from goals.follow_up.deadlines import with_first_overdue
from goals.follow_up.grading import Attainment
from goals.follow_up.queries import (
    follow_ups_by_reporting_period,
    follow_ups_to_review,
    latest_grades_by_process,
    with_unit_and_grade,
)
from goals.follow_up.reporting import parted_latest_grade, with_latest_grade_row
from goals.indicators.trends import with_indicators
from orgunits import page_cache
from orgunits.addresses import address_around
from orgunits.concurrency import Conflict
from orgunits.kinds import POLITICAL_KINDS, Kind, quoted
from orgunits.models import Organisations, OrgUnit
from orgunits.shortcuts import permitted_object_or_404
from orgunits.trees import flatten, nest
from processes.models import Process

# The chain tree shows this many goals a page, in the chain's order.
CHAIN_PAGE_SIZE = 100
# The kinds of unit the chain tree filters by: the group, its political bodies and their administrations.
CHAIN_FILTER_KINDS = (*POLITICAL_KINDS, Kind.ADMINISTRATION)


def chain_tree(request: HttpRequest) -> HttpResponse:
    """The steering chain of the whole group in one period, filterable by a unit's subtree, a level and
    a goal's cascade (``?goal=pk``: the goal and the goals below it, in the goal's year).

    The goals are shown a page at a time in the chain's order (the tree's preorder), each page nested
    as a tree; a page that starts inside a branch begins with the goals above its first goal."""
    visible = Goal.objects.visible_to(request.user)
    top = None
    if (goal_pk := request.GET.get("goal", "")).isdigit():
        top = visible.filter(pk=goal_pk).select_related("org_unit", "period").first()
    period = top.period if top else selected_period(request)
    unit = OrgUnit.objects.filter(slug=unit_slug).first() if (unit_slug := request.GET.get("unit")) else None
    deepest = request.GET.get("level")
    goals = chain_goals(visible.filter(period=period), top=top, unit=unit, deepest=deepest)
    page_obj = Paginator(goals if period else Goal.objects.none(), CHAIN_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    # The page's goals are picked in a subquery, so that their grades are looked up for them alone
    # rather than for every goal of the chain before the sort; and fetched by their ids alone, since
    # repeating the filters the subquery applied made the database read the year's goals for them.
    on_page = Goal.objects.filter(pk__in=page_obj.object_list.values("pk")).order_by("path")
    shown = list(with_unit_and_grade(on_page, request.user))
    # The first goal of page 1 stands at the top of the filtered chain; a later page's may not.
    above = (
        list(with_unit_and_grade(goals.filter(path__in=shown[0].ancestor_paths()), request.user))
        if shown and page_obj.number > 1
        else []
    )
    # One flat loop renders the page's tree: an include per goal would cost more than the query.
    rows = flatten(nest([*above, *shown]))
    context = {
        "period": period,
        "periods": Period.objects.all(),
        "page_obj": page_obj,
        "rows": rows,
        "above_count": len(above),
        # The top two levels shown are open; every branch of a chain that spans pages is, so that a
        # page shows all of its goals.
        "open_depth": rows[0].item.depth + 1 if rows else 0,
        "open_all": page_obj.has_other_pages(),
        "top": top,
        "unit": unit,
        "units": OrgUnit.objects.active()
        .filter(depth__lte=3, kind__in=CHAIN_FILTER_KINDS)
        .order_by("path")
        .only("slug", "name"),
        "levels": Level.choices,
        "deepest": deepest,
    }
    return render(request, "goals/chain_tree.html", context)


# A goal's page shows at most this many goals of its cascade down, the nearest first; the chain tree
# shows the whole cascade.
CASCADE_SHOWN = 100


def _addressed(groups: list[tuple[OrgUnit, list[Goal]]]) -> list[tuple[OrgUnit, list[Goal]]]:
    """The groups of the cascade, each unit given its page's address as ``unit.address``: built
    around its slug from one ``reverse`` (``address_around``), as a hundred headings'
    ``get_absolute_url`` cost about 1.5 ms."""
    start, end = address_around("orgunits:detail", "slug")
    for unit, _goals in groups:
        unit.address = f"{start}{unit.slug}{end}"
    return groups


def goal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    visible = Goal.objects.visible_to(request.user)
    # Whether a change is proposed, read with the goal: most goals have none, and then it is not
    # fetched (a query saved).
    proposed = Exists(Revision.objects.filter(goal=OuterRef("pk"), status__in=OPEN_REVISION_STATUSES))
    goal = get_object_or_404(
        with_cascade_size(
            with_indicators(
                visible.select_related("org_unit", "period", "owner").annotate(has_open_revision=proposed)
            ),
            among=visible,
        ),
        pk=pk,
    )
    if not goal.has_open_revision:
        goal.open_revisions = []  # where ``Goal.open_revision`` looks before it asks the database
    # The chain up and the nearest goals of the cascade down, in one query.
    around = with_latest_grade_row(
        chain_and_nearest_cascade(goal, among=visible, shown=CASCADE_SHOWN).select_related("org_unit"),
        request.user,
    ).order_by("depth", "path")
    around = [parted_latest_grade(item) for item in around]
    chain = [item for item in around if item.depth < goal.depth]
    cascade = [item for item in around if item.depth > goal.depth]
    # A proposed change is work in progress: signed-in users see it, the public the approved goal.
    revision = (
        goal.open_revision()
        if request.user.is_authenticated and changes_through_revision(goal.status)
        else None
    )
    context = {
        "goal": goal,
        "revision": revision,
        "steps": open_steps(goal.status, revision.status if revision else None),
        "changes_through_revision": changes_through_revision(goal.status),
        "revision_changes": revision.changes() if revision else [],
        "follow_ups": follow_ups_by_reporting_period(goal, request.user),
        "decisions": goal.decisions.select_related("deciding_unit", "delegated_by"),
        "chain": chain,
        "cascade": _addressed(grouped_by_unit(cascade)),
        "cascade_size": goal.cascade_size,
        "cascade_shown": len(cascade),
        "served": processes_served(goal, chain),
    }
    return render(request, "goals/goal_detail.html", context)


@login_required
def goal_create(request: HttpRequest) -> HttpResponse:
    """Add a goal at a unit (``?unit=slug``) or break down a goal (``?parent=pk``)."""
    place = NewGoalPlace(request.GET)
    if not place.is_valid():
        raise Http404(_choice_error(place))
    parent, unit = place.cleaned_data["parent"], place.cleaned_data["unit"]
    places = None
    if parent is not None:
        # Break the goal down at the units of its part of the organisation that the user may add
        # to, at the levels the chain rules accept there: nothing offered is refused on saving.
        unit, period = None, parent.period
        places = places_to_break_down(parent, user=request.user)
        if places is None:
            raise PermissionDenied
        if not places.levels_by_unit:  # the styled 400 page says why (styrmodell.errors)
            raise BadRequest(
                " ".join(places.refusals[:3])
                or gettext("No goal of any level breaks down “%(goal)s”.") % {"goal": parent.title}
            )
        places = places.levels_by_unit
    elif unit is not None:
        if not request.user.has_perm("goals.add_goal_at_unit", unit):
            raise PermissionDenied
        period = selected_period(request)
        if period is None:
            raise BadRequest(gettext("No planning period has been set up yet."))
    else:
        # The styled 400 page says it, with the ways to a unit or a goal (styrmodell.errors).
        raise BadRequest(gettext("Choose a unit or a goal to break down."))
    form = GoalForm(request.POST or None, period=period, unit=unit, parent=parent, places=places)
    if request.method == "POST" and form.is_valid():
        try:
            goal = _save(form)
        except ValidationError as error:  # the chain changed between the check and the save
            form.add_error(None, error)
        else:
            return redirect(goal)
    return render(
        request, "goals/goal_form.html", {"form": form, "period": period, "parent": parent, "unit": unit}
    )


@login_required
def goal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a draft or a goal sent back; for an approved goal, propose a change (a revision)."""
    goal = permitted_object_or_404(
        request, Goal.objects.select_related("org_unit", "period"), "goals.edit_goal", pk=pk
    )
    if changes_through_revision(goal.status):
        return _revise(request, goal)
    if goal.is_locked:
        messages.error(request, goal.why_locked())
        return redirect(goal)
    form = GoalForm(request.POST or None, instance=goal, period=goal.period)
    if request.method == "POST" and form.is_valid():
        try:
            goal = _save(form)
        except Conflict as error:
            form.refused(error, Goal.objects.get(pk=goal.pk))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect(goal)
    return render(request, "goals/goal_form.html", {"form": form, "period": goal.period, "goal": goal})


def _revise(request: HttpRequest, goal: Goal) -> HttpResponse:
    form = RevisionForm(request.POST or None, goal=goal)
    if not allows(GOAL_STEPS, Step.EDIT, form.instance.status):  # the change waits for its decision
        messages.error(request, goal.why_locked())
        return redirect(goal)
    if request.method == "POST" and form.is_valid():
        try:
            goal_revise(
                goal=goal,
                by=request.user,
                content={name: form.cleaned_data.get(name) for name in Revision.CONTENT_FIELDS},
                processes=form.cleaned_data["processes"],
                version=form.cleaned_data["seen_version"],
            )
        except Conflict as error:
            form.refused(error, goal.open_revision())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                gettext(
                    "The change is saved as a draft. Everyone sees the approved goal until the change is approved."
                ),
            )
            return redirect(goal)
    return render(request, "goals/revision_form.html", {"form": form, "goal": goal})


@login_required
@require_POST
def revision_discard_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Drop the change proposed to an approved goal; the goal stays as it was approved."""
    goal = permitted_object_or_404(request, Goal, "goals.edit_goal", pk=pk)
    revision = goal.open_revision()
    if revision is None:
        raise Http404(gettext("No change is proposed to this goal."))
    try:
        revision_discard(revision=revision, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, gettext("The proposed change is discarded."))
    return redirect(goal)


def _save(form: GoalForm) -> Goal:
    data = form.cleaned_data
    return goal_save(
        goal=form.save(commit=False),
        parent=data["parent"],
        processes=data["processes"],
        join_processes=data["join_processes"],
        version=data["seen_version"],
    )


# My goals shows this many goals a page.
MY_GOALS_PAGE_SIZE = 50


@login_required
def my_goals(request: HttpRequest) -> HttpResponse:
    """The units the user belongs to, each with its goals in the period, their chain up and the size
    of their cascade down, a page of goals at a time. A user without memberships picks "my unit", and
    the portal remembers it."""
    period = selected_period(request)
    my_units, chosen_unit = units_of_my_goals(request.user)
    page_obj, goals, counts = None, [], {}
    if my_units and period is not None:
        mine = Goal.objects.filter(period=period, org_unit__in=my_units)
        counts = goal_counts_by_unit(mine)
        paginator = Paginator(
            with_first_overdue(
                with_unit_and_grade(with_workflow_state(with_cascade_size(mine)), request.user)
            ).order_by("org_unit__path", "path"),
            MY_GOALS_PAGE_SIZE,
        )
        paginator.count = sum(counts.values())  # known from the counts: no query of its own
        page_obj = paginator.get_page(request.GET.get("page"))
        goals = list(page_obj)
        awaiting = [goal for goal in goals if Status.SUBMITTED in (goal.status, goal.revision_status)]
        if awaiting:  # who each waits for, from the organisations read once (one query)
            organisations = Organisations()
            for goal in awaiting:
                goal.deciding_unit = goal.deciding_unit_among(organisations)
    first_page = page_obj is None or page_obj.number == 1
    context = {
        "period": period,
        "periods": Period.objects.all(),
        "has_memberships": chosen_unit is None and bool(my_units),
        "chosen_unit": chosen_unit,
        "units": OrgUnit.objects.active(),
        # Each unit with its goals on this page; a unit without goals in the year on the first page.
        "my_units": units_with_their_goals(my_units, goals, counts=counts if first_page else None),
        "page_obj": page_obj,
    }
    return render(request, "goals/my_goals.html", context)


@require_POST
def choose_period(request: HttpRequest) -> HttpResponse:
    """Remember the year chosen and go back to the page it was chosen on. A year not offered (a
    stale page, a year removed meanwhile, a hand-made request) goes back there too, saying so."""
    form = PeriodChoiceForm(request.POST)
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    if form.is_valid():
        remember_period(request, form.cleaned_data["period"])
    else:
        messages.error(
            request, gettext("That year is not offered any more. Choose one of the years in the list.")
        )
    return redirect(next_url)


@login_required
@require_POST
def choose_my_unit(request: HttpRequest) -> HttpResponse:
    """Remember the unit whose goals My goals shows; a unit not offered goes back there, saying so."""
    form = MyUnitChoiceForm(request.POST)
    if form.is_valid():
        remember_my_unit(request, form.cleaned_data["unit"])
    else:
        messages.error(
            request, gettext("That unit is not offered any more. Choose one of the units in the list.")
        )
    return redirect("goals:mine")


def _choice_error(form) -> str:
    return " ".join(error for errors in form.errors.values() for error in errors)


def process_matrix(request: HttpRequest) -> HttpResponse:
    """Processes × organisations: how many goals each organisation has serving each process in the
    period, with their latest grades, as a table or (``?format=csv``) a spreadsheet of the counts.
    The table comes from the shared cache of whole-group pages while the group's data is unchanged:
    it differs by period, language and whether the visitor is signed in (what goals and grades they
    may read), by nothing else of the visitor."""
    period = selected_period(request)
    if request.GET.get("format") == "csv":
        _columns, headings, rows = _matrix_rows(request.user, period)
        return _matrix_csv(period, headings, rows)
    table = page_cache.cached(
        ("process-matrix", period.pk if period else None),
        partial(_matrix_table, request.user, period),
        user=request.user,
    )
    context = {
        "period": period,
        "periods": Period.objects.all(),
        "table": mark_safe(table),  # rendered by a template, which escaped what it shows
        "grade_labels": Attainment.choices,
    }
    return render(request, "goals/process_matrix.html", context)


def _matrix_rows(
    user, period: Period | None
) -> tuple[list, list[str], list[tuple[Process, list[MatrixCell]]]]:
    """The matrix's columns (None: the political bodies, then each organisation), their headings, and
    for each active process its cells, one per column."""
    processes = list(Process.objects.active())
    organisations = Organisations()
    columns = [None, *organisations]  # None: the council, the executive board and the committees
    grades = latest_grades_by_process(
        user=user, period=period, processes=processes, organisations=organisations
    )
    labels = [(grade, str(grade.label).lower()) for grade in Attainment]  # translated once, not per cell
    rows = [
        (
            process,
            [
                MatrixCell.of(grades.get((process.pk, column.pk if column else None)), labels)
                for column in columns
            ],
        )
        for process in processes
    ]
    headings = [column.name if column else gettext("The council and the committees") for column in columns]
    return columns, headings, rows


def _matrix_table(user, period: Period | None) -> str:
    """The matrix's table as HTML, to be kept in the shared cache."""
    columns, headings, rows = _matrix_rows(user, period)
    context = {"period": period, "columns": list(zip(columns, headings, strict=True)), "rows": rows}
    return render_to_string("goals/_process_matrix_table.html", context)


@dataclass(frozen=True)
class MatrixCell:
    """How many goals of an organisation serve a process, how many have each latest grade, and how
    many have none yet: the grades and the goals not followed up add up to the goals."""

    count: int
    grades: list[tuple[str, str, int]]  # (grade, its label in lower case, how many)
    not_followed_up: int = 0

    @classmethod
    def of(cls, grades: Counter | None, labels: list[tuple[Attainment, str]]) -> MatrixCell:
        """The cell for these goals' latest grades (None: not graded yet), given each grade's label."""
        if not grades:
            return EMPTY_CELL
        return cls(
            count=sum(grades.values()),
            grades=[(grade, label, grades[grade]) for grade, label in labels if grades[grade]],
            not_followed_up=grades[None],
        )


EMPTY_CELL = MatrixCell(count=0, grades=[])


def _matrix_csv(period, headings, rows) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="processer-{period.year if period else "inga"}.csv"'
    )
    response.write("\ufeff")  # so that Excel reads the file as UTF-8
    # Semicolons, as Excel with Swedish settings expects.
    writer = csv.writer(response, delimiter=";")
    writer.writerow(csv_row([gettext("Process"), gettext("Kind"), *headings]))
    for process, cells in rows:
        writer.writerow(csv_row([process.name, process.get_kind_display(), *(cell.count for cell in cells)]))
    return response


@login_required
def goal_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Who changed the goal, when, and what: each version against the one before it, and each step
    of the changes proposed to it once it was approved. Drafts are working material: signed-in only."""
    goal = get_object_or_404(Goal.objects.select_related("org_unit"), pk=pk)
    return render(request, "goals/goal_history.html", {"goal": goal, "entries": history_of(goal)})


@login_required
@require_POST
def goal_submit_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Send the goal to whoever decides it."""
    goal = permitted_object_or_404(request, Goal, "goals.submit_goal", pk=pk)
    try:
        goal_submit(goal=goal, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        sent = (
            gettext("The proposed change was sent to %(unit)s for decision.")
            if changes_through_revision(goal.status)
            else gettext("The goal was sent to %(unit)s for decision.")
        )
        messages.success(request, sent % {"unit": goal.deciding_unit.name})
    return redirect(goal)


@login_required
def approval_queue(request: HttpRequest) -> HttpResponse:
    """The submitted goals the user decides, one group per deciding body or unit, each goal with its
    chain; approve or send back one or many at once under one decision."""
    period = selected_period(request)
    organisations = Organisations()
    groups = decidable_groups(user=request.user, period=period, organisations=organisations)
    chains = chains_of([goal for _unit, goals in groups for goal in goals])
    posted_unit = request.POST.get("unit") if request.method == "POST" else None
    if posted_unit is not None and (decided := _decided_meanwhile(request, posted_unit, groups)):
        # Someone else decided some of the chosen goals since the page was read: say what became
        # of them, and let the person choose again from what still waits.
        for message in decided:
            messages.error(request, message)
        return redirect(request.get_full_path())
    if posted_unit is not None and posted_unit not in {str(unit.pk) for unit, _goals in groups}:
        raise PermissionDenied  # nothing of that body or unit waits for this user's decision
    forms_by_unit = []
    for unit, goals in groups:
        queryset = Goal.objects.filter(pk__in=[goal.pk for goal in goals]).select_related("org_unit")
        queryset = queryset.with_open_revision()
        posted = posted_unit == str(unit.pk)
        form = DecisionForm(request.POST if posted else None, goals=queryset, prefix=f"unit-{unit.pk}")
        if posted and form.is_valid():
            try:
                decision = _decide(form, request.user)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _decided_message(form.cleaned_data, decision))
                return redirect("goals:queue")
        items = [(goal, chains[goal.pk], changes_proposed(goal), waits_for(goal, chains)) for goal in goals]
        forms_by_unit.append((unit, items, form))
    context = {
        "period": period,
        "periods": Period.objects.all(),
        "groups": forms_by_unit,
        "follow_ups": follow_ups_to_review(user=request.user, period=period, organisations=organisations),
    }
    return render(request, "goals/approval_queue.html", context)


def _decided_meanwhile(request: HttpRequest, posted_unit: str, groups) -> list[str]:
    """What became of the posted goals that no longer wait for a decision, where the user decides
    them (``refusals_of_decided``)."""
    waiting = {str(goal.pk) for _unit, goals in groups for goal in goals}
    posted = [
        pk for pk in request.POST.getlist(f"unit-{posted_unit}-goals") if pk.isdigit() and pk not in waiting
    ]
    step = (
        Step.APPROVE
        if request.POST.get(f"unit-{posted_unit}-action") == DecisionForm.APPROVE
        else Step.RETURN
    )
    return refusals_of_decided(pks=posted, step=step, user=request.user)


def _decide(form: DecisionForm, user) -> Decision | None:
    """Approve the chosen goals under the decision posted (and return it), or send them back."""
    data = form.cleaned_data
    if data["action"] == DecisionForm.APPROVE:
        return goal_approve(
            goals=data["goals"],
            by=user,
            meeting_date=data["meeting_date"],
            paragraph=data["paragraph"],
            registry_number=data["registry_number"],
            minutes_url=data["minutes_url"],
        )
    else:
        with transaction.atomic():
            for goal in data["goals"]:
                goal_return(goal=goal, by=user, comment=data["comment"])
    return None


def _decided_message(data: dict, decision: Decision | None) -> str:
    """What the person just did, naming the goals: approved under which decision, or sent back and
    why, so that nobody wonders whether the button took."""
    goals = list(data["goals"])
    values = {"goals": ", ".join(quoted(goal.title) for goal in goals), "count": len(goals)}
    if decision is None:
        return ngettext(
            "Sent back for rework: %(goals)s. The reason given: %(comment)s",
            "%(count)d goals sent back for rework: %(goals)s. The reason given: %(comment)s",
            len(goals),
        ) % (values | {"comment": data["comment"].strip()})
    message = ngettext(
        "Approved under the decision %(decision)s: %(goals)s.",
        "%(count)d goals approved under the decision %(decision)s: %(goals)s.",
        len(goals),
    ) % (values | {"decision": decision})
    return f"{message} {decision.delegation}." if decision.delegated_by else message
