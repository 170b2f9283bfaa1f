"""When a follow-up is overdue: the rule at its edges, asked of one follow-up and of many goals at
once, which must always agree."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from goals.chain.levels import Level
from goals.chain.workflow import Status
from goals.follow_up.deadlines import (
    is_overdue,
    overdue_follow_ups,
    undelivered_follow_ups,
    with_first_overdue,
    with_overdue_follow_up,
    with_overdue_in,
)
from goals.follow_up.grading import Attainment
from goals.models import FollowUp, Goal, ReportingPeriod, ReportingPeriodKind, ReviewStatus
from tests.kit.chain import add_goal, grow_chain
from tests.kit.clients import in_swedish
from tests.kit.people import member_of

pytestmark = pytest.mark.django_db

DEADLINE = datetime.date(2030, 9, 20)  # the day the interim report is due, in every test here


@pytest.fixture
def interim(chain) -> ReportingPeriod:
    """The chain's interim report, due on ``DEADLINE``; the year's other reports are due long after
    it, so that only this one can be overdue."""
    ReportingPeriod.objects.filter(period=chain.period).update(deadline=datetime.date(2099, 1, 1))
    ReportingPeriod.objects.filter(period=chain.period, kind=ReportingPeriodKind.INTERIM).update(
        deadline=DEADLINE
    )
    return ReportingPeriod.objects.get(period=chain.period, kind=ReportingPeriodKind.INTERIM)


def report(goal, reporting_period, status) -> FollowUp:
    return FollowUp.objects.create(
        goal=goal,
        reporting_period=reporting_period,
        attainment=Attainment.PARTLY,
        commentary="Fler elever läser med flyt.",
        status=status,
    )


def overdue(goal, reporting_period, today) -> tuple[bool, bool]:
    """The rule's answer for the goal, asked of the follow-up held, and of the database."""
    follow_up = FollowUp.objects.filter(goal=goal, reporting_period=reporting_period).first()
    held = is_overdue(goal=goal, reporting_period=reporting_period, follow_up=follow_up, today=today)
    listed = list(
        overdue_follow_ups(Goal.objects.filter(pk=goal.pk), today=today).values_list(
            "undelivered_reporting_period", "undelivered_deadline"
        )
    )
    assert listed in ([], [(reporting_period.pk, DEADLINE)])
    return held, bool(listed)


def test_a_follow_up_due_today_is_not_overdue(chain, interim):
    assert overdue(chain.operational, interim, today=DEADLINE) == (False, False)


def test_a_follow_up_not_reported_the_day_after_its_deadline_is_overdue(chain, interim):
    assert overdue(chain.operational, interim, today=DEADLINE + datetime.timedelta(days=1)) == (True, True)


def test_a_follow_up_due_within_the_days_asked_is_found_until_it_is_delivered(chain, interim):
    def due(days_ahead: int) -> bool:
        due_by = DEADLINE - datetime.timedelta(days=14) + datetime.timedelta(days=days_ahead)
        return undelivered_follow_ups(Goal.objects.filter(pk=chain.operational.pk), due_by=due_by).exists()

    assert (due(13), due(14)) == (False, True)
    report(chain.operational, interim, ReviewStatus.DRAFT)
    assert due(14)
    FollowUp.objects.filter(goal=chain.operational).update(status=ReviewStatus.SUBMITTED)
    assert not due(14)


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (ReviewStatus.DRAFT, True),
        (ReviewStatus.RETURNED, True),
        (ReviewStatus.SUBMITTED, False),
        (ReviewStatus.REVIEWED, False),
    ],
)
def test_only_a_follow_up_sent_for_review_or_reviewed_is_delivered(chain, interim, status, expected):
    report(chain.operational, interim, status)
    day_after = DEADLINE + datetime.timedelta(days=1)
    assert overdue(chain.operational, interim, today=day_after) == (expected, expected)


@pytest.mark.parametrize("status", [Status.DRAFT, Status.SUBMITTED, Status.RETURNED])
def test_no_follow_up_is_due_for_a_goal_not_decided(chain, interim, status):
    Goal.objects.filter(pk=chain.operational.pk).update(status=status)
    chain.operational.refresh_from_db()
    assert overdue(chain.operational, interim, today=datetime.date(2031, 1, 1)) == (False, False)


@pytest.mark.parametrize("goal", ["vision", "activity"])
def test_no_follow_up_is_due_for_the_vision_or_an_activity(chain, interim, goal):
    """The report grades strategic, body and operational goals; the vision heads it, activities
    report their progress."""
    assert overdue(getattr(chain, goal), interim, today=datetime.date(2031, 1, 1)) == (False, False)


def test_an_archived_goal_of_a_closed_year_still_owes_its_follow_up(chain, interim):
    Goal.objects.filter(pk=chain.operational.pk).update(status=Status.ARCHIVED)
    chain.operational.refresh_from_db()
    assert overdue(chain.operational, interim, today=datetime.date(2031, 1, 1)) == (True, True)


def test_many_goals_are_listed_once_for_each_report_overdue(chain, interim):
    """Every followed-up goal of the chain owes the interim report but the one that delivered it;
    the four-month report, due earlier, is owed too by the goals that have not delivered it."""
    four_months = ReportingPeriod.objects.get(period=chain.period, kind=ReportingPeriodKind.FOUR_MONTHS)
    four_months.deadline = datetime.date(2030, 5, 20)
    four_months.save()
    report(chain.body, interim, ReviewStatus.SUBMITTED)
    report(chain.body, four_months, ReviewStatus.REVIEWED)
    report(chain.operational, four_months, ReviewStatus.REVIEWED)
    rows = overdue_follow_ups(Goal.objects.all(), today=datetime.date(2030, 10, 1)).values_list(
        "title", "undelivered_reporting_period"
    )
    followed_up = [chain.strategic, chain.operational, chain.department_goal]
    followed_up += [chain.company_goal, chain.subsidiary_goal]
    assert sorted(rows) == sorted(
        [(goal.title, interim.pk) for goal in followed_up]
        + [(goal.title, four_months.pk) for goal in followed_up if goal != chain.operational]
    )


def test_the_annotations_say_the_same_for_each_page(chain, interim):
    report(chain.body, interim, ReviewStatus.REVIEWED)
    day_after = DEADLINE + datetime.timedelta(days=1)
    assert {
        each.kind: each.follow_up_overdue
        for each in with_overdue_follow_up(
            ReportingPeriod.objects.filter(period=chain.period), chain.operational, today=day_after
        )
    } == {"t1": False, "interim": True, "annual": False}
    goals = Goal.objects.filter(pk__in=[chain.body.pk, chain.operational.pk, chain.activity.pk])
    assert dict(
        with_overdue_in(goals, interim, today=day_after).values_list("title", "follow_up_overdue")
    ) == {
        chain.body.title: False,
        chain.operational.title: True,
        chain.activity.title: False,
    }
    first = ("title", "first_overdue_reporting_period", "first_overdue_deadline")
    assert sorted(with_first_overdue(goals, today=day_after).values_list(*first)) == sorted(
        [
            (chain.body.title, None, None),
            (chain.operational.title, interim.pk, DEADLINE),
            (chain.activity.title, None, None),
        ]
    )
    assert all(
        row[1:] == (None, None) for row in with_first_overdue(goals, today=DEADLINE).values_list(*first)
    )


# The pages: each shows an overdue follow-up as overdue, with its deadline, in words.


def overdue_badge(deadline: datetime.date) -> str:
    """The badge as a page writes it, in Swedish (the portal's language by default)."""
    return f'<span class="overdue">Försenad – sista dag {in_swedish(deadline)}</span>'


@pytest.fixture
def due(chain):
    """The chain's interim report was due yesterday; the year's other reports are due long after."""
    ReportingPeriod.objects.filter(period=chain.period).update(deadline=datetime.date(2099, 1, 1))
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    ReportingPeriod.objects.filter(period=chain.period, kind=ReportingPeriodKind.INTERIM).update(
        deadline=yesterday
    )
    return ReportingPeriod.objects.get(period=chain.period, kind=ReportingPeriodKind.INTERIM)


def due_today(reporting_period) -> None:
    reporting_period.deadline = timezone.localdate()
    reporting_period.save()


def test_the_goal_page_marks_the_report_overdue_with_its_deadline(client, chain, due):
    badge = overdue_badge(due.deadline)
    html = client.get(chain.operational.get_absolute_url()).content.decode()
    assert html.count(badge) == 1
    assert f'Delårsrapport</a> <span class="goal-meta">Inte rapporterad ännu.</span> {badge}</li>' in html
    due_today(due)
    assert "Försenad" not in client.get(chain.operational.get_absolute_url()).content.decode()


def test_the_public_learns_a_report_is_delivered_not_what_it_says(client, chain, group, due):
    """A follow-up waiting for review is not the public's to read, yet it is delivered: the public's
    goal page says it is not reported yet, and not that it is overdue. A draft is still overdue."""
    follow_up = report(chain.operational, due, ReviewStatus.DRAFT)
    assert overdue_badge(due.deadline) in client.get(chain.operational.get_absolute_url()).content.decode()
    follow_up.status = ReviewStatus.SUBMITTED
    follow_up.save()
    html = client.get(chain.operational.get_absolute_url()).content.decode()
    assert "Fler elever läser med flyt." not in html
    assert "Försenad" not in html


def test_no_follow_up_of_a_goal_not_decided_is_shown_to_the_public(client, chain, due):
    Goal.objects.filter(pk=chain.operational.pk).update(status=Status.SUBMITTED)
    assert client.get(chain.operational.get_absolute_url()).status_code == 404
    assert client.get(follow_up_page(chain.operational, due)).status_code == 404


def follow_up_page(goal, reporting_period) -> str:
    return reverse("goals:follow-up", args=[goal.pk, reporting_period.pk])


@pytest.mark.parametrize(
    ("status", "shown"),
    [
        (None, True),
        (ReviewStatus.RETURNED, True),
        (ReviewStatus.SUBMITTED, False),
        (ReviewStatus.REVIEWED, False),
    ],
)
def test_the_follow_up_page_marks_the_report_overdue_until_it_is_sent(
    client, chain, group, due, status, shown
):
    if status:
        report(chain.operational, due, status)
    client.force_login(member_of(group.administration, "karin"))
    html = client.get(follow_up_page(chain.operational, due)).content.decode()
    assert (f"<p>{overdue_badge(due.deadline)}</p>" in html) == shown
    assert ("Försenad" in html) == shown


def test_the_follow_up_page_does_not_mark_a_report_due_today(client, chain, due):
    due_today(due)
    html = client.get(follow_up_page(chain.operational, due)).content.decode()
    assert "Inte rapporterad ännu." in html
    assert "Försenad" not in html


def test_my_goals_mark_a_goal_whose_report_is_overdue(client, chain, group, due):
    report(chain.operational, due, ReviewStatus.DRAFT)
    delivered = add_goal(Level.OPERATIONAL, "Fler behöriga lärare", group.administration, chain.body)
    Goal.objects.filter(pk=delivered.pk).update(status=Status.APPROVED)
    report(delivered, due, ReviewStatus.SUBMITTED)
    client.force_login(member_of(group.administration, "karin"))
    html = client.get(reverse("goals:mine")).content.decode()
    link = f'<p><a href="{follow_up_page(chain.operational, due)}">{overdue_badge(due.deadline)}</a></p>'
    assert html.count('class="overdue"') == 1
    assert link in html
    due_today(due)
    assert "Försenad" not in client.get(reverse("goals:mine")).content.decode()


def test_my_goals_name_the_report_overdue_longest(client, chain, group, due):
    four_months = ReportingPeriod.objects.get(period=chain.period, kind=ReportingPeriodKind.FOUR_MONTHS)
    four_months.deadline = due.deadline - datetime.timedelta(days=120)
    four_months.save()
    client.force_login(member_of(group.administration, "karin"))
    html = client.get(reverse("goals:mine")).content.decode()
    assert (
        f'<a href="{follow_up_page(chain.operational, four_months)}">{overdue_badge(four_months.deadline)}</a>'
        in html
    )


def test_the_report_marks_the_goals_whose_report_is_overdue(client, chain, due):
    for goal in (chain.strategic, chain.body, chain.company_goal, chain.subsidiary_goal):
        report(goal, due, ReviewStatus.REVIEWED)
    report(chain.department_goal, due, ReviewStatus.SUBMITTED)
    html = client.get(reverse("goals:report"), {"reporting_period": due.pk}).content.decode()
    # Only the administration's goal: nothing reported (the public sees no more than that).
    assert html.count('class="overdue"') == 1
    assert f'<p class="goal-meta">Utbildningsförvaltningen · {overdue_badge(due.deadline)}</p>' in html
    due_today(due)
    assert (
        "Försenad" not in client.get(reverse("goals:report"), {"reporting_period": due.pk}).content.decode()
    )


def test_the_badge_speaks_the_visitors_language(client, chain, due):
    client.cookies["django_language"] = "en"
    html = client.get(chain.operational.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'<span class="overdue">Overdue – due {due.deadline.day} {due.deadline:%B %Y}</span>' in html


@pytest.mark.parametrize("size", [10, 300])
def test_my_goals_and_the_report_mark_every_overdue_goal_in_as_many_queries_at_any_size(
    client, chain, group, due, django_assert_num_queries, size
):
    grow_chain(chain, size)
    user = member_of(group.administration, "karin.lind")
    client.force_login(user)
    overdue_here = overdue_follow_ups(Goal.objects.filter(org_unit=group.administration)).count()
    assert overdue_here == 1 + (size - 8) // 5  # every operational goal of the administration
    # As many queries as without overdue goals (tests/goals/chain/test_views.py, less the unit
    # choice that a member is not offered): 1: the session, 2: the user, 3: the period preference,
    # 4: the period, 5: the memberships, 6: how many goals each unit has, 7: the page's goals with
    # their cascade sizes, grades and first overdue report, 8: their chains up, 9: every period,
    # 10: the count of the menu's to-do list.
    with django_assert_num_queries(10):
        html = client.get(reverse("goals:mine")).content.decode()
    assert html.count('class="overdue"') == min(overdue_here, 50)  # 50 goals a page
    # As in tests/goals/follow_up/test_follow_up.py: the page's goals come with their overdue mark.
    with django_assert_num_queries(11):
        html = client.get(reverse("goals:report"), {"reporting_period": due.pk}).content.decode()
    assert html.count('class="overdue"') == min(6 + (size - 8) // 5, 25)


def report_in_every_state(chain, interim):
    """Follow-ups of the interim report in each state: submitted, sent back, a draft, reviewed."""
    for goal, status in (
        (chain.body, ReviewStatus.SUBMITTED),
        (chain.operational, ReviewStatus.RETURNED),
        (chain.department_goal, ReviewStatus.DRAFT),
        (chain.company_goal, ReviewStatus.REVIEWED),
    ):
        report(goal, interim, status)


@pytest.mark.parametrize("today", [DEADLINE, DEADLINE + datetime.timedelta(days=1)])
def test_the_reports_annotation_agrees_with_the_list_of_overdue_follow_ups(chain, group, interim, today):
    """``with_overdue_in`` asks the rule of one reporting period in a query of its own; whatever the
    goal's level, status, year and follow-up, it says what ``overdue_follow_ups`` lists."""
    add_goal(Level.OPERATIONAL, "Ett utkast", group.administration, chain.body, status=Status.DRAFT)
    grow_chain(chain, 20)  # goals of another shape, none followed up
    report_in_every_state(chain, interim)
    listed = set(
        overdue_follow_ups(Goal.objects.all(), today=today)
        .filter(undelivered_reporting_period=interim.pk)
        .values_list("pk", flat=True)
    )
    annotated = dict(
        with_overdue_in(Goal.objects.all(), interim, today=today).values_list("pk", "follow_up_overdue")
    )
    assert {pk for pk, is_overdue_ in annotated.items() if is_overdue_} == listed
    if today > DEADLINE:
        assert {chain.operational.pk, chain.department_goal.pk, chain.strategic.pk} <= listed
        assert not {chain.body.pk, chain.company_goal.pk, chain.activity.pk} & listed
    else:
        assert listed == set()


@pytest.mark.parametrize("today", [DEADLINE, DEADLINE + datetime.timedelta(days=1)])
def test_a_goals_reporting_periods_agree_with_the_list_of_overdue_follow_ups(chain, group, interim, today):
    """``with_overdue_follow_up`` asks the rule of one goal at hand (its page, its follow-up page);
    whatever the goal's level, status and follow-up, it says what ``overdue_follow_ups`` lists."""
    draft = add_goal(Level.OPERATIONAL, "Ett utkast", group.administration, chain.body, status=Status.DRAFT)
    report_in_every_state(chain, interim)
    goals = [chain.vision, chain.strategic, chain.body, chain.operational, chain.department_goal]
    goals += [chain.company_goal, chain.activity, draft]
    for goal in goals:
        listed = set(
            overdue_follow_ups(Goal.objects.filter(pk=goal.pk), today=today).values_list(
                "undelivered_reporting_period", flat=True
            )
        )
        annotated = with_overdue_follow_up(ReportingPeriod.objects.all(), goal, today=today)
        assert {each.pk for each in annotated if each.follow_up_overdue} == listed, goal.title
    overdue = {goal.pk for goal in goals if overdue_follow_ups(Goal.objects.filter(pk=goal.pk), today=today)}
    if today > DEADLINE:
        assert overdue == {chain.strategic.pk, chain.operational.pk, chain.department_goal.pk}
    else:
        assert overdue == set()
