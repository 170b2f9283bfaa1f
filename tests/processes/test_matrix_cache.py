"""The process matrix from the shared cache of whole-group pages: read, change, read again, and never
what a signed-in reader may see served to the public."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from goals.chain.models import ReportingPeriod, ReportingPeriodKind
from goals.chain.workflow import Status
from goals.follow_up.grading import Attainment
from goals.follow_up.models import FollowUp
from goals.follow_up.services import follow_up_review
from goals.follow_up.workflow import ReviewStatus
from goals.models import Goal
from tests.kit.clients import token_client

pytestmark = pytest.mark.django_db

MATRIX = reverse("goals:matrix")
ADMINISTRATION = 1  # the administration's column, after the political bodies'


def cell(client, process_name: str, column: int = ADMINISTRATION) -> str:
    """The words of one cell of the matrix as a reader meets them."""
    html = client.get(MATRIX).content.decode()
    row = html[html.index(f">{process_name}</a>") :]
    row = row[: row.index("</tr>")]
    words = re.split(r"<td[ >]", row)[column + 1].split("</td>")[0].split(">", 1)[1]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", words)).strip()


def follow_up(goal, status=ReviewStatus.REVIEWED) -> FollowUp:
    ReportingPeriod.objects.add_defaults(goal.period)
    return FollowUp.objects.create(
        goal=goal,
        reporting_period=ReportingPeriod.objects.get(
            period=goal.period, kind=ReportingPeriodKind.FOUR_MONTHS
        ),
        attainment=Attainment.ACHIEVED,
        commentary="Enligt plan.",
        status=status,
    )


def test_a_goal_linked_to_a_process_is_counted_at_once(client, chain, processes):
    assert cell(client, "Lärande") == "Inga mål"
    chain.operational.processes.add(processes.learning)
    assert cell(client, "Lärande") == "1 mål 1 ännu inte uppföljt"
    chain.operational.processes.remove(processes.learning)
    assert cell(client, "Lärande") == "Inga mål"


def test_a_link_made_through_the_api_is_counted_at_once(client, chain, processes):
    Goal.objects.filter(pk=chain.activity.pk).update(
        status=Status.DRAFT
    )  # a decided goal's links change by decision
    admin = get_user_model().objects.create_superuser("alva", password="x")
    client.force_login(admin)
    assert cell(client, "Lärande") == "Inga mål"
    api = token_client(admin)
    url = reverse("api:goal-detail", args=[chain.activity.pk])
    response = api.patch(
        url, {"processes": [processes.learning.slug]}, format="json", HTTP_IF_MATCH=api.get(url)["ETag"]
    )
    assert response.status_code == 200, response.content
    assert cell(client, "Lärande") == "1 mål 1 ännu inte uppföljt"


def test_a_follow_up_reviewed_shows_its_grade_at_once(client, chain, processes):
    chain.operational.processes.add(processes.learning)
    submitted = follow_up(chain.operational, status=ReviewStatus.SUBMITTED)
    # The public reads reviewed follow-ups only.
    assert cell(client, "Lärande") == "1 mål 1 ännu inte uppföljt"
    follow_up_review(follow_up=submitted, by=get_user_model().objects.create_superuser("alva", password="x"))
    assert cell(client, "Lärande") == "1 mål 1 uppnått"


def test_a_deleted_goal_leaves_its_cell(client, chain, processes):
    chain.activity.processes.add(processes.learning)
    chain.department_goal.processes.add(processes.learning)
    assert cell(client, "Lärande") == "2 mål 2 ännu inte uppföljda"
    Goal.objects.filter(pk=chain.activity.pk).delete()
    assert cell(client, "Lärande") == "1 mål 1 ännu inte uppföljt"


def test_a_renamed_process_shows_its_new_name(client, chain, processes):
    assert cell(client, "Lärande") == "Inga mål"
    processes.learning.name = "Lärande och utveckling"
    processes.learning.save()
    assert cell(client, "Lärande och utveckling") == "Inga mål"


def test_a_draft_seen_by_the_signed_in_is_not_served_to_the_public(client, chain, processes):
    Goal.objects.filter(pk=chain.operational.pk).update(status=Status.DRAFT)
    chain.operational.processes.add(processes.learning)
    client.force_login(get_user_model().objects.create_user("karin", password="x"))
    assert cell(client, "Lärande") == "1 mål 1 ännu inte uppföljt"  # cached for the signed in
    client.logout()
    assert cell(client, "Lärande") == "Inga mål"
    # Decided in bulk, as a decision's step writes it: the public sees it at once.
    Goal.objects.filter(pk=chain.operational.pk).update(status=Status.APPROVED)
    assert cell(client, "Lärande") == "1 mål 1 ännu inte uppföljt"


@pytest.mark.parametrize("size", [1, 20])
def test_a_second_read_is_served_from_the_cache(client, chain, processes, size, django_assert_num_queries):
    chain.operational.processes.add(processes.learning)
    Goal.objects.filter(period=chain.period).update(status=Status.APPROVED)
    follow_up(chain.operational)
    for goal in Goal.objects.filter(period=chain.period)[:size]:
        goal.processes.add(processes.care)
    # The period shown, the processes, the organisations, the goals' latest grades, their links, every
    # period (6); a new generation after the writes (5); the table stored (5).
    with django_assert_num_queries(16):
        first = cell(client, "Lärande")
    # The period shown, every period; the generation and the table, in one query.
    with django_assert_num_queries(3):
        assert cell(client, "Lärande") == first == "1 mål 1 uppnått"
