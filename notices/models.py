"""What is stored to be sent: one ``Notice`` per recipient and event, and each person's choice of
how to hear of them (``NoticePreferences``).

A notice is stored in the transaction of the step that caused it (``notices.receivers``) or by the
reminders ``send_notifications`` computes, and is sent later by that command, never in a request.
A notice is pending until the SMTP server accepted the mail that carries it (then sent), or until
its recipient's choice says it is not to be sent at all (then dropped); it is never sent twice.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from goals.models import FollowUp, Goal, ReportingPeriod
from orgunits.concurrency import Versioned


class Delivery(models.TextChoices):
    """How a person hears of the workflow's notices."""

    EACH = "each", _("Each notice as it happens")
    DIGEST = "digest", _("One daily digest")
    NONE = "none", _("No notices")


class Kind(models.TextChoices):
    GOAL_SUBMITTED = "goal_submitted", _("Goal submitted for decision")
    GOAL_APPROVED = "goal_approved", _("Goal approved")
    GOAL_RETURNED = "goal_returned", _("Goal sent back")
    FOLLOW_UP_SUBMITTED = "follow_up_submitted", _("Follow-up submitted for review")
    FOLLOW_UP_REVIEWED = "follow_up_reviewed", _("Follow-up reviewed")
    FOLLOW_UP_RETURNED = "follow_up_returned", _("Follow-up sent back")
    DEADLINE_NEAR = "deadline_near", _("Follow-up due soon")
    DEADLINE_PASSED = "deadline_passed", _("Follow-up overdue")


# Reminders of a person's own deadlines: they follow the ``reminders`` choice, not ``delivery``.
REMINDER_KINDS = frozenset({Kind.DEADLINE_NEAR, Kind.DEADLINE_PASSED})


class NoticePreferences(Versioned):
    """A person's choice of how to hear of notices, and in which language the mails come; versioned,
    so that a choice saved from an older page (another tab) is refused rather than lost."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notice_preferences",
        verbose_name=_("user"),
    )
    delivery = models.CharField(
        _("notices"),
        max_length=10,
        choices=Delivery.choices,
        default=Delivery.EACH,
        help_text=_("Goals and follow-ups submitted, approved, reviewed or sent back."),
    )
    reminders = models.BooleanField(
        _("remind me of my units' reporting deadlines"),
        default=True,
        help_text=_(
            "Before a follow-up is due, and every week after while it is overdue. Sent even when you "
            "have chosen no notices."
        ),
    )
    language = models.CharField(
        _("language of the e-mails"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    # Set by send_notifications alone (with update(), leaving the version to the person's edits):
    # when the last digest went out, so that one goes out a day.
    last_digest_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("notice preferences")
        verbose_name_plural = _("notice preferences")

    def __str__(self) -> str:
        return str(self.user)


class NoticeState(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENT = "sent", _("Sent")
    DROPPED = "dropped", _("Not sent: the recipient chose not to have it")


class NoticeQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(state=NoticeState.PENDING)


class Notice(models.Model):
    """One thing one person is told: a workflow step by someone else, or a reporting deadline."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notices",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    # The notices one step (or one run's reminders) stored share an event: a person who hears of
    # each notice as it happens gets one mail per event, e.g. for a whole decision.
    event = models.UUIDField(default=uuid.uuid4, editable=False, db_index=True)
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="+", verbose_name=_("goal"))
    follow_up = models.ForeignKey(
        FollowUp,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("follow-up"),
    )
    reporting_period = models.ForeignKey(
        ReportingPeriod,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reporting period"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    comment = models.TextField(_("comment"), blank=True)
    # Reminders carry a key naming what they remind of (kind, person, goal, reporting period and,
    # for overdue ones, the week): the database refuses a second, so two runs never store it twice.
    key = models.CharField(max_length=200, unique=True, null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("stored at"), auto_now_add=True)
    state = models.CharField(
        _("state"), max_length=10, choices=NoticeState.choices, default=NoticeState.PENDING, db_index=True
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("failed attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("notice")
        verbose_name_plural = _("notices")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.recipient}"

    @property
    def is_reminder(self) -> bool:
        return self.kind in REMINDER_KINDS
