"""The demo's chain is healthy but for the gaps it holds on purpose (``demo.gaps``, and the judged
goals and late reports of ``demo.follow_ups``): the chain's health page of the demo year lists
exactly those, and nothing else."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.utils import timezone

from demo import gaps
from demo.follow_ups import JUDGED, LATE, WAITING_FOR_REVIEW
from goals.health.findings import chain_health
from goals.health.kinds import KIND_OF, KINDS, FindingKind
from goals.models import Goal, Indicator, Period, ReportingPeriod, ReportingPeriodKind
from tests.kit.once import SharedWorld


def planted(today: datetime.date) -> dict[str, set[str]]:
    """The subjects of each kind of finding the demo year holds on ``today``: the reports of a period
    are in once it has ended, late once its deadline has passed, waiting too long a month later."""
    four_months, interim = (
        ReportingPeriod.objects.get(period__year=today.year, kind=kind)
        for kind in (ReportingPeriodKind.FOUR_MONTHS, ReportingPeriodKind.INTERIM)
    )
    waited = KIND_OF[FindingKind.FOLLOW_UP_NOT_REVIEWED].threshold_days
    return {
        FindingKind.GOAL_WITHOUT_INDICATOR: set(JUDGED),
        FindingKind.INDICATOR_WITHOUT_TARGET: {Indicator.objects.get(code=gaps.TARGET_NOT_SET).name},
        FindingKind.GOAL_WITHOUT_OWNER: {gaps.OWNER_VACANT},
        FindingKind.FOLLOW_UP_OVERDUE: set(LATE) if today > interim.deadline else set(),
        FindingKind.FOLLOW_UP_NOT_REVIEWED: (
            set(WAITING_FOR_REVIEW) if today > interim.deadline + datetime.timedelta(days=waited) else set()
        ),
        FindingKind.GRADED_WITHOUT_COMMENTARY: {gaps.WITHOUT_COMMENTARY}
        if today > four_months.ends
        else set(),
        FindingKind.GOAL_SERVES_NO_PROCESS: {gaps.SERVES_NO_PROCESS},
        FindingKind.REVISION_WAITING: {gaps.REVISION["goal"]},
    }


def found(health) -> dict[str, set[str]]:
    return {code: {finding.subject for finding in health.of_kind(code)} for code in health.count_per_kind}


@pytest.mark.usefixtures("scene")
class TestTheDemosHealth(SharedWorld):
    def build(self):
        call_command("seed_demo")

    def test_the_demo_year_lists_the_planted_gaps_and_nothing_else(self):
        today = timezone.localdate()
        admin = get_user_model().objects.get(username="admin")
        health = chain_health(period=Period.objects.get(year=today.year), user=admin)
        expected = planted(today)
        assert found(health) == {kind.code: expected.get(kind.code, set()) for kind in KINDS}

    def test_the_public_sees_the_planted_gaps_about_decided_goals(self):
        today = timezone.localdate()
        health = chain_health(period=Period.objects.get(year=today.year), user=AnonymousUser())
        expected = planted(today)
        assert found(health) == {kind.code: expected.get(kind.code, set()) for kind in KINDS if kind.public}

    def test_every_goal_followed_up_has_an_owner_but_the_vacant_post(self):
        ownerless = Goal.objects.filter(owner=None).exclude(level="vision")
        assert set(ownerless.values_list("title", "period__year")) == {
            (gaps.OWNER_VACANT, timezone.localdate().year)
        }

    def test_the_heads_who_own_goals_cannot_sign_in(self):
        heads = get_user_model().objects.filter(username__in=[head.username for head in gaps.HEADS])
        assert heads.count() == len(gaps.HEADS)
        assert not any(head.has_usable_password() for head in heads)
