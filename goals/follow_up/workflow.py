"""The workflow of a follow-up: the goals followed up, its statuses, and which step may be taken
from which (the machinery is the chain's, ``goals.chain.workflow``)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from goals.chain.levels import Level
from goals.chain.workflow import Step, Transition

# The levels followed up, and graded in the report: the vision is its heading, activities report
# their progress.
REPORTED_LEVELS = (Level.STRATEGIC, Level.BODY, Level.OPERATIONAL)


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for review")
    REVIEWED = "reviewed", _("Reviewed")
    RETURNED = "returned", _("Sent back")


# A goal's follow-up in a reporting period: reported (and reported again) until it is submitted,
# then reviewed by the goal's deciders or sent back to the reporter.
FOLLOW_UP_STEPS: dict[Step, Transition] = {
    Step.EDIT: Transition(frozenset({ReviewStatus.DRAFT, ReviewStatus.RETURNED})),
    Step.SUBMIT: Transition(frozenset({ReviewStatus.DRAFT, ReviewStatus.RETURNED}), ReviewStatus.SUBMITTED),
    Step.REVIEW: Transition(frozenset({ReviewStatus.SUBMITTED}), ReviewStatus.REVIEWED),
    Step.RETURN: Transition(frozenset({ReviewStatus.SUBMITTED}), ReviewStatus.RETURNED),
}
