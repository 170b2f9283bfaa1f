"""The chain's health: a healthy chain reports nothing, and each kind of finding is produced by one
gap planted in it and found, with its subject, organisation and the place where it is mended."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone

from goals.chain.levels import Level
from goals.chain.workflow import Status
from goals.follow_up.grading import Attainment
from goals.health.findings import chain_health
from goals.health.kinds import KIND_OF, KINDS, FindingKind
from goals.models import (
    FollowUp,
    Goal,
    Indicator,
    ReviewStatus,
    Revision,
    Target,
)
from orgunits.kinds import Kind
from orgunits.models import OrgUnit
from processes.models import Process, ProcessKind
from tests.kit.chain import add_goal
from tests.kit.organisation import add_unit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def found(health) -> list[tuple[str, str, str, str]]:
    """What a reader sees of each finding: its kind, subject, organisation and link."""
    return [(f.kind.code, f.subject, f.organisation.name, f.url) for f in health.findings]


def health_of(healthy, user, **kwargs):
    return chain_health(period=healthy.period, user=user, **kwargs)


def goal_url(goal) -> str:
    return reverse("goals:detail", args=[goal.pk])


def back_date(record, day: datetime.date) -> None:
    """Say that the record's last change (a submission) happened on ``day``."""
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
    record.history.model.objects.filter(id=record.pk).update(history_date=moment)


def test_a_healthy_chain_reports_nothing(healthy, signed_in):
    health = health_of(healthy, signed_in)
    assert found(health) == []
    assert health.kinds == KINDS
    assert health.by_organisation == []
    assert health.count_per_kind == {kind.code: 0 for kind in KINDS}


def test_a_decided_goal_under_an_undecided_one(healthy, group, signed_in):
    draft = healthy.add(
        Level.BODY, "Fler vuxna läser", group.committee, healthy.strategic, status=Status.DRAFT
    )
    decided = healthy.add(Level.OPERATIONAL, "Vuxenutbildning för alla", group.administration, draft)
    health = health_of(healthy, signed_in)
    assert found(health) == [
        (FindingKind.DECIDED_UNDER_UNDECIDED, decided.title, "Utbildningsförvaltningen", goal_url(decided))
    ]
    assert health.findings[0].detail == "Breaks down “Fler vuxna läser”, which is draft."


def test_a_goal_of_a_dissolved_unit(healthy, group, signed_in):
    OrgUnit.objects.filter(pk=group.school.pk).update(is_active=False)
    assert found(health_of(healthy, signed_in)) == [
        (
            FindingKind.DISSOLVED_UNIT,
            healthy.activity.title,
            "Utbildningsförvaltningen",
            goal_url(healthy.activity),
        )
    ]


def test_a_strategic_goal_no_political_body_has_broken_down(healthy, group, signed_in):
    lonely = healthy.add(Level.STRATEGIC, "Sjöstad är fossilfritt", group.council, healthy.vision)
    assert found(health_of(healthy, signed_in)) == [
        (FindingKind.STRATEGIC_NOT_BROKEN_DOWN, lonely.title, "Kommunfullmäktige", goal_url(lonely))
    ]


def test_a_body_goal_still_a_draft_does_not_break_a_strategic_goal_down(healthy, group, signed_in):
    lonely = healthy.add(Level.STRATEGIC, "Sjöstad är fossilfritt", group.council, healthy.vision)
    healthy.add(Level.BODY, "Fossilfria bussar", group.board, lonely, status=Status.SUBMITTED)
    assert [
        f.subject for f in health_of(healthy, signed_in).of_kind(FindingKind.STRATEGIC_NOT_BROKEN_DOWN)
    ] == [lonely.title]


def test_a_committee_and_an_administration_without_decided_goals_of_their_level(healthy, group, signed_in):
    culture = add_unit(Kind.COMMITTEE, "Kultur- och fritidsnämnden", group.council)
    culture_administration = add_unit(Kind.ADMINISTRATION, "Kulturförvaltningen", culture)
    healthy.add(Level.BODY, "Fler besöker biblioteken", culture, healthy.strategic, status=Status.DRAFT)
    health = health_of(healthy, signed_in)
    assert found(health) == [
        (FindingKind.UNIT_WITHOUT_GOALS, culture.name, culture.name, culture.get_absolute_url()),
        (
            FindingKind.UNIT_WITHOUT_GOALS,
            culture_administration.name,
            culture_administration.name,
            culture_administration.get_absolute_url(),
        ),
    ]
    assert [f.detail for f in health.findings] == [
        f"No decided body goal in {healthy.period.year}.",
        f"No decided operational goal in {healthy.period.year}.",
    ]


def test_a_decided_goal_without_an_indicator(healthy, signed_in):
    healthy.indicator.goals.remove(healthy.subsidiary_goal)
    assert found(health_of(healthy, signed_in)) == [
        (
            FindingKind.GOAL_WITHOUT_INDICATOR,
            healthy.subsidiary_goal.title,
            "Bostäder AB",
            goal_url(healthy.subsidiary_goal),
        )
    ]


def test_a_goal_broken_down_by_decided_goals_is_assessed_through_them(healthy, signed_in):
    healthy.indicator.goals.remove(healthy.body, healthy.operational)
    assert found(health_of(healthy, signed_in)) == []


def test_an_indicator_without_a_target_for_the_year(healthy, signed_in):
    reading = Indicator.objects.create(code="UF-02", name="Läsförståelse i årskurs 3")
    reading.goals.add(healthy.department_goal)
    Target.objects.create(indicator=reading, year=healthy.period.year - 1, value=80)  # last year's only
    assert found(health_of(healthy, signed_in)) == [
        (
            FindingKind.INDICATOR_WITHOUT_TARGET,
            reading.name,
            "Utbildningsförvaltningen",
            reading.get_absolute_url(),
        )
    ]


def test_a_decided_goal_without_an_owner(healthy, signed_in):
    Goal.objects.filter(pk=healthy.department_goal.pk).update(owner=None)
    assert found(health_of(healthy, signed_in)) == [
        (
            FindingKind.GOAL_WITHOUT_OWNER,
            healthy.department_goal.title,
            "Utbildningsförvaltningen",
            goal_url(healthy.department_goal),
        )
    ]


def test_a_follow_up_is_overdue_the_day_after_its_deadline(healthy, signed_in):
    four_months = healthy.reporting_period()
    healthy.deliver_every_follow_up(four_months)
    FollowUp.objects.filter(goal=healthy.company_goal).update(status=ReviewStatus.DRAFT)
    on_the_deadline = health_of(healthy, signed_in, today=four_months.deadline)
    day_after = health_of(healthy, signed_in, today=four_months.deadline + datetime.timedelta(days=1))
    assert found(on_the_deadline) == []
    assert found(day_after) == [
        (
            FindingKind.FOLLOW_UP_OVERDUE,
            healthy.company_goal.title,
            "Stadshus AB",
            reverse("goals:follow-up", args=[healthy.company_goal.pk, four_months.pk]),
        )
    ]
    assert day_after.findings[0].date == four_months.deadline
    assert day_after.findings[0].detail == f"Four-month report, due 20 May {healthy.period.year}."


def test_a_follow_up_waits_for_its_review_longer_than_the_threshold(healthy, signed_in):
    four_months = healthy.reporting_period()
    healthy.deliver_every_follow_up(four_months)
    waiting = FollowUp.objects.get(goal=healthy.body, reporting_period=four_months)
    FollowUp.objects.filter(pk=waiting.pk).update(status=ReviewStatus.SUBMITTED)
    back_date(waiting, four_months.deadline - datetime.timedelta(days=3))  # sent in good time
    days = KIND_OF[FindingKind.FOLLOW_UP_NOT_REVIEWED].threshold_days
    at_threshold = health_of(healthy, signed_in, today=four_months.deadline + datetime.timedelta(days=days))
    past_it = health_of(healthy, signed_in, today=four_months.deadline + datetime.timedelta(days=days + 1))
    assert found(at_threshold) == []
    assert found(past_it) == [
        (
            FindingKind.FOLLOW_UP_NOT_REVIEWED,
            healthy.body.title,
            "Utbildningsnämnden",
            waiting.get_absolute_url(),
        )
    ]
    assert past_it.findings[0].date == four_months.deadline


def test_a_late_submission_waits_from_the_day_it_was_submitted(healthy, signed_in):
    four_months = healthy.reporting_period()
    healthy.deliver_every_follow_up(four_months)
    waiting = FollowUp.objects.get(goal=healthy.body, reporting_period=four_months)
    FollowUp.objects.filter(pk=waiting.pk).update(status=ReviewStatus.SUBMITTED)
    submitted = four_months.deadline + datetime.timedelta(days=10)
    back_date(waiting, submitted)
    days = KIND_OF[FindingKind.FOLLOW_UP_NOT_REVIEWED].threshold_days
    assert found(health_of(healthy, signed_in, today=submitted + datetime.timedelta(days=days))) == []
    [finding] = health_of(healthy, signed_in, today=submitted + datetime.timedelta(days=days + 1)).findings
    assert finding.date == submitted


def test_a_follow_up_graded_without_a_commentary(healthy, signed_in):
    four_months = healthy.reporting_period()
    healthy.deliver_every_follow_up(four_months)
    silent = FollowUp.objects.get(goal=healthy.operational, reporting_period=four_months)
    FollowUp.objects.filter(pk=silent.pk).update(commentary="  \n")
    FollowUp.objects.filter(goal=healthy.body).update(commentary="", attainment=Attainment.NOT_ASSESSED)
    assert found(health_of(healthy, signed_in, today=four_months.deadline)) == [
        (
            FindingKind.GRADED_WITHOUT_COMMENTARY,
            healthy.operational.title,
            "Utbildningsförvaltningen",
            silent.get_absolute_url(),
        )
    ]


def test_a_decided_goal_that_serves_no_process(healthy, signed_in):
    healthy.subsidiary_goal.processes.clear()
    assert found(health_of(healthy, signed_in)) == [
        (
            FindingKind.GOAL_SERVES_NO_PROCESS,
            healthy.subsidiary_goal.title,
            "Bostäder AB",
            goal_url(healthy.subsidiary_goal),
        )
    ]


def test_a_main_process_no_organisations_goal_serves(healthy, group, signed_in):
    care = Process.objects.create(kind=ProcessKind.MAIN, name="Omsorg", owning_unit=group.other_committee)
    healthy.strategic.processes.add(care)  # the council's goal names it; nobody carries it out
    Process.objects.create(kind=ProcessKind.SUPPORT, name="Ekonomi", owning_unit=group.board)
    assert found(health_of(healthy, signed_in)) == [
        (FindingKind.MAIN_PROCESS_WITHOUT_GOALS, "Omsorg", "Omsorgsnämnden", care.get_absolute_url())
    ]


def test_a_proposed_change_waiting_longer_than_the_threshold(healthy, signed_in):
    revision = Revision.objects.create(
        goal=healthy.operational, title="Tidiga insatser i läsning och skrivning", status=Status.SUBMITTED
    )
    today = timezone.localdate()
    days = KIND_OF[FindingKind.REVISION_WAITING].threshold_days
    back_date(revision, today - datetime.timedelta(days=days))
    assert found(health_of(healthy, signed_in, today=today)) == []
    back_date(revision, today - datetime.timedelta(days=days + 1))
    assert found(health_of(healthy, signed_in, today=today)) == [
        (
            FindingKind.REVISION_WAITING,
            healthy.operational.title,
            "Utbildningsförvaltningen",
            goal_url(healthy.operational),
        )
    ]


def test_the_public_sees_only_findings_about_decided_goals(healthy, group, signed_in):
    draft = add_goal(Level.ACTIVITY, "Läsveckor i årskurs 4", group.school, healthy.department_goal)
    OrgUnit.objects.filter(pk=group.school.pk).update(is_active=False)
    revision = Revision.objects.create(goal=healthy.operational, title="Ändrad", status=Status.SUBMITTED)
    back_date(revision, timezone.localdate() - datetime.timedelta(days=90))
    public = health_of(healthy, AnonymousUser())
    signed = health_of(healthy, signed_in)
    assert [k.code for k in public.kinds] == [k.code for k in KINDS if k.public]
    assert [(f.kind.code, f.subject) for f in public.findings] == [
        (FindingKind.DISSOLVED_UNIT, healthy.activity.title)
    ]
    assert [(f.kind.code, f.subject) for f in signed.findings] == [
        (FindingKind.DISSOLVED_UNIT, healthy.activity.title),
        (FindingKind.DISSOLVED_UNIT, draft.title),
        (FindingKind.REVISION_WAITING, healthy.operational.title),
    ]


def test_a_unit_narrows_the_findings_to_its_part_of_the_group(healthy, group, signed_in):
    Goal.objects.filter(
        pk__in=[healthy.department_goal.pk, healthy.subsidiary_goal.pk, healthy.care_goal.pk]
    ).update(owner=None)
    by_unit = {
        unit: [f.subject for f in health_of(healthy, signed_in, unit=unit).findings]
        for unit in (group.administration, group.company, group.committee, group.federation)
    }
    assert by_unit == {
        group.administration: [healthy.department_goal.title],
        group.company: [healthy.subsidiary_goal.title],
        group.committee: [healthy.department_goal.title],
        group.federation: [],
    }


def test_findings_are_counted_per_organisation_and_kind(healthy, group, signed_in):
    Goal.objects.filter(
        pk__in=[healthy.department_goal.pk, healthy.body.pk, healthy.subsidiary_goal.pk]
    ).update(owner=None)
    healthy.indicator.goals.remove(healthy.department_goal)
    health = health_of(healthy, signed_in)
    owner, indicator = (
        KINDS.index(KIND_OF["goal_without_owner"]),
        KINDS.index(KIND_OF["goal_without_indicator"]),
    )
    rows = {
        row.organisation.name: (row.counts[indicator], row.counts[owner], row.total)
        for row in health.by_organisation
    }
    assert rows == {
        "Utbildningsnämnden": (0, 1, 1),
        "Utbildningsförvaltningen": (1, 1, 2),
        "Bostäder AB": (0, 1, 1),
    }
    assert [row.organisation.name for row in health.by_organisation] == [
        "Utbildningsnämnden",
        "Utbildningsförvaltningen",
        "Bostäder AB",
    ]
    assert {code: n for code, n in health.count_per_kind.items() if n} == {
        "goal_without_indicator": 1,
        "goal_without_owner": 3,
    }
