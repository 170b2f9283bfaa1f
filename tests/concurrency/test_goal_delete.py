"""Deleting a draft through the API while someone submits it: whichever comes first wins.

The delete takes the chain's lock and the goal's row as every workflow step does, reads the goal
again and refuses (409) a goal that was submitted meanwhile; a submit that comes second finds the
goal gone (404 when it is gone before the submit reads it, 409 when it is deleted while the submit
waits for the lock). Never a 500, and the tree stays whole.
"""

from __future__ import annotations

from goals.chain.levels import Level
from goals.chain.workflow import Status
from goals.models import Goal
from tests.concurrency.figures import record_and_check
from tests.concurrency.racing import WORKERS, Call, paired, race, rounds
from tests.kit.chain import add_goal
from tests.kit.people import member_of


def test_deleting_a_draft_while_it_is_submitted_ends_as_the_winner_said(
    chain, group, api_clients, server_tracebacks
):
    managers = [member_of(group.administration, f"chef{index}") for index in range(WORKERS)]
    drafts = [
        add_goal(Level.OPERATIONAL, f"Utkast {number}", group.administration, chain.body)
        for number in range(rounds())
    ]

    def delete_or_submit(goal, client, wave):
        # Which of the pair deletes alternates by wave, so neither always leaves first.
        intent = {"goal": goal.pk, "step": "delete" if (client + wave) % 2 == 0 else "submit"}
        if intent["step"] == "delete":
            return Call("DELETE", f"/api/v1/goals/{goal.pk}/", intent=intent)
        return Call("POST", f"/api/v1/goals/{goal.pk}/submit/", intent=intent)

    answers = race(api_clients(managers), paired(drafts, delete_or_submit))

    record_and_check("delete racing submit", answers, server_tracebacks)
    for draft in drafts:
        pair = [answer for answer in answers if answer.call.intent["goal"] == draft.pk]
        (winner,) = [answer for answer in pair if answer.verdict == "2xx"]
        (loser,) = [answer for answer in pair if answer is not winner]
        stored = Goal.objects.filter(pk=draft.pk).first()
        if winner.call.intent["step"] == "delete":
            assert stored is None
            assert loser.status in (404, 409), loser
            if loser.status == 409:
                assert loser.detail == f"“{draft.title}” has been deleted."
        else:
            assert stored.status == Status.SUBMITTED
            assert loser.status == 409, loser
            assert loser.detail == (
                f"Only a draft or a goal sent back can be deleted; “{draft.title}” is submitted."
            )
