"""The workflow's signals answered: each step stores one ``Notice`` per person to tell, in the
step's own transaction (the signals are sent there, after the write), so a notice exists exactly
when the step committed. Nothing is sent here; ``send_notifications`` sends.

Who is told (``docs/notices.md``): goals submitted, their deciders; approved or sent back, whoever
submitted them and the managers of their unit; a follow-up submitted, its reviewers (the goal's
deciders, never the submitter); reviewed or sent back, its reporters (whoever submitted it and the
managers and editors of the goal's unit). The person who took the step is never told of it.
"""

from __future__ import annotations

import uuid

from goals.chain.queries import deciders_of
from goals.chain.workflow import Step
from goals.models import Goal
from notices.models import Kind, Notice
from notices.recipients import people_answering_for, submitters
from orgunits.models import Role

GOAL_KINDS = {
    Step.SUBMIT: Kind.GOAL_SUBMITTED,
    Step.APPROVE: Kind.GOAL_APPROVED,
    Step.RETURN: Kind.GOAL_RETURNED,
}
FOLLOW_UP_KINDS = {
    Step.SUBMIT: Kind.FOLLOW_UP_SUBMITTED,
    Step.REVIEW: Kind.FOLLOW_UP_REVIEWED,
    Step.RETURN: Kind.FOLLOW_UP_RETURNED,
}


def goal_step_taken(sender, *, step, items, by, comment="", **kwargs) -> None:
    if step not in GOAL_KINDS:
        return
    goals = list(Goal.objects.select_related("org_unit").in_bulk([_goal_pk(item) for item in items]).values())
    if step == Step.SUBMIT:
        recipients = deciders_of(goals)
    else:
        submitted_by = submitters(items)
        managers = people_answering_for(goals, roles={Role.MANAGER})
        recipients = {
            goal.pk: [*([submitted_by[goal.pk]] if goal.pk in submitted_by else []), *managers[goal.pk]]
            for goal in goals
        }
    _store(GOAL_KINDS[step], recipients, by=by, comment=comment)


def follow_up_step_taken(sender, *, step, follow_up, by, comment="", **kwargs) -> None:
    if step not in FOLLOW_UP_KINDS:
        return
    goal = Goal.objects.select_related("org_unit").get(pk=follow_up.goal_id)
    if step == Step.SUBMIT:
        # Separation of duties: whoever submitted it is not among its reviewers.
        people = [person for person in deciders_of([goal])[goal.pk] if not follow_up.was_submitted_by(person)]
    else:
        people = [*([follow_up.submitted_by] if follow_up.submitted_by_id else [])]
        people += people_answering_for([goal])[goal.pk]
    _store(
        FOLLOW_UP_KINDS[step],
        {goal.pk: people},
        by=by,
        comment=comment,
        follow_up=follow_up,
        reporting_period_id=follow_up.reporting_period_id,
    )


def _goal_pk(item) -> int:
    return item.pk if isinstance(item, Goal) else item.goal_id


def _store(kind: Kind, recipients: dict[int, list], *, by, comment: str, **about) -> None:
    """One notice per goal and person (each person once per goal, never the actor), all of one event."""
    event = uuid.uuid4()
    actor_pk = by.pk if by is not None and by.is_authenticated else None
    notices = []
    for goal_pk, people in recipients.items():
        for person_pk in dict.fromkeys(person.pk for person in people if person.is_active):
            if person_pk != actor_pk:
                notices.append(
                    Notice(
                        recipient_id=person_pk,
                        kind=kind,
                        event=event,
                        goal_id=goal_pk,
                        actor_id=actor_pk,
                        comment=comment,
                        **about,
                    )
                )
    Notice.objects.bulk_create(notices)
