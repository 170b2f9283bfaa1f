"""The levels of the steering chain, and the tables that say where each level stands."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from orgunits.kinds import Kind


class Level(models.TextChoices):
    VISION = "vision", _("Vision")
    STRATEGIC = "strategic", _("Strategic goal")
    BODY = "body", _("Body goal")
    OPERATIONAL = "operational", _("Operational goal")
    ACTIVITY = "activity", _("Activity")


# Which kinds of unit set goals of each level: the council sets the vision and the strategic goals,
# the political bodies below it their body goals, the executing organisations the rest.
LEVEL_KINDS: dict[Level, tuple[Kind, ...]] = {
    Level.VISION: (Kind.COUNCIL,),
    Level.STRATEGIC: (Kind.COUNCIL,),
    Level.BODY: (Kind.EXECUTIVE_BOARD, Kind.COMMITTEE, Kind.JOINT_COMMITTEE, Kind.COMPANY, Kind.FEDERATION),
    Level.OPERATIONAL: (Kind.ADMINISTRATION, Kind.DEPARTMENT, Kind.UNIT),
    Level.ACTIVITY: (Kind.ADMINISTRATION, Kind.DEPARTMENT, Kind.UNIT),
}

# The kinds that set goals of some level. The auditors set none: they review the chain from outside.
GOAL_SETTING_KINDS = frozenset().union(*LEVEL_KINDS.values())

# Which level a goal of each level breaks down (None: it breaks down nothing, the top of the chain).
PARENT_LEVELS: dict[Level, tuple[Level | None, ...]] = {
    Level.VISION: (None,),
    Level.STRATEGIC: (Level.VISION,),
    Level.BODY: (Level.STRATEGIC, Level.BODY),
    Level.OPERATIONAL: (Level.BODY, Level.OPERATIONAL),
    Level.ACTIVITY: (Level.OPERATIONAL,),
}

# The order the levels are shown in, from the vision down.
LEVEL_ORDER = {level: index for index, level in enumerate(Level)}


# Levels that the political body owning the goal decides; the rest are decided by the manager of
# the nearest organisation (administration, company, federation) at or above the goal's unit.
POLITICALLY_DECIDED_LEVELS = frozenset({Level.VISION, Level.STRATEGIC, Level.BODY})
