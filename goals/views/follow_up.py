"""The follow-up of a goal in a reporting period, and the follow-up report of a reporting period."""

from typing import TypeVar

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from goals.chain.chosen_period import selected_period
from goals.chain.models import Goal, Period, ReportingPeriod
from goals.chain.workflow import Step, allows
from goals.follow_up.deadlines import with_overdue_follow_up
from goals.follow_up.forms import FollowUpForm, FollowUpReturnForm
from goals.follow_up.grading import Attainment
from goals.follow_up.models import FollowUp
from goals.follow_up.queries import followed_up_goals
from goals.follow_up.report_export import report_workbook_response
from goals.follow_up.reporting import assess, follow_up_report, grade_chart_config, readings_prefetch
from goals.follow_up.services import follow_up_return, follow_up_review, follow_up_save, follow_up_submit
from goals.follow_up.workflow import FOLLOW_UP_STEPS, ReviewStatus
from orgunits.concurrency import Conflict
from orgunits.kinds import ORGANISATION_KINDS
from orgunits.models import Organisations, OrgUnit
from orgunits.shortcuts import permitted_object_or_404
from processes.models import Process

T = TypeVar("T")


def follow_up_detail(request: HttpRequest, pk: int, reporting_period: int) -> HttpResponse:
    """A decided goal in a reporting period: the person's grade and commentary, beside what the
    indicators suggest and the roll-up of the goals below. Everyone may read a reviewed follow-up;
    its reporters report here (a POST saves the report as a draft, ``follow_up_save_view``), and
    submit it, and its deciders review it or send it back, each at its own address."""
    if request.method == "POST":
        return follow_up_save_view(request, pk, reporting_period)
    goal = get_object_or_404(followed_up_goals(request.user), pk=pk)
    reporting_periods, chosen = _reporting_periods(goal, reporting_period)
    return _follow_up_page(request, goal, chosen, reporting_periods)


@login_required
def follow_up_save_view(request: HttpRequest, pk: int, reporting_period: int) -> HttpResponse:
    """Save the report as a draft (the POST of the follow-up page)."""
    return _report(request, pk, reporting_period, submit=False)


@login_required
@require_POST
def follow_up_submit_view(request: HttpRequest, pk: int, reporting_period: int) -> HttpResponse:
    """Save the report and send it to whoever decides the goal, for review: both, or neither."""
    return _report(request, pk, reporting_period, submit=True)


@login_required
@require_POST
def follow_up_review_view(request: HttpRequest, pk: int, reporting_period: int) -> HttpResponse:
    """Accept a submitted follow-up: it becomes part of the public record."""
    return _review(request, pk, reporting_period, Step.REVIEW)


@login_required
@require_POST
def follow_up_return_view(request: HttpRequest, pk: int, reporting_period: int) -> HttpResponse:
    """Send a submitted follow-up back to its reporter, saying why."""
    return _review(request, pk, reporting_period, Step.RETURN)


def _report(request: HttpRequest, pk: int, reporting_period: int, *, submit: bool) -> HttpResponse:
    """Save (and with ``submit``, submit) the report posted; a refusal shows the page again with
    the form as typed and the reason."""
    goal = permitted_object_or_404(request, followed_up_goals(request.user), "goals.report_follow_up", pk=pk)
    reporting_periods, chosen = _reporting_periods(goal, reporting_period)
    follow_up = FollowUp.objects.filter(goal=goal, reporting_period=chosen).first()
    form = FollowUpForm(request.POST, instance=follow_up)
    if form.is_valid():
        try:
            with transaction.atomic():  # saved and sent, or neither
                saved = follow_up_save(
                    goal=goal,
                    reporting_period=chosen,
                    by=request.user,
                    version=form.cleaned_data["seen_version"],
                    **{name: form.cleaned_data[name] for name in ("attainment", "commentary", "next_steps")},
                )
                if submit:
                    follow_up_submit(follow_up=saved, by=request.user)
        except Conflict as error:
            form.refused(error, FollowUp.objects.filter(goal=goal, reporting_period=chosen).first())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _report_message(submit, goal))
            return redirect(saved)
    return _follow_up_page(request, goal, chosen, reporting_periods, form=form)


def _report_message(submit: bool, goal: Goal) -> str:
    if submit:
        return gettext("The follow-up was sent to %(unit)s for review.") % {"unit": goal.deciding_unit.name}
    return gettext("The follow-up is saved as a draft.")


def _review(request: HttpRequest, pk: int, reporting_period: int, step: Step) -> HttpResponse:
    """Take the review ``step`` (review, or return with the comment posted) on the follow-up; a
    refusal shows the page again with the reason on the review form. Refused (403) to whoever does
    not decide the goal, and to the person who submitted the follow-up."""
    goal = get_object_or_404(followed_up_goals(request.user), pk=pk)
    reporting_periods, chosen = _reporting_periods(goal, reporting_period)
    follow_up = FollowUp.objects.filter(goal=goal, reporting_period=chosen).first()
    if follow_up is None:
        raise Http404(gettext("Nothing has been reported for this goal in this period yet."))
    follow_up.goal = goal  # the rule reads the goal with its unit, fetched already
    if not rules.has_perm("goals.review_follow_up", request.user, follow_up):
        raise PermissionDenied
    return_form = FollowUpReturnForm(request.POST)
    if return_form.is_valid():
        try:
            if step == Step.REVIEW:
                follow_up_review(follow_up=follow_up, by=request.user)
            else:
                follow_up_return(
                    follow_up=follow_up, by=request.user, comment=return_form.cleaned_data["comment"]
                )
        except ValidationError as error:  # a Conflict too: someone took a step first
            return_form.add_error("comment" if error.code == "comment" else None, error)
        else:
            return redirect(follow_up)
    return _follow_up_page(request, goal, chosen, reporting_periods, return_form=return_form)


def _reporting_periods(goal: Goal, pk: int) -> tuple[list[ReportingPeriod], ReportingPeriod]:
    """The reporting periods of the goal's year (one query), to choose from, each annotated
    ``follow_up_overdue``, and the one whose pk is ``pk`` among them (a 404 when it is not)."""
    reporting_periods = list(
        with_overdue_follow_up(
            ReportingPeriod.objects.filter(period=goal.period_id).select_related("period"), goal
        )
    )
    chosen = next((each for each in reporting_periods if each.pk == pk), None)
    if chosen is None:
        raise Http404
    return reporting_periods, chosen


def _follow_up_page(
    request: HttpRequest,
    goal: Goal,
    reporting_period: ReportingPeriod,
    reporting_periods: list[ReportingPeriod],
    *,
    form: FollowUpForm | None = None,
    return_form: FollowUpReturnForm | None = None,
) -> HttpResponse:
    """The follow-up page, with the forms the user may use now; a form refused by a POST is shown
    again as it was posted, with the reason, whether or not it would be offered now."""
    prefetch_related_objects([goal], readings_prefetch(reporting_period))
    [assessment] = assess([goal], reporting_period, request.user)
    follow_up = assessment.follow_up
    status = follow_up.status if follow_up else ReviewStatus.DRAFT
    reporting = (
        request.user.has_perm("goals.report_follow_up", goal)
        and reporting_period.is_open
        and allows(FOLLOW_UP_STEPS, Step.EDIT, status)
    )
    if follow_up is not None:
        follow_up.goal = goal  # the rule reads the goal with its unit and who decides it, read already
    reviewing = (
        follow_up is not None
        and rules.has_perm("goals.review_follow_up", request.user, follow_up)
        and allows(FOLLOW_UP_STEPS, Step.REVIEW, status)
    )
    if form is None and reporting:
        form = FollowUpForm(instance=follow_up)
    if return_form is None and reviewing:
        return_form = FollowUpReturnForm()
    context = {
        "goal": goal,
        "reporting_period": reporting_period,
        "reporting_periods": reporting_periods,
        "assessment": assessment,
        "follow_up": follow_up,
        "form": form,
        "return_form": return_form,
    }
    return render(request, "goals/follow_up.html", context)


def report(request: HttpRequest) -> HttpResponse:
    """The follow-up report of a reporting period for the group, a unit's part of it or a process, as
    a page (the counts of every goal's grade, and the goals a page at a time) or (``?format=xlsx``)
    an Excel workbook with every goal."""
    # Every year's reporting periods, in one query: the chosen one, the year's and the years to choose.
    every = list(ReportingPeriod.objects.select_related("period"))
    chosen = _chosen(request, "reporting_period", every, "pk")
    # The choices are the reporting periods of the year shown: the chosen one's, or the selected
    # year's, picked among the years that have reporting periods (those the page offers).
    period = chosen.period if chosen else selected_period(request, among=_years(every, None))
    reporting_periods = [each for each in every if period and each.period_id == period.pk]
    periods = _years(every, period)
    reporting_period = chosen or _latest_ended(reporting_periods)
    if reporting_period is None:
        return render(request, "goals/report.html", {"period": period, "periods": periods})
    # The units and processes to choose from, with the chosen ones, one query each; the units'
    # query also reads the organisations the grades are counted by.
    units = list(
        OrgUnit.objects.filter(
            Q(is_active=True, depth__lte=3)
            | Q(is_active=True, kind__in=ORGANISATION_KINDS)
            | _slug_of(request, "unit")
        )
    )
    unit = _chosen(request, "unit", units, "slug")
    processes = list(Process.objects.filter(Q(is_active=True) | _slug_of(request, "process")))
    process = _chosen(request, "process", processes, "slug")
    as_workbook = request.GET.get("format") == "xlsx"
    result = follow_up_report(
        reporting_period=reporting_period,
        user=request.user,
        unit=unit,
        process=process,
        page=None if as_workbook else request.GET.get("page", 1),
        organisations=Organisations(among=units),
    )
    if as_workbook:
        return report_workbook_response(result, unit=unit, process=process)
    context = {
        "period": reporting_period.period,
        "periods": periods,
        "report": result,
        "page_obj": result.page,
        "reporting_periods": reporting_periods,
        "unit": unit,
        "process": process,
        "units": [each for each in units if each.is_active and each.depth <= 3],
        "processes": [each for each in processes if each.is_active],
        "grades": Attainment.choices,
        "level_chart": grade_chart_config(result.by_level),
        "organisation_chart": grade_chart_config(result.by_organisation),
    }
    return render(request, "goals/report.html", context)


def _slug_of(request: HttpRequest, name: str) -> Q:
    """The object named by the slug in ``?name=``, as a condition beside the choices (none without)."""
    slug = request.GET.get(name)
    return Q(slug=slug) if slug else Q(pk__in=[])


def _chosen(request: HttpRequest, name: str, options: list[T], field: str) -> T | None:
    """The option whose ``field`` is ``?name=``; None without one, a 404 for one not among them."""
    value = request.GET.get(name)
    if not value:
        return None
    for option in options:
        if str(getattr(option, field)) == value:
            return option
    raise Http404


def _years(reporting_periods: list[ReportingPeriod], period: Period | None) -> list[Period]:
    """The years to choose from: those with reporting periods, and the year shown."""
    years = {each.period_id: each.period for each in reporting_periods}
    if period is not None:
        years.setdefault(period.pk, period)
    return sorted(years.values(), key=lambda year: year.year)


def _latest_ended(reporting_periods: list[ReportingPeriod]) -> ReportingPeriod | None:
    """The last reporting period that has ended, or the first of the year if none has."""
    ended = [each for each in reporting_periods if each.ends < timezone.localdate()]
    if ended:
        return ended[-1]
    return reporting_periods[0] if reporting_periods else None
