"""What ``manage.py send_notifications`` does, run every few minutes: store the reminders due today,
then send every notice that is due, each exactly once.

Exactly once, also when two runs overlap and when the SMTP server fails halfway:

- a reminder is stored under a unique key (``Notice.key``), so a second run, or a run racing this
  one, stores nothing more;
- each mail is one short transaction: it claims its notices (``select_for_update(skip_locked)``:
  a notice another run holds is left to that run), hands the mail to the SMTP server, and marks
  the notices sent only once the server accepted it, in the same transaction. A mail the server
  refused leaves its notices pending, with the error; the next run tries them again.

On SQLite, which has no row locks, every transaction begins holding the database's one write lock
(see the settings), so two runs take turns instead.
"""

from __future__ import annotations

import datetime
import logging
import smtplib
import uuid
from collections import defaultdict
from contextlib import suppress
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.utils import timezone

from goals.follow_up.deadlines import undelivered_follow_ups
from goals.models import Goal, ReportingPeriod
from notices.mail import compose
from notices.models import REMINDER_KINDS, Delivery, Kind, Notice, NoticePreferences, NoticeState
from notices.recipients import people_answering_for

logger = logging.getLogger(__name__)

# An overdue follow-up is reminded of again every this many days after its deadline.
OVERDUE_REMINDER_INTERVAL_DAYS = 7


@dataclass
class RunResult:
    """What one run did: reminders stored, mails sent and refused, notices dropped by choice."""

    reminders_stored: int = 0
    mails_sent: int = 0
    notices_sent: int = 0
    notices_dropped: int = 0
    mails_failed: int = 0
    errors: list[str] = field(default_factory=list)


def send_notifications(*, now: datetime.datetime | None = None, connection=None) -> RunResult:
    """Store today's reminders and send every notice due at ``now`` (by default, now)."""
    now = now or timezone.now()
    result = RunResult(reminders_stored=store_reminders(today=timezone.localdate(now)))
    connection = connection or get_connection(fail_silently=False)
    each, digests, dropped = _plan()
    result.notices_dropped = Notice.objects.filter(pk__in=dropped, state=NoticeState.PENDING).update(
        state=NoticeState.DROPPED
    )
    try:
        for pks in each:
            _send_mail(pks, connection=connection, now=now, result=result, digest_of=None)
        for recipient_pk, pks in digests.items():
            _send_mail(pks, connection=connection, now=now, result=result, digest_of=recipient_pk)
    finally:
        with suppress(smtplib.SMTPException, OSError):
            connection.close()
    return result


def store_reminders(*, today: datetime.date) -> int:
    """Store a reminder for each manager and editor answering for a goal whose follow-up is due
    within ``settings.NOTICES_REMINDER_DAYS_BEFORE`` days and not delivered (once per reporting
    period), or overdue (once every ``OVERDUE_REMINDER_INTERVAL_DAYS`` days after the deadline).
    Only goals of open years, in reporting periods open for reporting. Returns how many were new.
    A fixed number of queries: the undelivered follow-ups, their reporting periods, the people,
    the insert."""
    due_by = today + datetime.timedelta(days=settings.NOTICES_REMINDER_DAYS_BEFORE)
    undelivered = list(
        undelivered_follow_ups(Goal.objects.filter(period__is_closed=False), due_by=due_by).select_related(
            "org_unit"
        )
    )
    open_periods = set(
        ReportingPeriod.objects.filter(
            pk__in={goal.undelivered_reporting_period for goal in undelivered}, is_open=True
        ).values_list("pk", flat=True)
    )
    undelivered = [goal for goal in undelivered if goal.undelivered_reporting_period in open_periods]
    people = people_answering_for(undelivered)
    events = {Kind.DEADLINE_NEAR: uuid.uuid4(), Kind.DEADLINE_PASSED: uuid.uuid4()}
    reminders = []
    for goal in undelivered:
        deadline, reporting_period = goal.undelivered_deadline, goal.undelivered_reporting_period
        if deadline >= today:
            kind, key = Kind.DEADLINE_NEAR, f"near:{reporting_period}:{goal.pk}"
        else:
            # Day 1 to 7 after the deadline is the first reminder, day 8 to 14 the second, ...
            weeks = (today - deadline - datetime.timedelta(days=1)).days // OVERDUE_REMINDER_INTERVAL_DAYS
            kind, key = Kind.DEADLINE_PASSED, f"passed:{reporting_period}:{goal.pk}:{weeks}"
        for person in people[goal.pk]:
            reminders.append(
                Notice(
                    recipient=person,
                    kind=kind,
                    event=events[kind],
                    goal_id=goal.pk,
                    reporting_period_id=reporting_period,
                    key=f"{key}:{person.pk}",
                )
            )
    before = Notice.objects.filter(key__in=[reminder.key for reminder in reminders]).count()
    # The unique key refuses what another run stored first, also one running at this moment.
    Notice.objects.bulk_create(reminders, ignore_conflicts=True)
    return Notice.objects.filter(key__in=[reminder.key for reminder in reminders]).count() - before


def _plan() -> tuple[list[list[int]], dict[int, list[int]], list[int]]:
    """The pending notices as mails: one per person and event for those who hear of each notice
    (reminders too, when they chose no notices), one digest per person for those who chose it, and
    those to drop by the recipient's choice (or for want of an address). One query."""
    rows = Notice.objects.pending().values_list(
        "pk",
        "kind",
        "event",
        "recipient_id",
        "recipient__email",
        "recipient__notice_preferences__delivery",
        "recipient__notice_preferences__reminders",
    )
    each: dict[tuple, list[int]] = defaultdict(list)
    digests: dict[int, list[int]] = defaultdict(list)
    dropped = []
    for pk, kind, event, recipient, email, delivery, reminders in rows:
        delivery = delivery or Delivery.EACH  # nobody chose yet: each notice as it happens
        if kind in REMINDER_KINDS:
            wanted = reminders is not False
            delivery = Delivery.EACH if delivery == Delivery.NONE else delivery
        else:
            wanted = delivery != Delivery.NONE
        if not wanted or not email:
            dropped.append(pk)
        elif delivery == Delivery.DIGEST:
            digests[recipient].append(pk)
        else:
            each[(recipient, event)].append(pk)
    return list(each.values()), dict(digests), dropped


def _digest_is_due(preferences: NoticePreferences, now: datetime.datetime) -> bool:
    """One digest a day, from ``settings.NOTICES_DIGEST_HOUR`` (the portal's time zone) on."""
    local = timezone.localtime(now)
    if local.hour < settings.NOTICES_DIGEST_HOUR:
        return False
    return preferences.last_digest_at is None or timezone.localdate(preferences.last_digest_at) < local.date()


def _send_mail(pks: list[int], *, connection, now, result: RunResult, digest_of: int | None) -> None:
    """Send the notices ``pks`` that are still pending and not held by another run, in one mail,
    in one transaction: marked sent only when the SMTP server accepted the mail."""
    with transaction.atomic():
        if digest_of is not None:
            # The person's preferences row is the digest's lock: one run sends it, once a day.
            preferences = (
                NoticePreferences.objects.select_for_update(skip_locked=True)
                .filter(user_id=digest_of)
                .first()
            )
            if preferences is None or not _digest_is_due(preferences, now):
                return
        claimed = list(
            Notice.objects.select_for_update(skip_locked=True)
            .filter(pk__in=pks, state=NoticeState.PENDING)
            .values_list("pk", flat=True)
        )
        if not claimed:
            return
        notices = list(
            Notice.objects.filter(pk__in=claimed)
            .select_related("recipient__notice_preferences", "goal", "actor", "reporting_period__period")
            .order_by("created_at", "pk")
        )
        recipient = notices[0].recipient
        message = compose(recipient, notices, digest=digest_of is not None)
        error = _deliver(message, connection)
        if error is not None:
            result.mails_failed += 1
            result.errors.append(f"{recipient.email}: {error}")
            logger.warning(
                "Notices %s to %s not sent, kept for the next run: %s", claimed, recipient.email, error
            )
            for notice in notices:
                notice.attempts += 1
                notice.last_error = error
            Notice.objects.bulk_update(notices, ["attempts", "last_error"])
            return
        Notice.objects.filter(pk__in=claimed).update(state=NoticeState.SENT, sent_at=now)
        if digest_of is not None:
            # Not save(): the version is the person's, so that their open preferences page stays valid.
            NoticePreferences.objects.filter(pk=preferences.pk).update(last_digest_at=now)
        result.mails_sent += 1
        result.notices_sent += len(claimed)


def _deliver(message, connection) -> str | None:
    """Hand ``message`` to the mail server: None once it accepted it, else why not. A failed
    connection is closed, so that the next mail opens a fresh one."""
    try:
        connection.open()  # keeps an open connection; a no-op for backends without one
        if connection.send_messages([message]) != 1:
            return "the mail server did not accept the message"
    except (smtplib.SMTPException, OSError) as error:
        with suppress(smtplib.SMTPException, OSError):
            connection.close()
        return f"{type(error).__name__}: {error}"
    return None
