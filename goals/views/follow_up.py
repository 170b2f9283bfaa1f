"""The follow-up of a goal in a reporting period, and the follow-up report of a reporting period."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext

from goals.chain.chosen_period import selected_period
from goals.chain.models import Goal, Period, ReportingPeriod
from goals.chain.workflow import PUBLIC_STATUSES
from goals.follow_up.forms import FollowUpForm, FollowUpReturnForm
from goals.follow_up.grading import Attainment
from goals.follow_up.models import FollowUp
from goals.follow_up.report_export import report_workbook_response
from goals.follow_up.reporting import assess, follow_up_report, grade_chart_config, readings_prefetch
from goals.follow_up.services import follow_up_return, follow_up_review, follow_up_save, follow_up_submit
from goals.follow_up.workflow import ReviewStatus
from orgunits.concurrency import Conflict
from orgunits.models import OrgUnit
from processes.models import Process

REPORT_ACTIONS = ("save", "submit")
REVIEW_ACTIONS = ("review", "return")


def follow_up_detail(request, pk, reporting_period):
    """A decided goal in a reporting period: the person's grade and commentary, beside what the
    indicators suggest and the roll-up of the goals below. Its reporters report here, its deciders
    review; everyone may read a reviewed follow-up."""
    decided = Goal.objects.visible_to(request.user).filter(status__in=PUBLIC_STATUSES)
    goal = get_object_or_404(decided.select_related("org_unit", "period"), pk=pk)
    # The year's reporting periods, to choose from, hold the one shown.
    reporting_periods = list(ReportingPeriod.objects.filter(period=goal.period_id).select_related("period"))
    reporting_period = next((each for each in reporting_periods if each.pk == reporting_period), None)
    if reporting_period is None:
        raise Http404
    prefetch_related_objects([goal], readings_prefetch(reporting_period))
    [assessment] = assess([goal], reporting_period, request.user)
    follow_up = assessment.follow_up
    can_report = request.user.has_perm("goals.report_follow_up", goal)
    can_review = request.user.has_perm("goals.review_follow_up", goal)
    status = follow_up.status if follow_up else ReviewStatus.DRAFT
    reporting = (
        can_report and reporting_period.is_open and status in (ReviewStatus.DRAFT, ReviewStatus.RETURNED)
    )
    reviewing = can_review and status == ReviewStatus.SUBMITTED

    action = request.POST.get("action") if request.method == "POST" else None
    if action and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    form = FollowUpForm(request.POST if action in REPORT_ACTIONS else None, instance=follow_up)
    return_form = FollowUpReturnForm(request.POST if action in REVIEW_ACTIONS else None)
    if action in REPORT_ACTIONS:
        if not can_report:
            raise PermissionDenied
        if form.is_valid():
            try:
                with transaction.atomic():  # saved and sent, or neither
                    report = {
                        name: form.cleaned_data[name] for name in ("attainment", "commentary", "next_steps")
                    }
                    saved = follow_up_save(
                        goal=goal,
                        reporting_period=reporting_period,
                        by=request.user,
                        version=form.cleaned_data["seen_version"],
                        **report,
                    )
                    if action == "submit":
                        follow_up_submit(follow_up=saved, by=request.user)
            except Conflict as error:
                saved_now = FollowUp.objects.filter(goal=goal, reporting_period=reporting_period).first()
                form.refused(error, saved_now)
                follow_up = saved_now
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _report_message(action, goal))
                return redirect(saved)
    elif action in REVIEW_ACTIONS:
        if not can_review:
            raise PermissionDenied
        if follow_up is None:
            raise Http404(gettext("Nothing has been reported for this goal in this period yet."))
        if return_form.is_valid():
            try:
                if action == "review":
                    follow_up_review(follow_up=follow_up, by=request.user)
                else:
                    follow_up_return(
                        follow_up=follow_up, by=request.user, comment=return_form.cleaned_data["comment"]
                    )
            except ValidationError as error:
                return_form.add_error("comment" if error.code == "comment" else None, error)
            else:
                return redirect(follow_up)
    context = {
        "goal": goal,
        "reporting_period": reporting_period,
        "reporting_periods": reporting_periods,
        "assessment": assessment,
        "follow_up": follow_up,
        # A refused POST shows its form again with the reason, and keeps what was typed.
        "form": form if reporting or form.is_bound else None,
        "return_form": return_form if reviewing or return_form.is_bound else None,
    }
    return render(request, "goals/follow_up.html", context)


def _report_message(action: str, goal: Goal) -> str:
    if action == "submit":
        return gettext("The follow-up was sent to %(unit)s for review.") % {"unit": goal.deciding_unit.name}
    return gettext("The follow-up is saved as a draft.")


def report(request):
    """The follow-up report of a reporting period for the group, a unit's part of it or a process, as
    a page (the counts of every goal's grade, and the goals a page at a time) or (``?format=xlsx``)
    an Excel workbook with every goal."""
    # Every year's reporting periods, in one query: the chosen one, the year's and the years to choose.
    every = list(ReportingPeriod.objects.select_related("period"))
    chosen = _chosen(request, "reporting_period", every, "pk")
    # The choices are the reporting periods of the year shown: the chosen one's, or the selected year's.
    period = chosen.period if chosen else selected_period(request)
    reporting_periods = [each for each in every if period and each.period_id == period.pk]
    periods = _years(every, period)
    reporting_period = chosen or _latest_ended(reporting_periods)
    if reporting_period is None:
        return render(request, "goals/report.html", {"period": period, "periods": periods})
    # The units and processes to choose from, with the chosen ones, one query each.
    units = list(OrgUnit.objects.filter(Q(is_active=True, depth__lte=3) | _slug_of(request, "unit")))
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


def _slug_of(request, name: str) -> Q:
    """The object named by the slug in ``?name=``, as a condition beside the choices (none without)."""
    slug = request.GET.get(name)
    return Q(slug=slug) if slug else Q(pk__in=[])


def _chosen(request, name: str, options: list, field: str):
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
