"""Separation of duties: whoever submits a follow-up does not review it (nor send it back), staff
neither; the queue still shows it to them, with who else reviews it."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse

from goals.chain.levels import Level
from goals.follow_up.services import follow_up_return, follow_up_review, follow_up_save, follow_up_submit
from goals.models import FollowUp, ReportingPeriod, ReportingPeriodKind, ReviewStatus
from tests.kit.chain import grow_chain
from tests.kit.people import member_of

pytestmark = pytest.mark.django_db

REFUSED = "You submitted this follow-up, so someone else who decides the goal reviews it."
QUEUE_URL = reverse("goals:queue")


def named(user, first: str, last: str):
    user.first_name, user.last_name = first, last
    user.save(update_fields=["first_name", "last_name"])
    return user


@pytest.fixture
def people(group):
    """Karin manages the administration; Kim, the group's manager, decides its operational goals as
    Karin does; Eva, Omar and Maria decide the committee's goals; Alva is staff."""
    return {
        "karin": named(member_of(group.administration, "karin"), "Karin", "Lind"),
        "kim": named(member_of(group.council, "kim"), "Kim", "Ström"),
        "eva": named(member_of(group.committee, "eva", role="politician"), "Eva", "Berg"),
        "omar": named(member_of(group.committee, "omar", role="politician"), "Omar", "Said"),
        "maria": named(member_of(group.committee, "maria", role="secretary"), "Maria", "Sjö"),
        "alva": named(get_user_model().objects.create_superuser("alva", password="x"), "Alva", "Admin"),
    }


def annual(chain) -> ReportingPeriod:
    return ReportingPeriod.objects.get(period=chain.period, kind=ReportingPeriodKind.ANNUAL)


def submitted_by(user, chain, goal=None) -> FollowUp:
    """Report the goal's annual follow-up as ``user`` (from the version saved now) and submit it."""
    goal = goal or chain.operational
    saved = FollowUp.objects.filter(goal=goal, reporting_period=annual(chain))
    follow_up = follow_up_save(
        version=saved.values_list("version", flat=True).first(),
        goal=goal,
        reporting_period=annual(chain),
        by=user,
        attainment="partly",
        commentary="Fler elever läser med flyt.",
    )
    return follow_up_submit(follow_up=follow_up, by=user)


def follow_up_url(chain, goal, step=""):
    name = f"goals:follow-up-{step}" if step else "goals:follow-up"
    return reverse(name, args=[goal.pk, annual(chain).pk])


def status_of(follow_up) -> str:
    return FollowUp.objects.get(pk=follow_up.pk).status


def test_the_submitter_is_recorded(chain, people):
    follow_up = submitted_by(people["karin"], chain)
    assert FollowUp.objects.get(pk=follow_up.pk).submitted_by == people["karin"]


@pytest.mark.parametrize("who", ["karin", "alva"])  # a manager who decides the goal, and staff
def test_the_service_refuses_the_submitter_a_review_or_a_return(chain, people, english, who):
    follow_up = submitted_by(people[who], chain)
    for step in (
        lambda: follow_up_review(follow_up=follow_up, by=people[who]),
        lambda: follow_up_return(follow_up=follow_up, by=people[who], comment="Förtydliga."),
    ):
        with pytest.raises(ValidationError) as refused:
            step()
        assert (refused.value.messages, refused.value.code) == ([REFUSED], "separation_of_duties")
    assert (status_of(follow_up), FollowUp.objects.get(pk=follow_up.pk).reviewed_by) == (
        ReviewStatus.SUBMITTED,
        None,
    )


def test_another_decider_reviews_and_sends_back(chain, people):
    follow_up = submitted_by(people["karin"], chain)
    follow_up_return(follow_up=follow_up, by=people["kim"], comment="Förtydliga.")
    assert status_of(follow_up) == ReviewStatus.RETURNED
    follow_up = submitted_by(people["karin"], chain)
    follow_up = follow_up_review(follow_up=follow_up, by=people["alva"])
    assert (status_of(follow_up), follow_up.reviewed_by) == (ReviewStatus.REVIEWED, people["alva"])


def test_resubmitted_by_the_reviewer_meanwhile_the_locked_row_decides(chain, people, english):
    # Kim read the follow-up as Karin submitted it; meanwhile it was sent back and Kim submitted it
    # himself. His review, made from what he read, is judged on the row as it is under the lock.
    follow_up = submitted_by(people["karin"], chain)
    read_by_kim = FollowUp.objects.get(pk=follow_up.pk)
    follow_up_return(follow_up=follow_up, by=people["alva"], comment="Komplettera.")
    submitted_by(people["kim"], chain)
    with pytest.raises(ValidationError) as refused:
        follow_up_review(follow_up=read_by_kim, by=people["kim"])
    assert refused.value.messages == [REFUSED]
    assert status_of(follow_up) == ReviewStatus.SUBMITTED


@pytest.mark.parametrize("step", ["review", "return"])
def test_the_pages_refuse_the_submitter_and_let_another_decider(client, chain, people, step):
    follow_up = submitted_by(people["karin"], chain)
    client.force_login(people["karin"])
    response = client.post(follow_up_url(chain, chain.operational, step), {"comment": "Förtydliga."})
    assert (response.status_code, status_of(follow_up)) == (403, ReviewStatus.SUBMITTED)
    client.force_login(people["kim"])
    response = client.post(follow_up_url(chain, chain.operational, step), {"comment": "Förtydliga."})
    assert response["Location"] == follow_up_url(chain, chain.operational)
    expected = ReviewStatus.REVIEWED if step == "review" else ReviewStatus.RETURNED
    assert status_of(follow_up) == expected


def test_the_follow_up_page_offers_the_review_to_another_decider_only(client, chain, people):
    submitted_by(people["karin"], chain)
    review_form = f'action="{follow_up_url(chain, chain.operational, "review")}"'
    client.force_login(people["karin"])
    response = client.get(follow_up_url(chain, chain.operational))
    assert (response.context["return_form"], review_form in response.content.decode()) == (None, False)
    client.force_login(people["kim"])
    assert review_form in client.get(follow_up_url(chain, chain.operational)).content.decode()


def queue_items(client, user) -> list[tuple[str, bool, str]]:
    client.force_login(user)
    return [
        (follow_up.goal.title, follow_up.may_review, getattr(follow_up, "other_reviewers", None))
        for follow_up in client.get(QUEUE_URL).context["follow_ups"]
    ]


def test_the_queue_tells_the_submitter_who_else_reviews(client, chain, people):
    submitted_by(people["alva"], chain, goal=chain.body)
    assert queue_items(client, people["alva"]) == [
        ("Fler elever klarar kunskapskraven", False, "Eva Berg, Maria Sjö eller Omar Said")
    ]
    html = client.get(QUEUE_URL).content.decode()
    assert (
        '<p class="goal-meta">Du skickade in den här uppföljningen; '
        "den granskas av Eva Berg, Maria Sjö eller Omar Said.</p>"
    ) in html
    assert queue_items(client, people["eva"]) == [("Fler elever klarar kunskapskraven", True, None)]
    assert "Du skickade in" not in client.get(QUEUE_URL).content.decode()


def test_the_queue_says_when_nobody_else_may_review(client, chain, people, group):
    submitted_by(people["karin"], chain)
    assert queue_items(client, people["karin"]) == [("Tidiga insatser i läsning", False, "Kim Ström")]
    people["kim"].memberships.all().delete()
    people["kim"].save()  # a new request reads his memberships afresh
    assert queue_items(client, people["karin"]) == [("Tidiga insatser i läsning", False, "")]
    assert (
        '<p class="goal-meta">Du skickade in den här uppföljningen. '
        "Ingen annan än du kan granska den; be en administratör.</p>"
    ) in client.get(QUEUE_URL).content.decode()


def test_the_names_leave_out_who_cannot_sign_in(client, chain, people):
    submitted_by(people["alva"], chain, goal=chain.body)
    get_user_model().objects.filter(pk=people["omar"].pk).update(is_active=False)
    assert queue_items(client, people["alva"])[0][2] == "Eva Berg eller Maria Sjö"


def test_the_names_are_escaped(client, chain, people):
    named(people["eva"], "<b>Eva</b>", "Berg")
    submitted_by(people["alva"], chain, goal=chain.body)
    client.force_login(people["alva"])
    html = client.get(QUEUE_URL).content.decode()
    assert "&lt;b&gt;Eva&lt;/b&gt; Berg" in html
    assert "<b>Eva</b>" not in html


@pytest.mark.parametrize("size", [10, 60])
def test_the_queue_costs_the_same_queries_however_many_follow_ups_wait(
    client, chain, people, django_assert_num_queries, size
):
    grow_chain(chain, size)
    # Karin submits every operational goal's follow-up; Alva, the committee's body goal's.
    for goal in chain.period.goals.filter(level=Level.OPERATIONAL):
        submitted_by(people["karin"], chain, goal=goal)
    submitted_by(people["alva"], chain, goal=chain.body)
    client.force_login(people["karin"])
    client.get(QUEUE_URL)  # the year chosen is remembered
    # 1: the session, 2: the user, 3: her preferences (the year chosen), 4: the years up to this
    # one, 5: the organisations, 6: the goals waiting for a decision, 7: the submitted follow-ups,
    # 8: her memberships, 9: who else decides the goals of the follow-ups she submitted, 10: the
    # years to choose from, 11: the count of the menu's to-do list.
    with django_assert_num_queries(11):
        response = client.get(QUEUE_URL)
    waiting = response.context["follow_ups"]
    assert len(waiting) == chain.period.goals.filter(level=Level.OPERATIONAL).count()
    assert {(follow_up.may_review, follow_up.other_reviewers) for follow_up in waiting} == {
        (False, "Kim Ström")
    }
