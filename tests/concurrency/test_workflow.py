"""Two people taking the same workflow step on the same goal at the same moment.

Every step locks the goal's chain and row, reads the state again and refuses (``Conflict``, a 409
in the API, a message on the page) when someone else's step got there first. Each round, four
pairs of the eight clients race, each pair on a goal of its own; afterwards exactly one of each
pair has won, the winner's answer says what is stored, and the loser was told why.
"""

from __future__ import annotations

import pytest
from django.utils import timezone

from goals.chain.levels import Level
from goals.chain.services import goal_submit
from goals.chain.workflow import Status
from goals.models import Decision, FollowUp, Goal, ReportingPeriod, ReportingPeriodKind, Revision
from tests.concurrency.figures import record_and_check
from tests.concurrency.invariants import acknowledged
from tests.concurrency.racing import WORKERS, Answer, Call, paired, race, rounds
from tests.kit.chain import add_goal
from tests.kit.people import member_of


def by_goal(answers: list[Answer]) -> dict[int, list[Answer]]:
    pairs: dict[int, list[Answer]] = {}
    for answer in answers:
        pairs.setdefault(answer.call.intent["goal"], []).append(answer)
    return pairs


def one_winner(pair: list[Answer]) -> tuple[Answer, Answer]:
    """The winner and the loser of a pair; fails unless exactly one succeeded and the other was
    told it came second (409)."""
    verdicts = sorted(answer.verdict for answer in pair)
    assert verdicts == ["2xx", "409"], "\n".join(map(str, pair))
    winner, loser = sorted(pair, key=lambda answer: answer.verdict != "2xx")
    return winner, loser


def goals_waiting(chain, level=Level.BODY, status=Status.SUBMITTED) -> list[Goal]:
    """One goal per round: body goals of the committee under the approved strategic goal, or
    operational goals of its administration under its body goal, in ``status``."""
    if level == Level.BODY:
        unit, parent = chain.group.committee, chain.strategic
    else:
        unit, parent = chain.group.administration, chain.body
    goals = [add_goal(level, f"Mål {number}", unit, parent) for number in range(rounds())]
    if status == Status.SUBMITTED:
        for goal in goals:
            goal_submit(goal=goal, by=None)
    elif status != Status.DRAFT:
        Goal.objects.filter(pk__in=[goal.pk for goal in goals]).update(status=status)
    return goals


@pytest.fixture
def politicians(group):
    """Eight politicians of the committee: each may decide its body goals."""
    return [
        member_of(group.committee, f"politiker{index}", role="politician", position="member")
        for index in range(WORKERS)
    ]


@pytest.fixture
def managers(group):
    """Eight managers of the administration: each reports and submits its goals."""
    return [member_of(group.administration, f"chef{index}") for index in range(WORKERS)]


def approve(goal: Goal, client: int, wave: int) -> Call:
    paragraph = f"§ {goal.pk}.{client}"  # each decider's own, to tell whose decision stood
    return Call(
        "POST",
        "/api/v1/goals/approve/",
        {"goals": [goal.pk], "meeting_date": timezone.localdate().isoformat(), "paragraph": paragraph},
        intent={"goal": goal.pk, "step": "approve", "paragraph": paragraph},
    )


def send_back(goal: Goal, client: int, wave: int) -> Call:
    return Call(
        "POST",
        f"/api/v1/goals/{goal.pk}/return/",
        {"comment": "Förtydliga målet."},
        intent={"goal": goal.pk, "step": "return"},
    )


def test_two_deciders_approving_at_once_make_one_decision(chain, politicians, api_clients, server_tracebacks):
    goals = goals_waiting(chain)

    answers = race(api_clients(politicians), paired(goals, approve))

    record_and_check(
        "5 two deciders approve", answers, server_tracebacks, approved_here=[goal.pk for goal in goals]
    )
    for goal in goals:
        winner, loser = one_winner(by_goal(answers)[goal.pk])
        # One decision, the winner's; the loser learns who decided it, when and under which paragraph.
        (decision,) = Decision.objects.filter(goals=goal)
        assert decision.paragraph == winner.body["paragraph"] == winner.call.intent["paragraph"]
        assert loser.detail == (
            f"“{goal.title}” is approved, not submitted. Utbildningsnämnden decided it on "
            f"{decision.meeting_date.isoformat()} under {decision.paragraph}."
        )


def test_two_deciders_approving_from_the_queue_at_once_make_one_decision(
    chain, politicians, web_clients, server_tracebacks
):
    """The same race through the web: both deciders have the queue open, tick the same goal and
    press "Approve under one decision" at once."""
    goals = goals_waiting(chain)
    committee = chain.group.committee
    prefix = f"unit-{committee.pk}"

    def approve_in_queue(goal, client, wave):
        form = {
            "unit": committee.pk,
            f"{prefix}-goals": [goal.pk],
            f"{prefix}-meeting_date": timezone.localdate().isoformat(),
            f"{prefix}-paragraph": f"§ {goal.pk}.{client}",
            f"{prefix}-action": "approve",
        }
        return Call(
            "POST",
            "/goals/queue/",
            form=form,
            intent={"goal": goal.pk, "paragraph": form[f"{prefix}-paragraph"]},
        )

    answers = race(web_clients(politicians), paired(goals, approve_in_queue))
    for answer in answers:
        # Approved: back to the queue, saying under which decision. Refused: the queue again (shown
        # again, or redirected to), saying why; a refusal the page does not show looks like a success.
        if answer.status in (200, 302):
            approved = [
                notice for notice in answer.notices if notice.startswith("Approved under the decision")
            ]
            answer.verdict = "2xx" if approved == answer.notices else "409"

    record_and_check(
        "5 two deciders approve (queue)",
        answers,
        server_tracebacks,
        approved_here=[goal.pk for goal in goals],
    )
    for goal in goals:
        winner, loser = one_winner(by_goal(answers)[goal.pk])
        (decision,) = Decision.objects.filter(goals=goal)
        assert decision.paragraph == winner.call.intent["paragraph"]
        assert winner.notices == [f"Approved under the decision {decision}: “{goal.title}”."]
        assert loser.notices == [
            f"“{goal.title}” is approved, not submitted. Utbildningsnämnden decided it on "
            f"{decision.meeting_date.isoformat()} under {decision.paragraph}."
        ]


def test_approving_and_sending_back_at_once_end_as_the_winner_said(
    chain, politicians, api_clients, server_tracebacks
):
    goals = goals_waiting(chain)

    def approve_or_send_back(goal, client, wave):
        # Which of the pair approves alternates by wave, so neither step always leaves first.
        return (approve if (client + wave) % 2 == 0 else send_back)(goal, client, wave)

    answers = race(api_clients(politicians), paired(goals, approve_or_send_back))

    record_and_check(
        "6 approve racing return", answers, server_tracebacks, approved_here=[goal.pk for goal in goals]
    )
    for goal in goals:
        winner, loser = one_winner(by_goal(answers)[goal.pk])
        goal.refresh_from_db()
        decisions = Decision.objects.filter(goals=goal)
        if winner.call.intent["step"] == "approve":
            assert (goal.status, decisions.count()) == (Status.APPROVED, 1)
            assert loser.detail.startswith(
                f"Only a submitted goal can be sent back; “{goal.title}” is approved. Utbildningsnämnden decided it"
            )
        else:
            assert (goal.status, winner.body["status"], decisions.count()) == (Status.RETURNED, "returned", 0)
            assert loser.detail == f"“{goal.title}” is sent back, not submitted."


@pytest.mark.parametrize("channel", ["api", "web form"])
def test_submitting_twice_at_once_records_one_submission(
    chain, managers, api_clients, web_clients, server_tracebacks, channel
):
    goals = goals_waiting(chain, Level.OPERATIONAL, Status.DRAFT)

    def submit(goal, client, wave):
        intent = {"goal": goal.pk}
        if channel == "api":
            return Call("POST", f"/api/v1/goals/{goal.pk}/submit/", intent=intent)
        # The goal page's button: the page is read first (its CSRF token), then both press at once.
        return Call(
            "POST", f"/goals/{goal.pk}/submit/", form={}, form_page=f"/goals/{goal.pk}/", intent=intent
        )

    clients = api_clients(managers) if channel == "api" else web_clients(managers)
    answers = race(clients, paired(goals, submit))
    if channel == "web form":
        # Both presses lead back to the goal page; the message there says who sent it.
        for answer in answers:
            sent = "The goal was sent to Utbildningsförvaltningen for decision."
            refused = "Only a draft or a goal sent back can be submitted; “{}” is submitted."
            title = Goal.objects.get(pk=answer.call.intent["goal"]).title
            assert answer.status == 302, answer
            if answer.notices == [sent]:
                answer.verdict = "2xx"
            elif answer.notices == [refused.format(title)]:
                answer.verdict = "409"
            else:
                raise AssertionError(f"unexpected page messages: {answer}")

    record_and_check(f"7 submit twice ({channel})", answers, server_tracebacks)
    for goal in goals:
        one_winner(by_goal(answers)[goal.pk])
        goal.refresh_from_db()
        assert goal.status == Status.SUBMITTED
        assert goal.history.filter(status=Status.SUBMITTED).count() == 1


def test_the_first_follow_up_reported_twice_at_once_keeps_the_winners_report(
    chain, managers, api_clients, server_tracebacks
):
    goals = goals_waiting(chain, Level.OPERATIONAL, Status.APPROVED)
    four_months = ReportingPeriod.objects.get(period=chain.period, kind=ReportingPeriodKind.FOUR_MONTHS)

    def report(goal, client, wave):
        commentary = f"Rapport {wave}.{client} om {goal.title}"
        return Call(
            "POST",
            "/api/v1/follow-ups/",
            {
                "goal": goal.pk,
                "reporting_period": four_months.pk,
                "attainment": ["achieved", "partly"][client],
                "commentary": commentary,
            },
            intent={"goal": goal.pk, "value": commentary},
        )

    answers = race(api_clients(managers), paired(goals, report))

    writes = acknowledged(answers, lambda answer: ("follow-up of", answer.call.intent["goal"]))
    stored = {
        ("follow-up of", follow_up.goal_id): follow_up.commentary
        for follow_up in FollowUp.objects.filter(goal__in=goals)
    }
    record_and_check("8 first follow-up twice", answers, server_tracebacks, writes=writes, after=stored)
    for goal in goals:
        winner, loser = one_winner(by_goal(answers)[goal.pk])
        assert winner.status == 201
        (follow_up,) = FollowUp.objects.filter(goal=goal, reporting_period=four_months)
        assert (follow_up.commentary, follow_up.reported_by.username, follow_up.attainment) == (
            winner.call.json["commentary"],
            managers[winner.client].username,
            winner.call.json["attainment"],
        )
        # The loser is told who reported first, so they can read it before reporting again.
        assert loser.detail.startswith(f"{managers[winner.client].username} saved “{goal.title} – "), loser


def test_the_first_revision_proposed_twice_at_once_makes_one_revision(
    chain, managers, api_clients, server_tracebacks
):
    goals = goals_waiting(chain, Level.OPERATIONAL, Status.APPROVED)

    def propose(goal, client, wave):
        title = f"Ny lydelse {wave}.{client} av {goal.title}"
        return Call(
            "POST",
            f"/api/v1/goals/{goal.pk}/revision/",
            {"title": title},
            intent={"goal": goal.pk, "value": title},
        )

    answers = race(api_clients(managers), paired(goals, propose))

    # The second proposal is refused as made before the first (409), or, when it read the goal
    # after the first was saved, goes on editing the first one's draft: then the later title stands.
    writes = acknowledged(answers, lambda answer: ("revision of", answer.call.intent["goal"]))
    stored = {
        ("revision of", revision.goal_id): revision.title
        for revision in Revision.objects.filter(goal__in=goals)
    }
    record_and_check("9 first revision twice", answers, server_tracebacks, writes=writes, after=stored)
    for goal in goals:
        assert Revision.objects.filter(goal=goal).count() == 1
        assert "2xx" in {answer.verdict for answer in by_goal(answers)[goal.pk]}


@pytest.mark.parametrize("channel", ["api", "web form"])
def test_two_people_saving_the_same_goal_at_once_lose_nothing(
    chain, managers, api_clients, web_clients, server_tracebacks, channel
):
    """Both opened the same draft goal (the same version), both save their own title at once: one
    title is saved, and the other person is told who saved first, never silently overwritten."""
    goals = goals_waiting(chain, Level.OPERATIONAL, Status.DRAFT)
    versions = {goal.pk: goal.version for goal in goals}

    def save_title(goal, client, wave):
        title = f"Rubrik {wave}.{client} för {goal.title}"
        intent = {"goal": goal.pk, "value": title}
        if channel == "api":
            body = {"title": title, "version": versions[goal.pk]}
            return Call("PATCH", f"/api/v1/goals/{goal.pk}/", body, intent=intent)
        form = {"title": title, "parent": chain.body.pk, "seen_version": versions[goal.pk]}
        return Call("POST", f"/goals/{goal.pk}/edit/", form=form, intent=intent)

    clients = api_clients(managers) if channel == "api" else web_clients(managers)
    answers = race(clients, paired(goals, save_title))
    if channel == "web form":
        for answer in answers:
            # Saved: on to the goal's page. Refused: the form again, saying who saved first.
            if answer.status == 200:
                answer.verdict = "409" if answer.notices else "2xx"

    writes = acknowledged(answers, lambda answer: ("title of", answer.call.intent["goal"]))
    stored = {("title of", goal.pk): goal.title for goal in Goal.objects.filter(pk__in=versions)}
    record_and_check(
        f"10 stale edit of a goal ({channel})", answers, server_tracebacks, writes=writes, after=stored
    )
    for goal in goals:
        winner, loser = one_winner(by_goal(answers)[goal.pk])
        assert Goal.objects.get(pk=goal.pk).title == winner.call.intent["value"]
        told = loser.detail if channel == "api" else " ".join(loser.notices)
        assert f"chef{winner.client} saved “{winner.call.intent['value']}” at " in told, loser
