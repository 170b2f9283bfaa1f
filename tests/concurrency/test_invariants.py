"""The invariant checks catch what they are for: a suite whose checks never fire proves nothing.

Each test breaks one thing behind the rules' back (a queryset ``update``, as a stale concurrent
write would) and expects ``Findings.gather`` to say so. No live server: these run on any database.
"""

from __future__ import annotations

import pytest
from django.utils import timezone

from goals.chain.workflow import Status
from goals.models import Decision, Goal
from orgunits.kinds import Kind
from orgunits.models import OrgUnit
from tests.concurrency.invariants import Findings, Write, lost_writes
from tests.concurrency.racing import Answer, Call
from tests.kit.organisation import add_unit

pytestmark = pytest.mark.django_db


def test_a_sound_world_has_no_findings(chain):
    assert Findings.gather([]).problems() == {}


def test_a_server_error_is_found():
    answer = Answer(Call("POST", "/api/v1/goals/approve/"), 0, 500, "Server Error", 0.0, 0.1)
    assert Findings.gather([answer]).server_errors == [str(answer)]


def test_a_wrong_numchild_is_a_tree_problem(group):
    OrgUnit.objects.filter(pk=group.administration.pk).update(numchild=5)
    assert Findings.gather([]).tree_problems == [f"OrgUnit: wrong numchild: [{group.administration.pk}]"]


def test_a_unit_where_the_table_forbids_it_is_a_rule_violation(group, english):
    OrgUnit.objects.filter(pk=group.school.pk).update(kind=Kind.COMMITTEE)
    assert Findings.gather([]).rule_violations == [
        "Västra skolan (vastra-skolan): “Västra skolan” (committee) cannot be placed under "
        "“Avdelning grundskola” (department): “Committee” may be placed under: “Council”."
    ]


def test_a_goal_under_a_goal_its_unit_does_not_stand_under_is_a_rule_violation(chain, english):
    # The administration's goal is now another committee's administration's, as a lost race leaves it.
    care = add_unit(Kind.ADMINISTRATION, "Omsorgsförvaltningen", chain.group.other_committee)
    Goal.objects.filter(pk=chain.operational.pk).update(org_unit=care)
    assert (
        f"Tidiga insatser i läsning (#{chain.operational.pk}): “Omsorgsförvaltningen” does not stand under "
        "“Utbildningsnämnden”: a goal breaks down only goals of its own unit or of the units above it."
    ) in Findings.gather([]).rule_violations


def test_a_goal_at_a_dissolved_unit_is_a_rule_violation(chain):
    OrgUnit.objects.filter(pk=chain.group.school.pk).update(is_active=False)
    assert Findings.gather([]).rule_violations == [
        f"Läsveckor i årskurs 1–3 (#{chain.activity.pk}) stands at dissolved Västra skolan"
    ]


def test_a_goal_approved_without_a_decision_is_found(chain):
    # (Two first decisions for one goal the database itself refuses: ``one_first_decision_per_goal``.)
    findings = Findings.gather([], approved_here=[chain.body.pk])
    assert findings.decision_problems == [f"goal #{chain.body.pk} is approved without a decision"]
    assert findings.decisions_per_approved_goal == 0


def test_a_goal_sent_back_with_a_decision_is_found(chain):
    decision = Decision.objects.create(
        deciding_unit=chain.group.committee, meeting_date=timezone.localdate(), paragraph="§ 1"
    )
    decision.goals.add(chain.body)
    Goal.objects.filter(pk=chain.body.pk).update(status=Status.RETURNED)
    assert Findings.gather([]).decision_problems == [
        f"goal #{chain.body.pk} (returned) has 1 decisions approving it"
    ]


def test_the_last_acknowledged_write_must_show():
    writes = [Write("title", "first", 0, 1), Write("title", "second", 2, 3)]
    assert lost_writes(writes, {"title": "old"}, {"title": "second"}) == []
    assert lost_writes(writes, {"title": "old"}, {"title": "first"}) == [
        "title: stored 'first', but the last acknowledged writes said ['second']"
    ]


def test_of_overlapping_writes_either_may_show():
    writes = [Write("title", "first", 0, 2), Write("title", "second", 1, 3)]
    assert lost_writes(writes, {}, {"title": "first"}) == lost_writes(writes, {}, {"title": "second"}) == []


def test_a_value_nobody_wrote_must_not_change():
    assert lost_writes([], {"title": "old"}, {"title": "new"}) == [
        "title: nobody changed it, yet it went from 'old' to 'new'"
    ]
