"""A goal's label (``{% goal_label %}``), the row of every list of goals: its level, its title as a
link, its unit and its latest grade. It is built from parts worked out once per page (the labels per
language, the address around the pk per URL configuration and script prefix), so these tests check
what a reader would notice if a part were shared where it must not be: markup in a title shown as
text, the reader's language whichever language asked first, and the address behind a prefix."""

import contextlib

import pytest
from django.urls import reverse, set_script_prefix

from goals.chain.models import ReportingPeriod, ReportingPeriodKind
from goals.follow_up.grading import Attainment
from goals.follow_up.models import FollowUp
from goals.follow_up.workflow import ReviewStatus
from goals.models import Goal, Indicator
from orgunits.models import OrgUnit

pytestmark = pytest.mark.django_db

CHAIN_URL = reverse("goals:chain")


def label(goal, level: str, unit: str = "", grade: str = "", prefix: str = "") -> str:
    """The label's HTML, written out in full."""
    unit_part = f' <span class="goal-unit">{unit}</span>' if unit else ""
    return (
        f'<span class="goal-label"><span class="level level-{goal.level}">{level}</span>'
        f' <a href="{prefix}/goals/{goal.pk}/">{goal.title}</a>{unit_part}{grade}</span>'
    )


def test_a_title_and_a_unit_name_with_markup_are_shown_as_text(client, chain, group):
    Goal.objects.filter(pk=chain.operational.pk).update(title='<b>"x"&</b>')
    OrgUnit.objects.filter(pk=group.administration.pk).update(name="Skola & <i>'Fritid'</i>")
    escaped = Goal(
        pk=chain.operational.pk, level=chain.operational.level, title="&lt;b&gt;&quot;x&quot;&amp;&lt;/b&gt;"
    )
    expected = label(escaped, "Verksamhetsmål", unit="Skola &amp; &lt;i&gt;&#x27;Fritid&#x27;&lt;/i&gt;")

    tree = client.get(CHAIN_URL).content.decode()
    goal_page = client.get(chain.department_goal.get_absolute_url()).content.decode()

    # The branch's toggle names the goal to a screen reader, escaped the same way.
    assert f'<span class="visually-hidden">Mål under {escaped.title} (' in tree
    for page in (tree, goal_page):
        assert expected in page
        assert '<b>"x"&</b>' not in page
        assert "<i>'Fritid'</i>" not in page


def test_each_reader_gets_the_labels_in_their_language_whichever_came_first(client, chain, group):
    FollowUp.objects.create(
        goal=chain.operational,
        reporting_period=ReportingPeriod.objects.get(period=chain.period, kind=ReportingPeriodKind.INTERIM),
        attainment=Attainment.PARTLY,
        commentary="Enligt plan.",
        status=ReviewStatus.REVIEWED,
    )
    year = chain.period.year
    swedish_grade = (
        ' <span class="grade grade-partly">Delvis uppnått'
        f' <span class="grade-report">· Delårsrapport {year}</span></span>'
    )
    english_grade = (
        ' <span class="grade grade-partly">Partly achieved'
        f' <span class="grade-report">· Interim report {year}</span></span>'
    )
    unit = group.administration.name

    swedish = client.get(CHAIN_URL).content.decode()
    english = client.get(CHAIN_URL, headers={"accept-language": "en"}).content.decode()
    swedish_again = client.get(CHAIN_URL).content.decode()

    assert label(chain.operational, "Verksamhetsmål", unit, swedish_grade) in swedish
    assert label(chain.operational, "Operational goal", unit, english_grade) in english
    assert label(chain.vision, "Vision", group.council.name) in english
    assert f'<span class="visually-hidden">Goals under {chain.operational.title} (' in english
    assert "Verksamhetsmål" not in english
    assert label(chain.operational, "Verksamhetsmål", unit, swedish_grade) in swedish_again


@contextlib.contextmanager
def served_under_styr_prefix():
    """The portal served under /styr: the prefix Django's WSGI handler sets on each request from the
    SCRIPT_NAME a proxy passes (the test client sets none)."""
    set_script_prefix("/styr/")
    try:
        yield
    finally:
        set_script_prefix("/")


def test_the_links_carry_the_script_prefix_the_portal_is_served_under(client, chain, group):
    at_the_root = client.get(CHAIN_URL).content.decode()
    with served_under_styr_prefix():
        under_prefix = client.get(CHAIN_URL).content.decode()
    at_the_root_again = client.get(CHAIN_URL).content.decode()

    unit = group.administration.name
    assert label(chain.operational, "Verksamhetsmål", unit, prefix="/styr") in under_prefix
    assert f'href="/goals/{chain.operational.pk}/"' not in under_prefix
    for page in (at_the_root, at_the_root_again):
        assert label(chain.operational, "Verksamhetsmål", unit) in page


def test_a_goals_and_an_indicators_addresses_are_the_ones_django_reverses():
    assert Goal(pk=4711).get_absolute_url() == reverse("goals:detail", kwargs={"pk": 4711}) == "/goals/4711/"
    assert (
        Indicator(pk=17).get_absolute_url()
        == reverse("goals:indicator", kwargs={"pk": 17})
        == "/goals/indicators/17/"
    )
    with served_under_styr_prefix():
        assert Goal(pk=4711).get_absolute_url() == "/styr/goals/4711/"
        assert Indicator(pk=17).get_absolute_url() == "/styr/goals/indicators/17/"
