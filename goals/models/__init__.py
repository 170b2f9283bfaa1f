"""The goals app's models: the steering chain (``goal``), what measures it (``indicator``) and how
it is followed up (``followup``)."""

from goals.models.followup import FollowUp, ReportingPeriod, ReportingPeriodKind, ReviewStatus
from goals.models.goal import (
    OPEN_REVISION_STATUSES,
    PUBLIC_STATUSES,
    Decision,
    DecisionGoal,
    Goal,
    GoalContent,
    Period,
    Preferences,
    Revision,
)
from goals.models.indicator import Gender, Indicator, IndicatorSource, Measurement, MeasurementImport, Target

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
