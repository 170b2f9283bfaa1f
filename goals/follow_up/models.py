"""Follow-up: the reporting periods of a year, and each goal's grade and commentary in them."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from goals.chain.models import Goal, ReportingPeriod
from goals.follow_up.grading import Attainment
from goals.follow_up.workflow import ReviewStatus
from orgunits.client_address import ClientAddressHistory
from orgunits.concurrency import Versioned


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
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
        help_text=_("Who last sent it for review; they do not review it themselves."),
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

    history = HistoricalRecords(bases=[ClientAddressHistory])

    class Meta:
        ordering = ["reporting_period__ends", "goal__path"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        constraints = [
            models.UniqueConstraint(
                fields=["goal", "reporting_period"], name="one_follow_up_per_goal_and_period"
            )
        ]
        # The few follow-ups waiting for review: the to-do list's rows, counted in the menu of every
        # page, found without reading the year's goals for them.
        indexes = [models.Index(fields=["status"], name="follow_up_status")]

    def __str__(self) -> str:
        return f"{self.goal} – {self.reporting_period}"

    def get_absolute_url(self) -> str:
        return reverse(
            "goals:follow-up", kwargs={"pk": self.goal_id, "reporting_period": self.reporting_period_id}
        )

    @property
    def is_public(self) -> bool:
        return self.status == ReviewStatus.REVIEWED

    def was_submitted_by(self, user) -> bool:
        """Whether ``user`` sent the follow-up for review. Separation of duties: the person who
        submits a follow-up does not review it, not even staff; someone else who decides the goal
        does. Asked by ``follow_up_review`` and ``follow_up_return`` under the row's lock, and by the
        ``goals.review_follow_up`` rule for the pages and the API."""
        return user is not None and user.is_authenticated and self.submitted_by_id == user.pk

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
