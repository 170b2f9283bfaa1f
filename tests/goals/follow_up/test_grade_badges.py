"""A grade badge says which report gave the grade (issue 19): a grade of the four-month report is
not the year's, and a reader should not have to guess."""

import re

import pytest
from django.urls import reverse

from goals.chain.models import ReportingPeriod, ReportingPeriodKind
from goals.follow_up.grading import Attainment
from goals.follow_up.models import FollowUp
from goals.follow_up.workflow import ReviewStatus
from tests.kit.people import member_of

pytestmark = pytest.mark.django_db


def reviewed(goal, attainment, kind) -> FollowUp:
    return FollowUp.objects.create(
        goal=goal,
        reporting_period=ReportingPeriod.objects.get(period=goal.period, kind=kind),
        attainment=attainment,
        commentary="Enligt plan.",
        status=ReviewStatus.REVIEWED,
    )


def badges(html: str) -> list[str]:
    """The text of every grade badge on the page."""
    found = re.findall(r'<span class="grade grade-[a-z_]+">(.*?</span>)</span>', html)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", badge)).strip() for badge in found]


def test_the_latest_grade_names_its_report_on_the_unit_page_and_the_goal_page(client, chain, group):
    reviewed(chain.operational, Attainment.NOT_ACHIEVED, ReportingPeriodKind.FOUR_MONTHS)
    reviewed(chain.operational, Attainment.PARTLY, ReportingPeriodKind.INTERIM)
    year = chain.period.year
    unit_page = client.get(group.administration.get_absolute_url()).content.decode()
    assert badges(unit_page) == [f"Delvis uppnått · Delårsrapport {year}"]
    # The goal below it shows the operational goal's latest grade in its chain up.
    goal_page = client.get(chain.department_goal.get_absolute_url()).content.decode()
    assert badges(goal_page) == [f"Delvis uppnått · Delårsrapport {year}"]


def test_the_reports_summaries_name_the_report_their_grades_come_from(client, chain, group):
    reviewed(chain.operational, Attainment.ACHIEVED, ReportingPeriodKind.INTERIM)
    interim = ReportingPeriod.objects.get(period=chain.period, kind=ReportingPeriodKind.INTERIM)
    client.force_login(member_of(group.administration, "karin"))
    html = client.get(reverse("goals:report"), {"reporting_period": interim.pk}).content.decode()
    year = chain.period.year
    assert f'<h3 id="level-chart-heading">Bedömningar per nivå: Delårsrapport {year}</h3>' in html
    assert (
        f'<h3 id="organisation-chart-heading">Bedömningar per organisation: Delårsrapport {year}</h3>' in html
    )
