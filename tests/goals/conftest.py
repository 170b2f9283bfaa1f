import pytest
from django.utils import timezone

from goals.levels import Level
from goals.models import Goal, Period


def add_goal(
    level: Level, title: str, unit, parent: Goal | None = None, period: Period | None = None, **fields
):
    """Place a new goal through the manager, as every real path does."""
    goal = Goal(level=level, title=title, org_unit=unit, period=period or parent.period, **fields)
    if parent is None:
        return Goal.objects.add_root(instance=goal)
    return Goal.objects.add_child(parent, instance=goal)


class Chain:
    """One period's complete chain through the small group of ``tests.conftest.Group``."""

    def __init__(self, group, year: int):
        self.group = group
        self.period = Period.objects.create(year=year)
        self.vision = add_goal(Level.VISION, "Sjöstad – hållbart och nära", group.council, period=self.period)
        self.strategic = add_goal(Level.STRATEGIC, "Alla barn lyckas i skolan", group.council, self.vision)
        self.body = add_goal(Level.BODY, "Fler elever klarar kunskapskraven", group.committee, self.strategic)
        self.operational = add_goal(
            Level.OPERATIONAL, "Tidiga insatser i läsning", group.administration, self.body
        )
        self.department_goal = add_goal(
            Level.OPERATIONAL, "Läsfrämjande i grundskolan", group.department, self.operational
        )
        self.activity = add_goal(
            Level.ACTIVITY, "Läsveckor i årskurs 1–3", group.school, self.department_goal
        )
        self.company_goal = add_goal(
            Level.BODY, "Koncernen bidrar till bostadsbyggandet", group.company, self.strategic
        )
        self.subsidiary_goal = add_goal(
            Level.BODY, "500 nya hyresrätter", group.subsidiary, self.company_goal
        )

    def refresh(self) -> None:
        for goal in (
            self.vision,
            self.strategic,
            self.body,
            self.operational,
            self.department_goal,
            self.activity,
        ):
            goal.refresh_from_db()


@pytest.fixture
def this_year() -> int:
    return timezone.localdate().year


@pytest.fixture
def chain(group, this_year) -> Chain:
    return Chain(group, this_year)


def grow_chain(chain: Chain, size: int) -> None:
    """Add goals under the chain's administration until the period holds ``size`` goals."""
    count = Goal.objects.filter(period=chain.period).count()
    operational = chain.operational
    while count < size:
        if count % 5 == 0:
            operational = add_goal(
                Level.OPERATIONAL, f"Verksamhetsmål {count}", chain.group.administration, chain.body
            )
        else:
            add_goal(Level.ACTIVITY, f"Aktivitet {count}", chain.group.school, operational)
        count += 1
