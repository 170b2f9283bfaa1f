"""Two ``send_notifications`` runs at the same moment, as cron and a person running it by hand, or
a timer firing while the last run is still sending: every notice goes out exactly once.

Real threads, each with its own PostgreSQL connection and SMTP connection, against the test's SMTP
server (slowed down, so that the runs overlap for the whole of their work); the data is committed
(``transactional_db``) so that both runs see it.
"""

from __future__ import annotations

import datetime
import threading
from collections import Counter

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone

from goals.models import Goal
from notices.models import Delivery, Kind, Notice, NoticePreferences, NoticeState
from notices.sending import send_notifications

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
        reason="two runs race only with row locks: PostgreSQL (make test runs on it); SQLite makes them take turns",
    ),
]

PEOPLE = 12  # each with two notices of one event; the last four read a daily digest


def test_two_runs_at_once_send_each_notice_exactly_once(smtp, chain):
    goals = list(Goal.objects.filter(period=chain.period).order_by("path")[:2])
    for number in range(PEOPLE):
        person = get_user_model().objects.create_user(f"person{number}", email=f"person{number}@example.se")
        if number >= PEOPLE - 4:
            NoticePreferences.objects.create(user=person, delivery=Delivery.DIGEST, language="en")
        event = Notice(recipient=person, kind=Kind.GOAL_SUBMITTED, goal=goals[0]).event
        Notice.objects.bulk_create(
            Notice(recipient=person, kind=Kind.GOAL_SUBMITTED, goal=goal, event=event) for goal in goals
        )
    smtp.delay = 0.05
    now = timezone.make_aware(datetime.datetime(chain.period.year, 1, 10, 9))
    start = threading.Barrier(2, timeout=30)
    results, failures = [], []

    def run():
        try:
            start.wait()
            results.append(send_notifications(now=now))
        except Exception as error:  # any failure of a run is reported by the assertion below
            failures.append(error)
        finally:
            connection.close()

    runs = [threading.Thread(target=run) for _ in range(2)]
    for thread in runs:
        thread.start()
    for thread in runs:
        thread.join(timeout=120)

    assert failures == []
    received = Counter(message["To"] for message in smtp.messages)
    assert received == {f"person{number}@example.se": 1 for number in range(PEOPLE)}
    assert sum(result.notices_sent for result in results) == 2 * PEOPLE
    assert all(result.mails_sent for result in results), "both runs sent some: they really overlapped"
    assert set(Notice.objects.values_list("state", flat=True)) == {NoticeState.SENT}
