"""Storing measurements in bulk: the one place that says when a value is new, changed or unchanged,
how it is rounded, and what is recorded with it (who, when, which import, a version in its history).

Both imports store through it: a file's rows (``goals.indicators.file_import``) and Kolada's values
(``goals.indicators.kolada``). Values are compared and written in batches of ``BATCH_SIZE``: a batch's stored
values are read in one query and its new and changed values written in bulk, with their history, so
the queries and the memory grow with the batch, not with the import.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from goals.chain.models import ReportingPeriod
from goals.indicators.models import Gender, Indicator, Measurement, MeasurementImport

# Values compared and written together. Read when called, so a test may make it small.
BATCH_SIZE = 2000

_VALUE_FIELD = Measurement._meta.get_field("value")
# A Measurement's value is a DecimalField(max_digits=14, decimal_places=3).
DECIMAL_PLACES = Decimal(1).scaleb(-_VALUE_FIELD.decimal_places)
LARGEST_VALUE = Decimal(10) ** (_VALUE_FIELD.max_digits - _VALUE_FIELD.decimal_places)

# What a changed value rewrites; the indicator, year, reporting period and gender name the value.
_WRITTEN = ["value", "comment", "source", "entered_by", "entered_at", "batch"]


class Action:
    NEW = "new"
    CHANGED = "changed"
    UNCHANGED = "unchanged"


def and_more(count: int) -> str:
    """The line under a list of an import's problems or changes cut short: how many more there are."""
    return gettext("… and %(more)s more.") % {"more": count}


def measurement_rounded(number: Decimal) -> Decimal:
    """``number`` as a measurement holds it: rounded half up to three decimals. Check that it is
    finite and smaller than ``LARGEST_VALUE`` first; a larger one cannot be stored."""
    return number.quantize(DECIMAL_PLACES, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class MeasurementValue:
    """A value to store: the indicator's value in a year, or in a reporting period of it, for a gender."""

    indicator: Indicator
    year: int
    value: Decimal
    reporting_period: ReportingPeriod | None = None
    gender: str = Gender.TOTAL
    # None leaves the comment already stored as it is.
    comment: str | None = None

    @property
    def key(self) -> tuple:
        """What names one stored value, as ``_key_of`` a measurement."""
        return (self.indicator.pk, self.year, getattr(self.reporting_period, "pk", None), self.gender)


@dataclass(frozen=True)
class Compared:
    """A value beside the one stored for it, and what storing it would do."""

    value: MeasurementValue
    existing: Measurement | None
    action: str


def measurements_compare(*, values: Sequence[MeasurementValue], lock: bool = False) -> list[Compared]:
    """Each of ``values`` beside the value stored for its indicator, year, reporting period and
    gender: new when there is none; changed when the numbers differ, or when the value has a comment
    (not None) that differs from the stored one; otherwise unchanged.

    One query. With ``lock`` (inside a transaction) the stored values read are locked until it ends,
    so that what was compared is what is written.
    """
    stored = _stored([value.key for value in values], lock=lock)
    compared = []
    for value in values:
        existing = stored.get(value.key)
        if existing is None:
            action = Action.NEW
        elif existing.value != value.value or (
            value.comment is not None and existing.comment != value.comment
        ):
            action = Action.CHANGED
        else:
            action = Action.UNCHANGED
        compared.append(Compared(value=value, existing=existing, action=action))
    return compared


def measurements_store(*, compared: Iterable[Compared], record: MeasurementImport, by) -> None:
    """Write the new and changed values of ``compared`` and leave the unchanged ones alone.

    A written value takes its indicator's source, is entered by ``by`` now, belongs to the import
    ``record`` and gets a version in its history by ``by``, as a value saved by hand does. A new
    value's comment is its own or empty; a changed value keeps its comment when its own is None.
    At most two bulk writes, each with its history.
    """
    now = timezone.now()
    added, changed = [], []
    for each in compared:
        if each.action == Action.UNCHANGED:
            continue
        value = each.value
        measurement = each.existing or Measurement(
            indicator=value.indicator,
            year=value.year,
            reporting_period=value.reporting_period,
            gender=value.gender,
        )
        measurement.value = value.value
        if value.comment is not None:
            measurement.comment = value.comment
        measurement.source = value.indicator.source
        measurement.entered_by = by
        measurement.entered_at = now  # bulk_update skips auto_now
        measurement.batch = record
        (added if each.existing is None else changed).append(measurement)
    if added:
        bulk_create_with_history(added, Measurement, default_user=by, default_date=now)
    if changed:
        bulk_update_with_history(changed, Measurement, _WRITTEN, default_user=by, default_date=now)


def measurements_upsert(*, values: Iterable[MeasurementValue], record: MeasurementImport, by) -> Counter:
    """Store ``values`` batch by batch, as ``measurements_compare`` (locked) and ``measurements_store``
    say, and count them by action. Call it inside a transaction.

    A value named twice in ``values`` is stored twice in turn: the later is compared with the
    earlier as stored (a batch ends before a value it already names). Per batch, one query to
    compare and at most two bulk writes with their history, whatever the number of values.
    """
    counts = Counter()
    for batch in _batches(values):
        compared = measurements_compare(values=batch, lock=True)
        measurements_store(compared=compared, record=record, by=by)
        counts.update(each.action for each in compared)
    return counts


def _batches(values: Iterable[MeasurementValue]) -> Iterator[list[MeasurementValue]]:
    batch, keys = [], set()
    for value in values:
        if len(batch) >= BATCH_SIZE or value.key in keys:
            yield batch
            batch, keys = [], set()
        batch.append(value)
        keys.add(value.key)
    if batch:
        yield batch


def _key_of(measurement: Measurement) -> tuple:
    return (measurement.indicator_id, measurement.year, measurement.reporting_period_id, measurement.gender)


def _stored(keys: Sequence[tuple], *, lock: bool) -> dict[tuple, Measurement]:
    """The stored values of ``keys``, in one query: each year's values of the indicators asked for
    in that year (a file's or Kolada's batch names few years), then only those asked for kept."""
    if not keys:
        return {}
    wanted = set(keys)
    indicators_by_year = defaultdict(set)
    for indicator, year, _reporting_period, _gender in wanted:
        indicators_by_year[year].add(indicator)
    condition = Q()
    for year, indicators in indicators_by_year.items():
        condition |= Q(year=year, indicator__in=indicators)
    # No ordering: the model's joins the indicator and the reporting period, which need not be read or locked.
    stored = Measurement.objects.filter(condition).order_by()
    if lock:
        stored = stored.select_for_update()
    return {key: measurement for measurement in stored if (key := _key_of(measurement)) in wanted}
