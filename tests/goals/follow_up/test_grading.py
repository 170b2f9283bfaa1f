"""The suggested grade from the indicators and the roll-up of the goals below (docs/follow-up.md)."""

from decimal import Decimal as D

import pytest

from goals.follow_up.grading import Attainment, Reading, combined_grade, indicator_grade, suggested_grade
from goals.indicators.models import Direction

ACHIEVED, PARTLY, NOT_ACHIEVED, NOT_ASSESSED = Attainment


@pytest.mark.parametrize(
    ("reading", "grade"),
    [
        (Reading(value=D("80"), target=D("80"), reference=D("70")), ACHIEVED),  # exactly on target
        (Reading(value=D("85"), target=D("80"), reference=None), ACHIEVED),
        (Reading(value=D("75"), target=D("80"), reference=D("70")), PARTLY),  # better than last year
        (Reading(value=D("70"), target=D("80"), reference=D("70")), NOT_ACHIEVED),  # standing still
        (Reading(value=D("65"), target=D("80"), reference=D("70")), NOT_ACHIEVED),
        (Reading(value=D("75"), target=D("80"), reference=None), NOT_ACHIEVED),  # nothing to compare with
        (Reading(value=None, target=D("80"), reference=D("70")), NOT_ASSESSED),  # a missing year
        (Reading(value=D("75"), target=None, reference=D("70")), NOT_ASSESSED),  # no target
    ],
)
def test_an_indicator_is_graded_against_its_target_and_its_reference(reading, grade):
    assert indicator_grade(reading) == grade


@pytest.mark.parametrize(
    ("value", "grade"),
    [
        (D("4.0"), ACHIEVED),
        (D("3.5"), ACHIEVED),
        (D("4.5"), PARTLY),
        (D("5.0"), NOT_ACHIEVED),
        (D("6"), NOT_ACHIEVED),
    ],
)
def test_lower_is_better_turns_every_comparison(value, grade):
    # Sick leave: the target is 4.0 %, last year it was 5.0 %.
    reading = Reading(value=value, target=D("4.0"), reference=D("5.0"), direction=Direction.LOWER)
    assert indicator_grade(reading) == grade


@pytest.mark.parametrize(
    ("grades", "combined"),
    [
        ([], NOT_ASSESSED),  # no indicator, or no goal below
        ([NOT_ASSESSED, NOT_ASSESSED], NOT_ASSESSED),
        ([ACHIEVED, ACHIEVED], ACHIEVED),
        ([ACHIEVED, NOT_ASSESSED], ACHIEVED),  # what cannot be assessed does not pull the grade down
        ([NOT_ACHIEVED, NOT_ACHIEVED], NOT_ACHIEVED),
        ([ACHIEVED, NOT_ACHIEVED], PARTLY),
        ([PARTLY], PARTLY),
        ([ACHIEVED, PARTLY, NOT_ASSESSED], PARTLY),
    ],
)
def test_many_grades_combine_into_one(grades, combined):
    assert combined_grade(grades) == combined


def test_a_goal_without_indicators_has_no_suggestion():
    assert suggested_grade([]) == NOT_ASSESSED


def test_a_goals_indicators_suggest_its_grade_together():
    readings = [
        Reading(value=D("90"), target=D("85"), reference=D("80")),
        Reading(value=D("3.2"), target=D("3.0"), reference=D("3.5"), direction=Direction.LOWER),
    ]
    assert suggested_grade(readings) == PARTLY
