"""Notices and reminders, from the workflow step that stores them to the mail a real SMTP server
receives (``smtp``, tests/notices/conftest.py): who gets them, in which language, with which links,
as each happens or in a daily digest, once only, and nothing lost when the server refuses."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from goals.chain.services import goal_approve, goal_return, goal_submit
from goals.follow_up.services import follow_up_review, follow_up_save, follow_up_submit
from goals.models import Goal, ReportingPeriod, ReportingPeriodKind
from notices.models import Delivery, Kind, Notice, NoticeState
from notices.sending import send_notifications
from tests.kit.people import member_of
from tests.notices.conftest import with_email

pytestmark = pytest.mark.django_db

SITE = "https://styrmodell.example.se"


def at(year: int, month: int, day: int, hour: int = 9) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, month, day, hour))


def run(chain) -> None:
    """Send what is due on 10 January of the chain's year, when no follow-up is due or late yet:
    only the workflow's notices, no reminders."""
    send_notifications(now=at(chain.period.year, 1, 10))


def subject(message) -> str:
    """The subject as a mail program shows it (unfolded: a long encoded subject is folded onto a
    continuation line)."""
    return str(message["Subject"]).strip()


def plain(message) -> str:
    return message.get_body(("plain",)).get_content()


def html(message) -> str:
    return message.get_body(("html",)).get_content()


@pytest.fixture
def people(group):
    """The administration's manager (Swedish), the committee's chair (English) and its secretary
    (Swedish, no preferences chosen: the defaults)."""
    return {
        "karin": with_email(member_of(group.administration, "karin"), "sv"),
        "eva": with_email(member_of(group.committee, "eva", role="politician", position="chair"), "en"),
        "maria": with_email(member_of(group.committee, "maria", role="secretary")),
    }


def test_a_submitted_goal_is_told_to_its_deciders_each_in_their_language(smtp, workflow_chain, people):
    goal_submit(goal=workflow_chain.body, by=people["karin"])

    run(workflow_chain)

    assert sorted(message["To"] for message in smtp.messages) == ["eva@example.se", "maria@example.se"]
    [english] = smtp.to("eva@example.se")
    assert subject(english) == "Styrmodell: Goal submitted for decision – “Fler elever klarar kunskapskraven”"
    assert "karin submitted “Fler elever klarar kunskapskraven” for your decision." in plain(english)
    assert f"Open the queue: {SITE}/goals/queue/" in plain(english)
    assert f'<a href="{SITE}/goals/queue/"' in html(english)
    assert f"{SITE}/notices/preferences/" in plain(english)
    [swedish] = smtp.to("maria@example.se")
    assert subject(swedish) == "Styrmodell: Mål inskickat för beslut – ”Fler elever klarar kunskapskraven”"
    assert "karin har skickat ”Fler elever klarar kunskapskraven” till dig för beslut." in plain(swedish)
    assert f"Öppna beslutskön: {SITE}/goals/queue/" in plain(swedish)
    assert 'lang="sv"' in html(swedish)


def test_the_person_who_took_the_step_is_not_told_of_it(smtp, workflow_chain, people):
    goal_submit(goal=workflow_chain.body, by=people["eva"])

    run(workflow_chain)

    assert [message["To"] for message in smtp.messages] == ["maria@example.se"]


def test_an_approved_goal_is_told_to_who_submitted_it_and_its_managers_once(smtp, workflow_chain, people):
    goal_submit(goal=workflow_chain.body, by=people["karin"])
    Notice.objects.all().delete()  # what the deciders were told is the test above

    goal_approve(
        goals=[workflow_chain.body],
        by=people["eva"],
        meeting_date=datetime.date(2026, 2, 12),
        paragraph="§ 14",
    )
    run(workflow_chain)

    # Karin submitted it and manages the administration that prepares the committee's goals: one mail.
    [mail] = smtp.messages
    assert mail["To"] == "karin@example.se"
    assert "”Fler elever klarar kunskapskraven” har beslutats av eva." in plain(mail)
    assert f"{SITE}/goals/{workflow_chain.body.pk}/" in plain(mail)


def test_a_goal_sent_back_carries_the_reason_escaped_and_a_one_line_subject(smtp, workflow_chain, people):
    Goal.objects.filter(pk=workflow_chain.body.pk).update(title="Läsning\n<script>alert(1)</script>")
    workflow_chain.body.refresh_from_db()
    goal_submit(goal=workflow_chain.body, by=people["karin"])
    Notice.objects.all().delete()

    goal_return(
        goal=workflow_chain.body, by=people["eva"], comment='Förtydliga <b>målvärdet</b> & "mätningen"'
    )
    run(workflow_chain)

    [mail] = smtp.messages
    assert subject(mail) == "Styrmodell: Mål återremitterat – ”Läsning <script>alert(1)</script>”"
    assert "<script>" not in html(mail)
    assert "”Läsning &lt;script&gt;alert(1)&lt;/script&gt;” har återremitterats av eva." in " ".join(
        html(mail).split()
    )
    assert "Förtydliga &lt;b&gt;målvärdet&lt;/b&gt; &amp; &quot;mätningen&quot;" in html(mail)
    # The plain text is not HTML: it says what was written.
    assert 'Kommentar: Förtydliga <b>målvärdet</b> & "mätningen"' in plain(mail)


def annual_of(chain) -> ReportingPeriod:
    return ReportingPeriod.objects.get(period=chain.period, kind=ReportingPeriodKind.ANNUAL)


def test_a_submitted_follow_up_goes_to_its_reviewers_never_its_submitter(smtp, chain, group, people):
    other_manager = with_email(member_of(group.administration, "olle"), "en")
    follow_up = follow_up_save(
        goal=chain.operational,
        reporting_period=annual_of(chain),
        by=people["karin"],
        attainment="partly",
        commentary="Bättre.",
        version=None,
    )
    follow_up_submit(follow_up=follow_up, by=people["karin"])

    run(chain)

    # Both manage the administration that decides the goal; Karin submitted it, so Olle reviews it.
    [mail] = smtp.messages
    assert mail["To"] == other_manager.email
    annual = annual_of(chain)
    assert (
        f"karin submitted the follow-up of “Tidiga insatser i läsning” for Annual report {chain.period.year} for your review."
        in plain(mail)
    )
    assert f"{SITE}/goals/{chain.operational.pk}/follow-up/{annual.pk}/" in plain(mail)


def test_a_reviewed_follow_up_is_told_to_its_reporters(smtp, chain, group, people):
    lars = with_email(member_of(group.department, "lars", role="editor"), "sv")
    reviewer = with_email(member_of(group.administration, "olle"), "en")
    follow_up = follow_up_save(
        goal=chain.department_goal,
        reporting_period=annual_of(chain),
        by=lars,
        attainment="achieved",
        commentary="Klart.",
        version=None,
    )
    follow_up_submit(follow_up=follow_up, by=lars)
    Notice.objects.all().delete()

    follow_up_review(follow_up=follow_up, by=reviewer)
    run(chain)

    assert [message["To"] for message in smtp.messages] == [lars.email]
    assert "har granskats av olle" in plain(smtp.messages[0])


def test_a_digest_groups_a_days_notices_in_one_mail_once_a_day(smtp, workflow_chain, people):
    with_email(people["eva"], "en", delivery=Delivery.DIGEST)
    goal_submit(goal=workflow_chain.body, by=people["karin"])
    goal_submit(goal=workflow_chain.company_goal, by=people["karin"])
    year = workflow_chain.period.year

    send_notifications(now=at(year, 3, 2, hour=6))  # before the digest hour: only Maria's, each as it happens
    assert sorted(message["To"] for message in smtp.messages) == ["maria@example.se"]

    send_notifications(now=at(year, 3, 2, hour=8))
    [digest] = smtp.to("eva@example.se")
    assert subject(digest) == "Styrmodell: your daily digest, 1 notice"

    goal_return(goal=workflow_chain.body, by=people["maria"], comment="Komplettera.")
    goal_submit(goal=workflow_chain.body, by=people["karin"])
    send_notifications(now=at(year, 3, 2, hour=20))  # the same day: no second digest
    assert len(smtp.to("eva@example.se")) == 1

    send_notifications(now=at(year, 3, 3, hour=7))
    assert [subject(mail) for mail in smtp.to("eva@example.se")][1:] == [
        "Styrmodell: your daily digest, 1 notice"
    ]


def test_a_digest_holds_every_notice_since_the_last(smtp, workflow_chain, group, people):
    with_email(people["karin"], "en", delivery=Delivery.DIGEST)
    year = workflow_chain.period.year
    olle = member_of(group.administration, "olle")
    goal_submit(goal=workflow_chain.operational, by=olle)
    goal_submit(goal=workflow_chain.body, by=olle)
    goal_approve(
        goals=[workflow_chain.body], by=people["eva"], meeting_date=datetime.date(year, 3, 2), paragraph="§ 3"
    )

    send_notifications(now=at(year, 3, 3))

    [digest] = smtp.to("karin@example.se")
    assert subject(digest) == "Styrmodell: your daily digest, 2 notices"
    text = plain(digest)
    assert "olle submitted “Tidiga insatser i läsning” for your decision." in text
    assert "“Fler elever klarar kunskapskraven” was approved by eva." in text


def test_no_notices_means_none_and_reminders_can_be_turned_off(smtp, workflow_chain, people):
    with_email(people["eva"], "en", delivery=Delivery.NONE)
    with_email(people["maria"], "sv", reminders=False)
    goal_submit(goal=workflow_chain.body, by=people["karin"])

    run(workflow_chain)

    assert [message["To"] for message in smtp.messages] == ["maria@example.se"]
    assert Notice.objects.get(recipient=people["eva"]).state == NoticeState.DROPPED


class TestReminders:
    """The chain's reporting periods: four-month report due 20 May, interim report 20 September."""

    def test_before_the_deadline_and_after_it_while_missing(self, smtp, chain, people):
        year = chain.period.year
        send_notifications(now=at(year, 9, 15))

        # Karin answers for the administration's operational goal, and (as the committee's
        # administration) for the committee's body goal: one mail for what is due, one for what is late.
        mails = smtp.to("karin@example.se")
        assert sorted(subject(mail) for mail in mails) == [
            "Styrmodell: Försenad uppföljning – 2 mål",
            "Styrmodell: Uppföljning snart att lämna – 2 mål",
        ]
        due = next(mail for mail in mails if "snart" in subject(mail))
        late = next(mail for mail in mails if "Försenad" in subject(mail))
        assert (
            f"Uppföljningen av ”Tidiga insatser i läsning” för Delårsrapport {year} ska lämnas senast 20 september {year}."
            in plain(due)
        )
        assert (
            f"Uppföljningen av ”Tidiga insatser i läsning” för Tertialrapport {year} skulle ha lämnats 20 maj {year} och är försenad."
            in plain(late)
        )
        operational = chain.operational.pk
        tertial = ReportingPeriod.objects.get(period=chain.period, kind=ReportingPeriodKind.FOUR_MONTHS)
        assert f"{SITE}/goals/{operational}/follow-up/{tertial.pk}/" in plain(late)

    def test_a_reminder_is_sent_once_and_an_overdue_one_again_each_week(self, smtp, chain, people):
        year = chain.period.year
        send_notifications(now=at(year, 9, 15))
        sent = len(smtp.messages)

        send_notifications(now=at(year, 9, 15, hour=12))
        send_notifications(now=at(year, 9, 16))
        assert len(smtp.messages) == sent

        # Overdue reminders go on days 1, 8, 15, ... after the deadline (20 May): 17 September is
        # day 120. The interim report is not late yet.
        send_notifications(now=at(year, 9, 17))
        [again] = [plain(mail) for mail in smtp.messages[sent:]]
        assert f"Tertialrapport {year} skulle ha lämnats" in again
        assert "Delårsrapport" not in again

        # 21 September: the interim report has just become late; the four-month report waits a week.
        send_notifications(now=at(year, 9, 21))
        [late] = [plain(mail) for mail in smtp.messages[sent + 1 :]]
        assert f"Delårsrapport {year} skulle ha lämnats 20 september {year} och är försenad." in late
        assert "Tertialrapport" not in late

    def test_a_delivered_follow_up_is_not_reminded_of(self, smtp, chain, people):
        interim = ReportingPeriod.objects.get(period=chain.period, kind=ReportingPeriodKind.INTERIM)
        for goal in (chain.operational, chain.body):
            follow_up = follow_up_save(
                goal=goal,
                reporting_period=interim,
                by=people["karin"],
                attainment="partly",
                commentary="Ok.",
                version=None,
            )
            follow_up_submit(follow_up=follow_up, by=people["karin"])
        Notice.objects.all().delete()

        send_notifications(now=at(chain.period.year, 9, 15))

        assert not any("snart" in subject(mail) for mail in smtp.to("karin@example.se"))
        assert Notice.objects.filter(kind=Kind.DEADLINE_NEAR).count() == 0

    def test_reminders_stay_on_for_whom_chose_no_notices_unless_turned_off(self, smtp, chain, people):
        with_email(people["karin"], "en", delivery=Delivery.NONE)
        send_notifications(now=at(chain.period.year, 9, 15))
        assert len(smtp.to("karin@example.se")) == 2

        with_email(people["karin"], "en", delivery=Delivery.NONE, reminders=False)
        send_notifications(now=at(chain.period.year, 9, 23))
        assert len(smtp.to("karin@example.se")) == 2


def test_a_refusing_server_loses_nothing_and_the_next_run_sends_the_rest_once(smtp, workflow_chain, people):
    goal_submit(goal=workflow_chain.body, by=people["karin"])
    smtp.refuse = {"eva@example.se"}

    with pytest.raises(CommandError, match=r"1 mails refused.*retried on the next run"):
        call_command("send_notifications")

    assert [message["To"] for message in smtp.messages] == ["maria@example.se"]
    kept = Notice.objects.get(recipient=people["eva"])
    assert (kept.state, kept.attempts) == (NoticeState.PENDING, 1)
    assert "451" in kept.last_error

    smtp.refuse = set()
    call_command("send_notifications")
    call_command("send_notifications")
    assert sorted(message["To"] for message in smtp.messages) == ["eva@example.se", "maria@example.se"]


def test_a_server_refusing_every_recipient_keeps_everything_for_the_next_run(smtp, workflow_chain, people):
    goal_submit(goal=workflow_chain.body, by=people["karin"])
    smtp.refuse_all, smtp.refusal = True, "550 5.7.1 Relaying denied"

    with pytest.raises(CommandError, match="2 mails refused"):
        call_command("send_notifications")
    assert smtp.messages == []
    assert sorted(Notice.objects.values_list("state", "attempts")) == [(NoticeState.PENDING, 1)] * 2

    smtp.refuse_all = False
    call_command("send_notifications")
    call_command("send_notifications")
    assert sorted(message["To"] for message in smtp.messages) == ["eva@example.se", "maria@example.se"]
    assert set(Notice.objects.values_list("state", flat=True)) == {NoticeState.SENT}


def test_a_server_that_is_down_keeps_everything_for_the_next_run(smtp, settings, workflow_chain, people):
    goal_submit(goal=workflow_chain.body, by=people["karin"])
    port = settings.EMAIL_PORT
    settings.EMAIL_PORT = 1  # nothing listens there

    with pytest.raises(CommandError, match="2 mails refused"):
        call_command("send_notifications")
    assert Notice.objects.filter(state=NoticeState.PENDING).count() == 2

    settings.EMAIL_PORT = port
    call_command("send_notifications")
    assert sorted(message["To"] for message in smtp.messages) == ["eva@example.se", "maria@example.se"]


def test_a_step_refused_stores_no_notice(smtp, workflow_chain, people):
    goal_submit(goal=workflow_chain.body, by=people["karin"])
    Notice.objects.all().delete()

    with pytest.raises(Exception, match="kan skickas in"):
        goal_submit(goal=workflow_chain.body, by=people["karin"])

    assert not Notice.objects.exists()
