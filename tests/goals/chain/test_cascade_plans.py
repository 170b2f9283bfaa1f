"""How many goals stand below each goal, as the public sees them, is counted from an index alone
(PostgreSQL's plans; docs/performance.md has the timings at the default scale). Sequential scans
are forbidden when the plan is asked, since tables this small are read whole by choice."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection

from goals.chain.queries import with_cascade_size
from goals.models import Goal
from tests.kit.chain import grow_chain
from tests.kit.plans import plan_of

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plans"),
]


def test_the_public_cascade_sizes_are_counted_from_the_decided_goals_index(chain, group):
    grow_chain(chain, 300)
    public = Goal.objects.visible_to(AnonymousUser())
    goals = with_cascade_size(public.filter(org_unit=group.council), among=public)
    plan = plan_of(goals, "goals_goal")
    # Below each goal, the decided goals' paths, read in the partial index without reading each
    # goal for its status.
    assert "goal_public_path" in plan
    assert dict(goals.values_list("pk", "cascade_size")) == {
        goal.pk: Goal.objects.filter(path__startswith=goal.path, depth__gt=goal.depth).count()
        for goal in goals
    }
