"""How the portal suggests a goal's grade from its indicators, and rolls up the grades of the goals
that break it down. The rules are explained for users in ``docs/follow-up.md``; they never
overwrite the grade a person gives, they are shown beside it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from goals.indicators.models import Direction


class Attainment(models.TextChoices):
    ACHIEVED = "achieved", _("Achieved")
    PARTLY = "partly", _("Partly achieved")
    NOT_ACHIEVED = "not_achieved", _("Not achieved")
    NOT_ASSESSED = "not_assessed", _("Not assessed")


@dataclass(frozen=True)
class Reading:
    """One indicator in one reporting period: its value, the target for the year, and what the value
    is compared with to see whether it moved the right way (the previous year's value for the same
    reporting period, else the indicator's baseline)."""

    value: Decimal | None
    target: Decimal | None
    reference: Decimal | None
    direction: str = Direction.HIGHER

    def better(self, value: Decimal, than: Decimal) -> bool:
        return value > than if self.direction == Direction.HIGHER else value < than

    def meets(self, value: Decimal, target: Decimal) -> bool:
        return value == target or self.better(value, target)


def indicator_grade(reading: Reading) -> Attainment:
    """Achieved when the value meets the year's target; partly achieved when it does not but is
    better than the reference; not achieved otherwise. Without a target or a value: not assessed."""
    if reading.value is None or reading.target is None:
        return Attainment.NOT_ASSESSED
    if reading.meets(reading.value, reading.target):
        return Attainment.ACHIEVED
    if reading.reference is not None and reading.better(reading.value, reading.reference):
        return Attainment.PARTLY
    return Attainment.NOT_ACHIEVED


def combined_grade(grades: Iterable[str]) -> Attainment:
    """One grade for many: the grades that say something (not "not assessed") all achieved, or all
    not achieved, give that grade; any mix gives partly achieved; none gives not assessed."""
    assessed = {grade for grade in grades if grade != Attainment.NOT_ASSESSED}
    if not assessed:
        return Attainment.NOT_ASSESSED
    if len(assessed) == 1:
        return Attainment(assessed.pop())
    return Attainment.PARTLY


def suggested_grade(readings: Iterable[Reading]) -> Attainment:
    """A goal's suggested grade: its indicators' grades combined."""
    return combined_grade(indicator_grade(reading) for reading in readings)
