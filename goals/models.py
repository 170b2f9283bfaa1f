"""Every model of the goals app, for Django and for the apps above: the steering chain
(``goals.chain.models``), what measures it (``goals.indicators.models``) and how it is followed up
(``goals.follow_up.models``). Code inside ``goals`` imports from those modules directly, so that its
layers stay visible."""

from goals.chain.models import (
    OPEN_REVISION_STATUSES,
    Decision,
    DecisionGoal,
    Goal,
    GoalContent,
    Period,
    Preferences,
    ReportingPeriod,
    ReportingPeriodKind,
    Revision,
)
from goals.chain.workflow import PUBLIC_STATUSES
from goals.follow_up.models import FollowUp
from goals.follow_up.workflow import ReviewStatus
from goals.indicators.models import Gender, Indicator, IndicatorSource, Measurement, MeasurementImport, Target

__all__ = [
    "OPEN_REVISION_STATUSES",
    "PUBLIC_STATUSES",
    "Decision",
    "DecisionGoal",
    "FollowUp",
    "Gender",
    "Goal",
    "GoalContent",
    "Indicator",
    "IndicatorSource",
    "Measurement",
    "MeasurementImport",
    "Period",
    "Preferences",
    "ReportingPeriod",
    "ReportingPeriodKind",
    "ReviewStatus",
    "Revision",
    "Target",
]
