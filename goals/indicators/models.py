"""Indicators: what measures a goal, the targets set for it year by year, and the values measured."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from goals.chain.models import Goal, ReportingPeriod
from orgunits.addresses import address_around
from orgunits.client_address import ClientAddressHistory
from orgunits.concurrency import Versioned
from orgunits.models import SUBTREE_ROLES
from orgunits.rules import memberships_of
from orgunits.trees import subtree_of

YEAR_VALIDATORS = [MinValueValidator(2000), MaxValueValidator(2100)]


class Direction(models.TextChoices):
    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")


class IndicatorSource(models.TextChoices):
    MANUAL = "manual", _("Entered by hand")
    KOLADA = "kolada", _("Kolada")
    SURVEY = "survey", _("Survey")


class Gender(models.TextChoices):
    """Kolada's split of a value: the total, women and men."""

    TOTAL = "T", _("Total")
    WOMEN = "K", _("Women")
    MEN = "M", _("Men")


class IndicatorQuerySet(models.QuerySet):
    def writable_by(self, user) -> IndicatorQuerySet:
        """The indicators whose values ``user`` may write: ``goals.write_indicator_values`` (see
        ``goals.rules``) for any number of indicators, in the one query that reads them."""
        condition = _values_writable_by(user)
        if isinstance(condition, models.Value):  # every indicator or none: no need to ask
            return self.all() if condition.value else self.none()
        return self.filter(condition)

    def with_writable(self, user) -> IndicatorQuerySet:
        """Each indicator with ``writable``: whether ``user`` may write its values (as
        ``writable_by``), read in the same query as the indicator."""
        return self.annotate(writable=_values_writable_by(user))


def _values_writable_by(user) -> models.Expression:
    """Whether ``user`` may write an indicator's values, as a condition on the indicator: staff may
    write every indicator's; a manager or an editor of a unit, the values of every indicator that
    measures a goal of that unit or of a unit under it; nobody else any.

    A user's memberships are read once (``orgunits.rules.memberships_of``); the condition is one
    ``EXISTS`` over the indicator's goals, their units' paths compared with the memberships' prefixes.
    """
    if user is None or not user.is_authenticated:
        return models.Value(False)
    if user.is_staff:
        return models.Value(True)
    units = sorted(
        (membership.org_unit for membership in memberships_of(user) if membership.role in SUBTREE_ROLES),
        key=lambda unit: unit.path,
    )
    # A unit under another of the user's units adds nothing: its goals are in the subtree already.
    tops = [
        unit for index, unit in enumerate(units) if not any(unit.is_placed_under(u) for u in units[:index])
    ]
    if not tops:
        return models.Value(False)
    in_subtree = models.Q()
    for unit in tops:
        in_subtree |= subtree_of(unit, "org_unit__")
    return models.Exists(Goal.objects.filter(in_subtree, indicators=models.OuterRef("pk")))


class Indicator(Versioned, models.Model):
    """A measure of whether goals are reached: a baseline, a target per year and the values measured.

    One indicator may measure goals of several years (and of several units), so that its trend is
    one line across the years.
    """

    code = models.CharField(
        _("code"),
        max_length=30,
        unique=True,
        help_text=_("A short identifier that import files use, for example UF-LAS-01."),
    )
    name = models.CharField(_("name"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    unit_of_measure = models.CharField(
        _("unit of measure"), max_length=30, blank=True, help_text=_("For example %, kr or number of pupils.")
    )
    direction = models.CharField(
        _("direction"), max_length=10, choices=Direction.choices, default=Direction.HIGHER
    )
    decimals = models.PositiveSmallIntegerField(
        _("decimals"), default=0, validators=[MaxValueValidator(3)], help_text=_("How many decimals to show.")
    )
    source = models.CharField(
        _("source"), max_length=10, choices=IndicatorSource.choices, default=IndicatorSource.MANUAL
    )
    kolada_kpi = models.CharField(
        _("Kolada key figure"),
        max_length=10,
        blank=True,
        validators=[RegexValidator(r"^[NU]\d{5}$", _("A Kolada key figure id is N or U and five digits."))],
        help_text=_("For example N00914; needed when the source is Kolada."),
    )
    goals = models.ManyToManyField(Goal, blank=True, related_name="indicators", verbose_name=_("goals"))
    baseline_year = models.PositiveSmallIntegerField(
        _("baseline year"), null=True, blank=True, validators=YEAR_VALIDATORS
    )
    baseline_value = models.DecimalField(
        _("baseline value"), max_digits=14, decimal_places=3, null=True, blank=True
    )

    history = HistoricalRecords(bases=[ClientAddressHistory])

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        # The indicator list's pages, in the order of the names, without sorting them all.
        indexes = [models.Index(fields=["name", "id"], name="indicator_name")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        if self.pk is None:
            return reverse("goals:indicator", kwargs={"pk": self.pk})  # NoReverseMatch, as ever
        start, end = address_around("goals:indicator", "pk")  # the list shows fifty
        return f"{start}{self.pk}{end}"

    def clean(self) -> None:
        problems = {}
        if self.source == IndicatorSource.KOLADA and not self.kolada_kpi:
            problems["kolada_kpi"] = gettext("An indicator from Kolada needs its key figure id.")
        if (self.baseline_year is None) != (self.baseline_value is None):
            problems["baseline_value"] = gettext("A baseline needs both its year and its value.")
        if problems:
            raise ValidationError(problems)


class Target(Versioned, models.Model):
    """The value an indicator should reach in a year."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="targets", verbose_name=_("indicator")
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    value = models.DecimalField(_("target value"), max_digits=14, decimal_places=3)

    history = HistoricalRecords(bases=[ClientAddressHistory])

    class Meta:
        ordering = ["indicator", "year"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [models.UniqueConstraint(fields=["indicator", "year"], name="one_target_per_year")]

    def __str__(self) -> str:
        return f"{self.indicator} {self.year}: {self.value}"


class MeasurementImport(models.Model):
    """One import of measurements, from Kolada or from a file: when, what, by whom, and how it went."""

    class Kind(models.TextChoices):
        KOLADA = "kolada", _("Kolada")
        FILE = "file", _("File")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    description = models.CharField(
        _("what was imported"),
        max_length=300,
        help_text=_("The key figures, municipality and years, or the file."),
    )
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("imported by"),
    )
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    created = models.PositiveIntegerField(_("new values"), default=0)
    updated = models.PositiveIntegerField(_("changed values"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged values"), default=0)
    skipped = models.PositiveIntegerField(_("skipped rows"), default=0)
    notes = models.TextField(_("notes"), blank=True, help_text=_("Why rows were skipped, one line each."))

    class Meta:
        ordering = ["-imported_at", "-pk"]
        verbose_name = _("measurement import")
        verbose_name_plural = _("measurement imports")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.imported_at:%Y-%m-%d %H:%M}: {self.description}"


class Measurement(models.Model):
    """A value an indicator had in a year, or in one reporting period of it, in total or for women
    or men. One value per indicator, period and gender."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="measurements", verbose_name=_("indicator")
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    reporting_period = models.ForeignKey(
        ReportingPeriod,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="measurements",
        verbose_name=_("reporting period"),
        help_text=_("Empty for a value of the whole year."),
    )
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, default=Gender.TOTAL)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=3)
    comment = models.TextField(_("comment"), blank=True)
    source = models.CharField(_("source"), max_length=10, choices=IndicatorSource.choices)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    entered_at = models.DateTimeField(_("entered at"), auto_now=True)
    batch = models.ForeignKey(
        MeasurementImport,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="measurements",
        verbose_name=_("import"),
    )

    history = HistoricalRecords(bases=[ClientAddressHistory])

    class Meta:
        ordering = ["indicator", "year", "reporting_period", "gender"]
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        # An indicator's values in total, the latest year first (``with_latest_value``): its latest
        # is among the first few read (a year's own value and its reports', sorted on the way), where
        # the indicator index read and sorted all its values, for each indicator of the list, three
        # times. (Not ordered by reporting period too: SQLite has no NULLS FIRST in an index.)
        indexes = [
            models.Index(
                "indicator",
                models.F("year").desc(),
                condition=models.Q(gender=Gender.TOTAL),
                name="measurement_latest_total",
            )
        ]
        # A unique constraint treats every empty reporting period as different, so the year's own
        # values and the reporting periods' values each get a constraint of their own.
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year", "gender"],
                condition=models.Q(reporting_period__isnull=True),
                name="one_value_per_indicator_year_and_gender",
            ),
            models.UniqueConstraint(
                fields=["indicator", "reporting_period", "gender"],
                condition=models.Q(reporting_period__isnull=False),
                name="one_value_per_indicator_reporting_period_and_gender",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.reporting_period or self.year} {self.gender}: {self.value}"

    def clean(self) -> None:
        if self.reporting_period_id and self.reporting_period.period.year != self.year:
            raise ValidationError(
                {
                    "reporting_period": gettext("%(period)s is not in %(year)d.")
                    % {"period": self.reporting_period, "year": self.year}
                }
            )
