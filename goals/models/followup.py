"""Follow-up: the reporting periods of a year, and each goal's grade and commentary in them."""

from __future__ import annotations

import calendar
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from goals.grading import Attainment
from goals.models.goal import Goal, Period
from orgunits.concurrency import Versioned


class ReportingPeriodKind(models.TextChoices):
    """The three follow-ups of a Swedish municipal year, each from 1 January."""

    FOUR_MONTHS = "t1", _("Four-month report")
    INTERIM = "interim", _("Interim report")
    ANNUAL = "annual", _("Annual report")


# Each kind's last month and its default deadline (month and day, in the same year unless marked
# as the next year): reports are due about three weeks after the period ends, the annual report in
# February.
DEFAULT_REPORTING_PERIODS = {
    ReportingPeriodKind.FOUR_MONTHS: {"end_month": 4, "deadline": (0, 5, 20)},
    ReportingPeriodKind.INTERIM: {"end_month": 8, "deadline": (0, 9, 20)},
    ReportingPeriodKind.ANNUAL: {"end_month": 12, "deadline": (1, 2, 15)},
}


class ReportingPeriodQuerySet(models.QuerySet):
    def add_defaults(self, period: Period) -> list[ReportingPeriod]:
        """The year's three reporting periods with their usual dates, unless it has them already."""
        created = []
        for kind, default in DEFAULT_REPORTING_PERIODS.items():
            end_month, (next_year, month, day) = default["end_month"], default["deadline"]
            reporting_period, was_created = self.get_or_create(
                period=period,
                kind=kind,
                defaults={
                    "starts": date(period.year, 1, 1),
                    "ends": date(period.year, end_month, calendar.monthrange(period.year, end_month)[1]),
                    "deadline": date(period.year + next_year, month, day),
                },
            )
            if was_created:
                created.append(reporting_period)
        return created


class ReportingPeriod(models.Model):
    """A part of a year that goals are followed up for: January–April, January–August, the year."""

    period = models.ForeignKey(
        Period, on_delete=models.CASCADE, related_name="reporting_periods", verbose_name=_("year")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ReportingPeriodKind.choices)
    starts = models.DateField(_("starts"))
    ends = models.DateField(_("ends"))
    deadline = models.DateField(_("deadline"))
    is_open = models.BooleanField(
        _("open for reporting"), default=True, help_text=_("A closed reporting period takes no more reports.")
    )

    objects = ReportingPeriodQuerySet.as_manager()

    class Meta:
        ordering = ["period__year", "ends"]
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        constraints = [
            models.UniqueConstraint(fields=["period", "kind"], name="one_reporting_period_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period.year}"

    def clean(self) -> None:
        if self.starts and self.ends and self.ends < self.starts:
            raise ValidationError({"ends": gettext("The period ends before it starts.")})


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for review")
    REVIEWED = "reviewed", _("Reviewed")
    RETURNED = "returned", _("Sent back")


class FollowUp(Versioned):
    """A goal followed up in a reporting period: the grade a person gives, why, and what comes next.

    Reported by the goal's managers and editors, reviewed by the people who approve the goal. A
    reviewed follow-up is public, as its goal is.
    """

    goal = models.ForeignKey(
        Goal, on_delete=models.CASCADE, related_name="follow_ups", verbose_name=_("goal")
    )
    reporting_period = models.ForeignKey(
        ReportingPeriod,
        on_delete=models.PROTECT,
        related_name="follow_ups",
        verbose_name=_("reporting period"),
    )
    attainment = models.CharField(_("grade"), max_length=20, choices=Attainment.choices)
    commentary = models.TextField(
        _("commentary"), help_text=_("What was done, and why the grade is what it is.")
    )
    next_steps = models.TextField(_("next steps"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT
    )
    return_comment = models.TextField(_("why it was sent back"), blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reported by"),
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["reporting_period__ends", "goal__path"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        constraints = [
            models.UniqueConstraint(
                fields=["goal", "reporting_period"], name="one_follow_up_per_goal_and_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.goal} – {self.reporting_period}"

    def get_absolute_url(self) -> str:
        return reverse(
            "goals:follow-up", kwargs={"pk": self.goal_id, "reporting_period": self.reporting_period_id}
        )

    @property
    def is_public(self) -> bool:
        return self.status == ReviewStatus.REVIEWED

    def clean(self) -> None:
        if (
            self.goal_id
            and self.reporting_period_id
            and self.goal.period_id != self.reporting_period.period_id
        ):
            raise ValidationError(
                gettext("The goal belongs to %(goal_year)d, the reporting period to %(period_year)d.")
                % {"goal_year": self.goal.period.year, "period_year": self.reporting_period.period.year}
            )
