"""The world of the chain's health tests: a chain with nothing to report, to plant gaps in."""

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from goals.chain.levels import Level
from goals.chain.workflow import Status
from goals.follow_up.grading import Attainment
from goals.models import (
    FollowUp,
    Goal,
    Indicator,
    ReportingPeriod,
    ReportingPeriodKind,
    ReviewStatus,
    Revision,
    Target,
)
from processes.models import Process, ProcessKind
from tests.kit.chain import Chain, add_goal


class HealthyChain(Chain):
    """Next year's chain through the small group, with nothing to report: every steering unit has
    decided goals of its level, every goal followed up has an owner and serves the main process,
    every goal no goal breaks down is measured by an indicator with a target for the year, and no
    reporting deadline has passed."""

    def __init__(self, group):
        super().__init__(group, timezone.localdate().year + 1)
        self.owner = get_user_model().objects.create_user("malin", password="x")
        self.process = Process.objects.create(
            kind=ProcessKind.MAIN, name="Lärande", owning_unit=group.committee
        )
        self.indicator = Indicator.objects.create(code="UF-01", name="Andel elever med godkända betyg")
        Target.objects.create(indicator=self.indicator, year=self.period.year, value=90)
        self.board_goal = self.add(
            Level.BODY, "Kommunen är en attraktiv arbetsgivare", group.board, self.strategic
        )
        self.care_goal = self.add(Level.BODY, "Äldre bor tryggt", group.other_committee, self.strategic)
        self.federation_goal = self.add(Level.BODY, "Färre bränder", group.federation, self.strategic)
        for goal in (self.strategic, self.body, self.operational, self.department_goal, self.company_goal):
            self.make_healthy(goal)
        self.make_healthy(self.subsidiary_goal)

    def add(self, level, title, unit, parent, status=Status.APPROVED) -> Goal:
        goal = add_goal(level, title, unit, parent)
        Goal.objects.filter(pk=goal.pk).update(status=status)
        goal.refresh_from_db()
        return self.make_healthy(goal)

    def make_healthy(self, goal: Goal) -> Goal:
        """An owner, the main process and, for a goal the report grades, the indicator."""
        Goal.objects.filter(pk=goal.pk).update(owner=self.owner)
        goal.processes.add(self.process)
        if goal.level in (Level.BODY, Level.OPERATIONAL):
            self.indicator.goals.add(goal)
        goal.refresh_from_db()
        return goal

    def reporting_period(self, kind=ReportingPeriodKind.FOUR_MONTHS) -> ReportingPeriod:
        return ReportingPeriod.objects.get(period=self.period, kind=kind)

    def deliver_every_follow_up(self, reporting_period, status=ReviewStatus.REVIEWED) -> None:
        for goal in Goal.objects.filter(
            period=self.period, level__in=(Level.STRATEGIC, Level.BODY, Level.OPERATIONAL)
        ):
            FollowUp.objects.create(
                goal=goal,
                reporting_period=reporting_period,
                attainment=Attainment.ACHIEVED,
                commentary="Enligt plan.",
                status=status,
            )


@pytest.fixture
def healthy(group) -> HealthyChain:
    return HealthyChain(group)


@pytest.fixture
def signed_in():
    return get_user_model().objects.create_user("controller", password="x")


@pytest.fixture
def gaps(healthy):
    """An administration's goal without an owner (public) and a proposed change waiting long (not)."""
    Goal.objects.filter(pk=healthy.department_goal.pk).update(owner=None)
    revision = Revision.objects.create(goal=healthy.operational, title="Ändrad", status=Status.SUBMITTED)
    revision.history.model.objects.filter(id=revision.pk).update(history_date="2020-01-01T10:00:00Z")
    return healthy
