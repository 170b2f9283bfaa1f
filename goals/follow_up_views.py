"""The follow-up of a goal in a reporting period, and the follow-up report of a reporting period."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext

from goals.forms import FollowUpForm, FollowUpReturnForm
from goals.grading import Attainment
from goals.models import PUBLIC_STATUSES, Goal, Period, ReportingPeriod, ReviewStatus
from goals.report_export import report_workbook_response
from goals.reporting import assess, follow_up_report, grade_chart_config, with_readings
from goals.selection import selected_period
from goals.services import follow_up_return, follow_up_review, follow_up_save, follow_up_submit
from orgunits.models import OrgUnit
from processes.models import Process

REPORT_ACTIONS = ("save", "submit")
REVIEW_ACTIONS = ("review", "return")


def follow_up_detail(request, pk, reporting_period):
    """A decided goal in a reporting period: the person's grade and commentary, beside what the
    indicators suggest and the roll-up of the goals below. Its reporters report here, its deciders
    review; everyone may read a reviewed follow-up."""
    decided = Goal.objects.visible_to(request.user).filter(status__in=PUBLIC_STATUSES)
    goal = get_object_or_404(with_readings(decided.select_related("org_unit", "period")), pk=pk)
    reporting_period = get_object_or_404(
        ReportingPeriod.objects.select_related("period"), pk=reporting_period, period=goal.period_id
    )
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
                    saved = follow_up_save(
                        goal=goal, reporting_period=reporting_period, by=request.user, **form.cleaned_data
                    )
                    if action == "submit":
                        follow_up_submit(follow_up=saved, by=request.user)
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
        "reporting_periods": ReportingPeriod.objects.filter(period=goal.period_id),
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
    a page or (``?format=xlsx``) an Excel workbook with the same content."""
    period = selected_period(request)
    chosen = _chosen(request, "reporting_period", ReportingPeriod.objects.select_related("period"), "pk")
    # The choices are the reporting periods of the year shown: the chosen one's, or the selected year's.
    year = chosen.period_id if chosen else period
    reporting_periods = list(ReportingPeriod.objects.filter(period=year).select_related("period"))
    reporting_period = chosen or _latest_ended(reporting_periods)
    if reporting_period is None:
        return render(request, "goals/report.html", {"period": period, "periods": Period.objects.all()})
    unit = _chosen(request, "unit", OrgUnit.objects.all(), "slug")
    process = _chosen(request, "process", Process.objects.all(), "slug")
    result = follow_up_report(
        reporting_period=reporting_period, user=request.user, unit=unit, process=process
    )
    if request.GET.get("format") == "xlsx":
        return report_workbook_response(result, unit=unit, process=process)
    context = {
        "period": reporting_period.period,
        "periods": Period.objects.all(),
        "report": result,
        "reporting_periods": reporting_periods,
        "unit": unit,
        "process": process,
        "units": OrgUnit.objects.active().filter(depth__lte=3),
        "processes": Process.objects.active(),
        "grades": Attainment.choices,
        "level_chart": grade_chart_config(result.by_level),
        "organisation_chart": grade_chart_config(result.by_organisation),
    }
    return render(request, "goals/report.html", context)


def _chosen(request, name: str, queryset, field: str):
    value = request.GET.get(name)
    if not value:
        return None
    if field == "pk" and not value.isdigit():
        raise Http404
    return get_object_or_404(queryset, **{field: value})


def _latest_ended(reporting_periods: list[ReportingPeriod]) -> ReportingPeriod | None:
    """The last reporting period that has ended, or the first of the year if none has."""
    ended = [each for each in reporting_periods if each.ends < timezone.localdate()]
    if ended:
        return ended[-1]
    return reporting_periods[0] if reporting_periods else None
