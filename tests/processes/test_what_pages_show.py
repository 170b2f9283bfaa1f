"""What the pages around processes say (issue 19): a goal's page names the processes and target
groups it serves, a matrix cell says what its numbers are, and the process list lists the target
groups rather than joining them like a breadcrumb."""

import re

import pytest
from django.urls import reverse

from goals.chain.models import ReportingPeriod, ReportingPeriodKind
from goals.follow_up.grading import Attainment
from goals.follow_up.workflow import ReviewStatus
from goals.models import Goal
from tests.kit.chain import followed_up, grow_chain

pytestmark = pytest.mark.django_db

MATRIX_URL = reverse("goals:matrix")


def text_of(html: str) -> str:
    """The page's words as a reader meets them: tags dropped, white space folded."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def section(html: str, heading_id: str) -> str:
    """The text of the section labelled by the heading ``heading_id``."""
    start = html.index(">", html.index(f'aria-labelledby="{heading_id}"')) + 1
    return text_of(html[start : html.index("</section>", start)])


# The goal page: the processes and target groups a goal serves.


def test_a_goal_page_names_its_processes_and_their_target_groups_as_links(client, chain, processes):
    chain.operational.processes.add(processes.learning, processes.hr)
    html = client.get(chain.operational.get_absolute_url()).content.decode()
    assert section(html, "serves-heading") == (
        "Processer och målgrupper Processer som målet bidrar till Lärande Huvudprocess HR Stödprocess "
        "Målgrupper Barn och unga"
    )
    assert f'<a href="{processes.learning.get_absolute_url()}">Lärande</a>' in html
    assert f'<a href="{processes.children.get_absolute_url()}">Barn och unga</a>' in html


def test_a_goal_naming_no_process_shows_those_of_the_nearest_goal_above_it_and_says_so(
    client, chain, processes
):
    chain.body.processes.add(processes.learning)
    chain.operational.processes.add(processes.care)  # the nearest goal above the activity that names one
    html = client.get(chain.activity.get_absolute_url()).content.decode()
    assert section(html, "serves-heading") == (
        "Processer och målgrupper Målet anger ingen egen process. Det tjänar processerna hos målet det "
        "bryter ned: Tidiga insatser i läsning Processer som målet bidrar till Omsorg och stöd Huvudprocess "
        "Målgrupper Processerna anger ingen målgrupp."
    )
    assert f'<a href="{chain.operational.get_absolute_url()}">Tidiga insatser i läsning</a>' in html


def test_an_inactive_process_is_not_shown_as_served(client, chain, processes):
    chain.operational.processes.add(processes.care)
    processes.care.is_active = False
    processes.care.save()
    html = client.get(chain.operational.get_absolute_url()).content.decode()
    assert section(html, "serves-heading") == (
        "Processer och målgrupper Målet tjänar ännu ingen process, och inte heller något mål som det "
        "bryter ned."
    )


@pytest.mark.parametrize("size", [10, 200])
def test_a_goal_page_names_what_it_serves_in_the_same_queries_at_any_size(
    client, chain, processes, django_assert_num_queries, size
):
    grow_chain(chain, size)
    for goal in Goal.objects.filter(period=chain.period).exclude(pk=chain.vision.pk):
        goal.processes.add(processes.learning, processes.care)
    # 1: the goal with its unit, period, owner and cascade size, 2: its indicators (none: their
    # targets and values are not asked), 3: its chain up and the nearest goals below, 4: its
    # follow-ups, 5: its year's reporting periods, 6: its decisions, 7: the processes it and its
    # chain up serve, 8: their target groups.
    with django_assert_num_queries(8):
        response = client.get(chain.operational.get_absolute_url())
    assert response.context["served"].processes == [processes.learning, processes.care]
    assert response.context["served"].target_groups == [processes.children]


# The matrix: each cell says what its numbers are.


def cell(html: str, process_name: str, column: int) -> str:
    """The text of the cell in ``process_name``'s row and the ``column``-th column of organisations."""
    row = html[html.index(f">{process_name}</a>") :]
    row = row[: row.index("</tr>")]
    return text_of(re.split(r"<td[ >]", row)[column + 1].split("</td>")[0].split(">", 1)[1])


def test_a_matrix_cell_counts_its_goals_and_their_latest_grades_naming_those_not_followed_up(
    client, chain, processes
):
    ReportingPeriod.objects.add_defaults(chain.period)
    for goal in (chain.operational, chain.department_goal, chain.activity):
        goal.processes.add(processes.learning)
    followed_up(chain.operational, Attainment.ACHIEVED)
    followed_up(chain.department_goal, Attainment.NOT_ASSESSED)  # a grade: it was followed up
    # A draft is nobody's grade yet: the activity is not followed up, for anyone.
    followed_up(chain.activity, Attainment.ACHIEVED, status=ReviewStatus.DRAFT)
    response = client.get(MATRIX_URL)
    html = response.content.decode()
    # The administration's column: its three goals, two graded and one not followed up, adding up.
    assert cell(html, "Lärande", 1) == "3 mål 1 uppnått 1 ej bedömt 1 ännu inte uppföljt"
    [(learning, cells), *_] = response.context["rows"]
    administration = cells[1]
    assert learning == processes.learning
    assert (administration.count, administration.not_followed_up) == (3, 1)
    assert administration.count == administration.not_followed_up + sum(n for *_, n in administration.grades)
    # Empty cells say so to a screen reader; the legend explains the cell and every grade in words.
    assert cell(html, "HR", 1) == "Inga mål"
    legend = section(html, "legend-heading")
    assert legend.startswith("Så läser du en cell")
    assert legend.endswith("Uppnått Delvis uppnått Ej uppnått Ej bedömt ännu inte uppföljt")


def test_a_matrix_cell_counts_the_latest_grade_of_each_goal_once(client, chain, processes):
    ReportingPeriod.objects.add_defaults(chain.period)
    chain.operational.processes.add(processes.learning)
    followed_up(chain.operational, Attainment.NOT_ACHIEVED)
    followed_up(chain.operational, Attainment.ACHIEVED, kind=ReportingPeriodKind.INTERIM)
    html = client.get(MATRIX_URL).content.decode()
    assert cell(html, "Lärande", 1) == "1 mål 1 uppnått"


# The process list: the target groups as a list.


def test_the_process_list_lists_the_target_groups_under_a_heading_not_as_a_breadcrumb(client, processes):
    html = client.get(reverse("processes:list")).content.decode()
    listed = section(html, "groups-heading")
    assert listed == (
        "Målgrupper De invånare, företag och besökare som processerna finns till för, var och en med "
        "sina undergrupper: Invånare Barn och unga Företag"
    )
    groups = html[html.index('aria-labelledby="groups-heading"') :]
    assert "›" not in text_of(groups) and 'class="chain-inline"' not in groups
    # A sub-group stands indented under its group.
    assert f'<li data-depth="1"><a href="{processes.children.get_absolute_url()}">' in groups
