"""Measurements imported from a file, all or nothing: read, planned against the database, written.

A file (CSV or an Excel workbook) is read as a stream of rows of text (``MeasurementRow``), which
are JSON-serialisable, so a web preview can keep them between the preview and the confirmation. The
rows are planned against the database (``measurements_plan``) in batches: each row will add a value,
change one or leave one as it is, or it is bad and says why. A plan counts every row and keeps the
first rows, changes and problems to show, not every row, so a file of 100 000 rows is planned in
bounded memory. A row is bad, too, when whoever imports may not write its indicator's values
(``goals.write_indicator_values``). Only a plan without a bad row is imported
(``measurements_import``): in one transaction the rows are read and planned again, batch by batch,
and each batch written, so a value changed by someone else since the preview is counted as it
really is, and a row gone bad since undoes the batches already written. Comparing and writing are
``goals.indicators.upsert``'s, which Kolada's import shares.
"""

from __future__ import annotations

import csv
import io
import os
import zipfile
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import astuple, dataclass, field
from decimal import Decimal, InvalidOperation
from itertools import chain
from typing import BinaryIO

import openpyxl
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Value
from django.utils.translation import gettext

from goals.chain.models import ReportingPeriod, ReportingPeriodKind
from goals.indicators import upsert
from goals.indicators.models import Gender, Indicator, Measurement, MeasurementImport
from goals.indicators.upsert import (
    LARGEST_VALUE,
    Action,
    MeasurementValue,
    and_more,
    measurement_rounded,
    measurements_compare,
    measurements_store,
)

MAX_FILE_BYTES = 5 * 1024 * 1024
# The rows of one file; a file is read and planned as a stream, so this bounds time, not memory.
MAX_FILE_ROWS = 100_000
# The rows of one list sent at once (the API's bulk request), all of which a plan of it keeps.
MAX_ROWS = 10_000
# An .xlsx file is a zip archive, so what it unpacks to is bounded too, not only its own size.
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
FIRST_YEAR, LAST_YEAR = 2000, 2100  # as the models' year validators
# The rows, changes and problems a plan of a file keeps to show; it counts the rest.
SHOWN = 1000

# Each column's names in a header row, in English and in Swedish, compared after ``_header``.
COLUMNS = {
    "indicator": ("indicator", "indikator"),
    "year": ("year", "år"),
    "reporting_period": ("reporting period", "uppföljningsperiod"),
    "gender": ("gender", "kön"),
    "value": ("value", "värde"),
    "comment": ("comment", "kommentar"),
}
REQUIRED_COLUMNS = ("indicator", "year", "value")

# What people write for a reporting period; an empty cell is a value of the whole year.
REPORTING_PERIOD_NAMES = {
    "t1": ReportingPeriodKind.FOUR_MONTHS,
    "tertial 1": ReportingPeriodKind.FOUR_MONTHS,
    "tertial1": ReportingPeriodKind.FOUR_MONTHS,
    "four-month report": ReportingPeriodKind.FOUR_MONTHS,
    "interim": ReportingPeriodKind.INTERIM,
    "interim report": ReportingPeriodKind.INTERIM,
    "delår": ReportingPeriodKind.INTERIM,
    "delårsrapport": ReportingPeriodKind.INTERIM,
    "annual": ReportingPeriodKind.ANNUAL,
    "annual report": ReportingPeriodKind.ANNUAL,
    "helår": ReportingPeriodKind.ANNUAL,
    "årsredovisning": ReportingPeriodKind.ANNUAL,
}

# The spaces that people and spreadsheets put between thousands: space, no-break and thin spaces.
THOUSANDS_SEPARATORS = str.maketrans("", "", " \u00a0\u2009\u202f")


@dataclass(frozen=True)
class MeasurementRow:
    """One row of a file as the text of its cells, before it is checked."""

    line: int
    indicator: str
    year: str
    value: str
    reporting_period: str = ""
    gender: str = ""
    # None when the file has no comment column: then the comments already entered stay as they are.
    comment: str | None = None

    def as_json(self) -> list:
        """The row as a list, the shortest JSON to keep in a session; ``MeasurementRow(*row)`` again."""
        return list(astuple(self))


@dataclass(frozen=True)
class PlannedRow:
    """A row checked against the database: what it will do, or why it cannot be imported."""

    row: MeasurementRow
    problems: tuple[str, ...] = ()
    # the importer may not write the values of the row's indicator (one of its problems)
    refused: bool = False
    action: str = ""
    indicator: Indicator | None = None
    year: int | None = None
    reporting_period: ReportingPeriod | None = None
    gender: str = Gender.TOTAL
    value: Decimal | None = None
    existing: Measurement | None = None

    @property
    def line(self) -> int:
        return self.row.line

    @property
    def before(self) -> Decimal | None:
        return _plain(self.existing.value) if self.existing is not None else None

    @property
    def after(self) -> Decimal | None:
        return _plain(self.value) if self.value is not None else None

    @property
    def gender_label(self) -> str:
        return Gender(self.gender).label


@dataclass(frozen=True)
class MeasurementPlan:
    """What importing rows would do: every row counted, the first ones kept to show, and what is
    wrong with the file as a whole.

    ``rows``, ``changes`` and ``bad_rows`` hold at most the number of rows, changes and problems the
    plan was asked to keep (all of them for a list of rows; ``SHOWN`` for a file), in the file's
    order; the counts are of every row. ``source`` is the rows again, for the import.
    """

    rows: tuple[PlannedRow, ...] = ()
    problems: tuple[str, ...] = ()
    # (line, reason) for each problem of each bad row
    bad_rows: list[tuple[int, str]] = field(default_factory=list)
    # the rows that add or change a value, for the preview
    changes: list[PlannedRow] = field(default_factory=list)
    # the codes of the indicators whose values the importer may not write: every one, in the rows' order
    refused: tuple[str, ...] = ()
    counts: dict[str, int] = field(default_factory=dict)  # by action
    row_count: int = 0
    problem_count: int = 0
    bad_line_count: int = 0
    has_comments: bool = False
    source: Iterable[MeasurementRow] | None = field(default=None, compare=False, repr=False)

    @property
    def is_valid(self) -> bool:
        return self.row_count > 0 and not self.problems and not self.problem_count

    def count(self, action: str) -> int:
        return self.counts.get(action, 0)

    @property
    def change_count(self) -> int:
        return self.count(Action.NEW) + self.count(Action.CHANGED)

    @property
    def more_changes(self) -> int:
        """The changes counted but not kept in ``changes``."""
        return self.change_count - len(self.changes)

    @property
    def more_bad_rows(self) -> int:
        """The problems counted but not kept in ``bad_rows``."""
        return self.problem_count - len(self.bad_rows)

    def messages(self) -> list[str]:
        """The file's problems, then each bad row's, as sentences that name the line; then how many
        more there are, when the plan did not keep them all."""
        messages = list(self.problems) + [
            gettext("Line %(line)d: %(problem)s") % {"line": line, "problem": problem}
            for line, problem in self.bad_rows
        ]
        if self.more_bad_rows:
            messages.append(and_more(self.more_bad_rows))
        return messages


class MeasurementFile:
    """The rows of a file (``measurement_file_read``), read from its start each time they are
    iterated, so that a plan of them can be imported. The file must stay open until then."""

    def __init__(self, file: BinaryIO):
        self.file = file

    def __iter__(self) -> Iterator[MeasurementRow]:
        return measurement_file_read(file=self.file)


def measurement_file_read(*, file: BinaryIO) -> Iterator[MeasurementRow]:
    """The rows of a CSV file or of the first sheet of an Excel workbook (.xlsx), as text, read from
    the file's start as a stream: one row at a time, never the whole file.

    The file is told by its content, not its name. A CSV file is UTF-8, with or without a byte
    order mark, its cells separated by semicolons, commas or tabs (whichever the header row has
    most of). The first row that is not empty is the header; it names the columns in English or
    Swedish, in any order, and must have the indicator, the year and the value; other columns are
    ignored. Empty rows are skipped; each row keeps the line (the sheet's row) it was on.

    Refused (``ValidationError``), before any row, when the file is larger than 5 MB, is neither
    CSV nor .xlsx, cannot be opened, lacks a required column or names a column twice; and when the
    reading reaches a line that cannot be read (or is not UTF-8 text), a row past the 100 000th,
    or the end without a row under the header.
    """
    size = file.seek(0, os.SEEK_END)
    file.seek(0)
    if size > MAX_FILE_BYTES:
        raise ValidationError(
            gettext("The file is larger than %(size)d MB.") % {"size": MAX_FILE_BYTES // 2**20},
            code="too_large",
        )
    start = file.read(4096)
    file.seek(0)
    if start.startswith(b"PK\x03\x04"):
        table = _xlsx_table(file)
    elif b"\x00" in start:
        raise _not_text()
    else:
        table = _csv_lines(file)
    return _rows_of(table)


def measurements_plan(*, rows: Iterable[MeasurementRow], by, shown: int | None = None) -> MeasurementPlan:
    """What importing ``rows`` as ``by`` would do: each row adds a value, changes one or leaves one
    as it is, or is bad, with every reason why.

    A row names an indicator by its code, a year from 2000 to 2100, a value (a decimal comma or
    point, spaces between thousands, rounded to three decimals), optionally a reporting period of
    that year (t1, interim, annual, or their Swedish names; empty for a value of the whole year) and
    a gender (T, K or M; empty for T). A row is bad when its indicator is unknown, its year or value
    is not a number, its year has no such reporting period, its gender is unknown, an earlier line
    of the file already has a value for the same indicator, year, reporting period and gender, or
    ``by`` may not write the indicator's values (``goals.write_indicator_values``; the plan lists
    those indicators in ``refused``). ``by`` is None only for the server's own command line
    (``manage.py import_measurements``), which, like ``manage.py import_kolada``, writes any
    indicator's values: whoever runs it runs the portal.
    A value changes when the number differs, or when the file has a comment column and the comment
    differs (``goals.indicators.upsert``).

    ``rows`` is read again to import the plan, so it is a list or starts over each time it is
    iterated (``MeasurementFile``); when reading it fails, the plan has the reason as its problem.
    The plan keeps the first ``shown`` rows, changes and problems, all of them when None, and counts
    every row. The rows are planned ``BATCH_SIZE`` at a time, in three queries a batch (the
    indicators with whether ``by`` may write them, the reporting periods of the years, the values
    already there), after one for ``by``'s memberships when they have not been read yet.
    """
    try:
        return _plan(rows, by=by, lock=False, shown=shown)
    except ValidationError as error:
        return MeasurementPlan(problems=tuple(error.messages))


def measurements_plan_file(*, file: BinaryIO, by) -> MeasurementPlan:
    """The plan of a file's rows imported by ``by`` (``measurements_plan``), keeping the first
    ``SHOWN`` rows, changes and problems; when the file cannot be read, its problems."""
    return measurements_plan(rows=MeasurementFile(file), by=by, shown=SHOWN)


def measurements_import(*, plan: MeasurementPlan, by, file_name: str) -> MeasurementImport:
    """Write every row of ``plan`` at once, as an import of the file ``file_name`` by ``by``.

    All or nothing: a plan with a bad row, or with no rows, is refused (``ValidationError``) and
    nothing is written. In one transaction, the rows are read and planned again batch by batch,
    with the values they change locked, and each batch is written as it is planned, so the counts
    are those of the database at that moment; a row that has gone bad since (an indicator deleted,
    or no longer ``by``'s to write) refuses the whole import, undoing the batches written before it;
    ``by`` is asked as in ``measurements_plan``. New and changed values are entered by ``by``, with
    their indicator's source, and belong to the import; unchanged values are left as they are
    (``goals.indicators.upsert``). The import is recorded (``MeasurementImport``
    of kind file) with its counts, also when nothing changed, so importing the same file again
    changes nothing but is recorded.
    """
    _refuse_unless_valid(plan)
    try:
        with transaction.atomic():
            record = MeasurementImport.objects.create(
                kind=MeasurementImport.Kind.FILE,
                description=file_name[: MeasurementImport._meta.get_field("description").max_length],
                imported_by=by,
            )

            def write(compared):
                measurements_store(compared=compared, record=record, by=by)

            done = _plan(plan.source, by=by, lock=True, shown=SHOWN, write=write)
            _refuse_unless_valid(done)
            record.created = done.count(Action.NEW)
            record.updated = done.count(Action.CHANGED)
            record.unchanged = done.count(Action.UNCHANGED)
            record.save(update_fields=["created", "updated", "unchanged"])
            return record
    except IntegrityError as error:
        # Another import or person added one of these values after the plan was made.
        raise ValidationError(
            gettext(
                "Some of these values were entered by someone else meanwhile. Nothing was imported; try again."
            ),
            code="conflict",
        ) from error


def _refuse_unless_valid(plan: MeasurementPlan) -> None:
    if not plan.row_count and not plan.problems:
        raise ValidationError(gettext("The file has no measurements under its header row."), code="empty")
    if not plan.is_valid or plan.source is None:
        raise ValidationError(plan.messages(), code="bad_rows")


def _plan(
    rows: Iterable[MeasurementRow], *, by, lock: bool, shown: int | None, write=None
) -> MeasurementPlan:
    """The plan of ``rows``, batch by batch; each batch is handed to ``write`` (its values compared,
    ``upsert.Compared``) while no row has been bad."""
    tally = _Tally(shown)
    first_lines = _FirstLines()
    for batch in _chunks(rows, upsert.BATCH_SIZE):
        planned, compared = _plan_batch(batch, first_lines, by=by, lock=lock)
        tally.add(planned)
        if write is not None and not tally.problem_count:
            write(compared)
    return tally.plan(source=rows)


def _chunks(rows: Iterable[MeasurementRow], size: int) -> Iterator[list[MeasurementRow]]:
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _plan_batch(rows: list[MeasurementRow], first_lines: _FirstLines, *, by, lock: bool):
    """The batch's rows planned, and the good ones' values compared with the database (three queries)."""
    parsed = [_Parsed.of(row) for row in rows]
    named = Indicator.objects.filter(code__in={each.code for each in parsed if each.code})
    # None: the server's own command line, which writes any indicator's values
    named = named.annotate(writable=Value(True)) if by is None else named.with_writable(by)
    indicators = {indicator.code: indicator for indicator in named}
    years = {each.year for each in parsed if each.year is not None}
    reporting_periods = {
        (reporting_period.period.year, reporting_period.kind): reporting_period
        for reporting_period in ReportingPeriod.objects.filter(period__year__in=years).select_related(
            "period"
        )
    }
    checked = []
    for each in parsed:
        problems = dict(each.problems)
        indicator = indicators.get(each.code)
        if each.code and indicator is None:
            problems["indicator"] = gettext("No indicator has the code “%(code)s”.") % {"code": each.code}
        refused = indicator is not None and not indicator.writable
        if refused:
            problems["indicator"] = gettext(
                "You may not enter values for “%(code)s” (%(name)s): only those responsible for "
                "the goals it measures may."
            ) % {"code": indicator.code, "name": indicator.name}
        reporting_period = None
        if each.year is not None and each.kind is not None:
            reporting_period = reporting_periods.get((each.year, each.kind))
            if reporting_period is None:
                problems["reporting_period"] = _no_such_reporting_period(each.row.reporting_period, each.year)
        if each.key is not None and (earlier := first_lines.earlier(each.key, each.row.line)) is not None:
            problems["duplicate"] = gettext(
                "Line %(line)d already has a value for this indicator, year, reporting period and gender."
            ) % {"line": earlier}
        # The reasons in the order of the columns, whichever was found first.
        problems = tuple(problems[part] for part in (*COLUMNS, "duplicate") if part in problems)
        value = None
        if not problems:
            value = MeasurementValue(
                indicator=indicator,
                year=each.year,
                value=each.value,
                reporting_period=reporting_period,
                gender=each.gender,
                comment=each.row.comment,
            )
        checked.append((each.row, problems, refused, value))

    compared = measurements_compare(
        values=[value for _row, _problems, _refused, value in checked if value], lock=lock
    )
    by_value = iter(compared)
    planned = []
    for row, problems, refused, value in checked:
        if problems:
            planned.append(PlannedRow(row=row, problems=problems, refused=refused))
            continue
        each = next(by_value)
        planned.append(
            PlannedRow(
                row=row,
                action=each.action,
                indicator=value.indicator,
                year=value.year,
                reporting_period=value.reporting_period,
                gender=value.gender,
                value=value.value,
                existing=each.existing,
            )
        )
    return planned, compared


class _Tally:
    """A plan being counted, keeping the first ``shown`` rows, changes and problems (None: all)."""

    def __init__(self, shown: int | None):
        self.shown = shown
        self.rows: list[PlannedRow] = []
        self.changes: list[PlannedRow] = []
        self.bad_rows: list[tuple[int, str]] = []
        self.counts = Counter()
        self.refused: dict[str, None] = {}  # the codes, in the order first refused
        self.row_count = self.problem_count = self.bad_line_count = 0
        self.has_comments = False

    def _keeps(self, kept: list) -> bool:
        return self.shown is None or len(kept) < self.shown

    def add(self, planned_rows: list[PlannedRow]) -> None:
        for planned in planned_rows:
            self.row_count += 1
            self.has_comments = self.has_comments or planned.row.comment is not None
            if self._keeps(self.rows):
                self.rows.append(planned)
            if planned.refused:
                self.refused.setdefault(planned.row.indicator.strip())
            if planned.problems:
                self.bad_line_count += 1
                for problem in planned.problems:
                    self.problem_count += 1
                    if self._keeps(self.bad_rows):
                        self.bad_rows.append((planned.line, problem))
                continue
            self.counts[planned.action] += 1
            if planned.action != Action.UNCHANGED and self._keeps(self.changes):
                self.changes.append(planned)

    def plan(self, *, source) -> MeasurementPlan:
        return MeasurementPlan(
            rows=tuple(self.rows),
            bad_rows=self.bad_rows,
            changes=self.changes,
            refused=tuple(self.refused),
            counts=dict(self.counts),
            row_count=self.row_count,
            problem_count=self.problem_count,
            bad_line_count=self.bad_line_count,
            has_comments=self.has_comments,
            source=source,
        )


_KINDS = (None, *ReportingPeriodKind.values)
_GENDERS = tuple(Gender.values)


class _FirstLines:
    """The line on which each value (indicator, year, reporting period, gender) was first named, for
    the rule that a file names a value once. The one thing a plan keeps of every row: a number for
    its value and its line, some dozens of bytes, where the row itself is not kept."""

    def __init__(self):
        self.codes: dict[str, int] = {}
        self.lines: dict[int, int] = {}

    def earlier(self, key: tuple, line: int) -> int | None:
        """The line that named ``key`` before ``line``, or None when this is the first."""
        code, year, kind, gender = key
        number = self.codes.setdefault(code, len(self.codes))
        packed = ((number * 128 + year - FIRST_YEAR) * len(_KINDS) + _KINDS.index(kind)) * len(
            _GENDERS
        ) + _GENDERS.index(gender)
        first = self.lines.setdefault(packed, line)
        return None if first == line else first


@dataclass(frozen=True)
class _Parsed:
    """A row's cells read as the values they stand for, with what could not be read."""

    row: MeasurementRow
    code: str
    year: int | None
    kind: str | None  # the reporting period's kind; None for the whole year or when unreadable
    gender: str | None
    value: Decimal | None
    problems: dict[str, str]  # by column
    key: tuple | None  # what makes two rows the same value; None when a part of it is unreadable

    @classmethod
    def of(cls, row: MeasurementRow) -> _Parsed:
        problems = {}
        code = row.indicator.strip()
        if not code:
            problems["indicator"] = gettext("The row names no indicator.")
        year = _year(row.year)
        if not row.year.strip():
            problems["year"] = gettext("The row has no year.")
        elif year is None:
            problems["year"] = gettext("The year “%(year)s” is not a number.") % {"year": row.year}
        elif not FIRST_YEAR <= year <= LAST_YEAR:
            problems["year"] = gettext("The year %(year)d is not between %(first)d and %(last)d.") % {
                "year": year,
                "first": FIRST_YEAR,
                "last": LAST_YEAR,
            }
            year = None
        period_name = _words(row.reporting_period)
        kind = REPORTING_PERIOD_NAMES.get(period_name)
        period_readable = not period_name or kind is not None
        if not period_readable and year is not None:
            problems["reporting_period"] = _no_such_reporting_period(row.reporting_period, year)
        elif not period_readable:
            problems["reporting_period"] = gettext("There is no reporting period “%(period)s”.") % {
                "period": row.reporting_period
            }
        gender = row.gender.strip().upper() or Gender.TOTAL
        if gender not in Gender.values:
            problems["gender"] = gettext("Unknown gender “%(gender)s”: use T, K or M.") % {
                "gender": row.gender
            }
            gender = None
        value = _decimal(row.value)
        if not row.value.strip():
            problems["value"] = gettext("The row has no value.")
        elif value is None:
            problems["value"] = gettext("The value “%(value)s” is not a number.") % {"value": row.value}
        elif abs(value) >= LARGEST_VALUE:
            problems["value"] = gettext("The value %(value)s is too large.") % {"value": row.value}
            value = None
        readable = code and year is not None and period_readable and gender is not None
        return cls(
            row=row,
            code=code,
            year=year,
            kind=kind,
            gender=gender,
            value=value,
            problems=problems,
            key=(code, year, kind, gender) if readable else None,
        )


def _no_such_reporting_period(name: str, year: int) -> str:
    return gettext("%(year)d has no reporting period “%(period)s”.") % {"year": year, "period": name}


def _year(text: str) -> int | None:
    number = _decimal(text)
    if number is None or number != number.to_integral_value():
        return None
    return int(number)


def _decimal(text: str) -> Decimal | None:
    """A number written with a decimal comma or point and perhaps spaces between thousands."""
    text = text.strip().translate(THOUSANDS_SEPARATORS).replace("\u2212", "-")
    if "," in text and "." in text:
        return None  # 1.234,5 or 1,234.5: which is the decimal sign is a guess, so neither is read
    try:
        number = Decimal(text.replace(",", "."))
    except InvalidOperation:
        return None
    if not number.is_finite():
        return None
    return measurement_rounded(number) if abs(number) < LARGEST_VALUE else number


def _plain(value: Decimal) -> Decimal:
    """12.500 as 12.5 and 100.000 as 100, for showing."""
    return Decimal(f"{value.normalize():f}")


def _words(text) -> str:
    return " ".join(str(text).split()).casefold()


def _header(text: str) -> str:
    return _words(str(text).replace("_", " "))


def _rows_of(table: Iterator[tuple[int, list[str]]]) -> Iterator[MeasurementRow]:
    """The header read now (refused when it lacks a column), the rows under it as they are read."""
    lines = (item for item in table if any(cell.strip() for cell in item[1]))
    header = next(lines, None)
    if header is None:
        raise ValidationError(gettext("The file is empty."), code="empty")
    return _rows_under(lines, _columns(header[1]))


def _rows_under(
    lines: Iterator[tuple[int, list[str]]], positions: dict[str, int]
) -> Iterator[MeasurementRow]:
    count = 0
    for line, cells in lines:
        if count == MAX_FILE_ROWS:
            raise ValidationError(
                gettext("The file has more than %(rows)d rows of measurements.") % {"rows": MAX_FILE_ROWS},
                code="too_many_rows",
            )
        count += 1

        def cell(column: str, cells=cells) -> str:
            position = positions.get(column)
            return cells[position].strip() if position is not None and position < len(cells) else ""

        yield MeasurementRow(
            line=line,
            indicator=cell("indicator"),
            year=cell("year"),
            value=cell("value"),
            reporting_period=cell("reporting_period"),
            gender=cell("gender"),
            comment=cell("comment") if "comment" in positions else None,
        )
    if not count:
        raise ValidationError(gettext("The file has no measurements under its header row."), code="empty")


def _columns(header: list[str]) -> dict[str, int]:
    """Where each known column is in the header row."""
    names = {name: column for column, both in COLUMNS.items() for name in both}
    positions: dict[str, int] = {}
    problems = []
    for position, text in enumerate(header):
        column = names.get(_header(text))
        if column is None:
            continue
        if column in positions:
            problems.append(gettext("The column “%(column)s” appears twice.") % {"column": text.strip()})
        positions.setdefault(column, position)
    for column in REQUIRED_COLUMNS:
        if column not in positions:
            english, swedish = COLUMNS[column]
            problems.append(
                gettext("The file has no “%(english)s” (or “%(swedish)s”) column.")
                % {"english": english, "swedish": swedish}
            )
    if problems:
        raise ValidationError(problems, code="columns")
    return positions


def _not_text() -> ValidationError:
    # Text has no NUL bytes; an old .xls workbook, a PDF or an image does.
    return ValidationError(
        gettext("The file is neither a CSV file nor an Excel workbook (.xlsx)."), code="file_type"
    )


class _TextBytes(io.RawIOBase):
    """A file's bytes read as text would be: refused at the first NUL byte, which text has not.
    Closing it leaves the file open."""

    def __init__(self, file: BinaryIO):
        self.file = file

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self.file.read(len(buffer))
        if b"\x00" in data:
            raise _not_text()
        buffer[: len(data)] = data
        return len(data)


def _csv_lines(file: BinaryIO) -> Iterator[tuple[int, list[str]]]:
    """The CSV file's rows with their lines, decoded and split as they are read."""
    text = io.TextIOWrapper(io.BufferedReader(_TextBytes(file), 2**16), encoding="utf-8-sig", newline="")
    ended = 0
    try:
        # The delimiter is the one the first line that is not empty has most of.
        read = []
        for line in text:
            read.append(line)
            if line.strip():
                break
        delimiter = max(";,\t", key=read[-1].count) if read else ";"
        reader = csv.reader(chain(read, text), delimiter=delimiter)
        for cells in reader:
            # A quoted cell may span lines: a row is on the line it starts on.
            yield ended + 1, cells
            ended = reader.line_num
    except UnicodeDecodeError as error:
        raise ValidationError(
            gettext("The CSV file is not UTF-8 text. Save it as “CSV UTF-8” and upload it again."),
            code="encoding",
        ) from error
    except csv.Error as error:
        raise ValidationError(
            gettext("Line %(line)d of the CSV file cannot be read.") % {"line": ended + 1}, code="csv"
        ) from error


def _xlsx_table(file: BinaryIO) -> Iterator[tuple[int, list[str]]]:
    unreadable = ValidationError(gettext("The Excel workbook cannot be read."), code="xlsx")
    try:
        with zipfile.ZipFile(file) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except zipfile.BadZipFile as error:
        raise unreadable from error
    if unpacked > MAX_UNPACKED_BYTES:
        raise ValidationError(gettext("The Excel workbook is too large once unpacked."), code="too_large")
    file.seek(0)
    try:
        # Read only: the sheet is parsed as its rows are asked for, not loaded whole.
        workbook = openpyxl.load_workbook(file, read_only=True, data_only=True)
    # A damaged workbook fails in openpyxl, zipfile or the XML parser in many ways; each is the
    # uploader's file, to be refused with a message rather than a server error.
    except Exception as error:
        raise unreadable from error
    return _xlsx_lines(workbook, unreadable)


def _xlsx_lines(workbook, unreadable: ValidationError) -> Iterator[tuple[int, list[str]]]:
    try:
        sheet = workbook.worksheets[0]
        # The stored dimensions may be wrong and would cut rows off: read up to the last row there is.
        sheet.reset_dimensions()
        for line, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield line, [_text(cell) for cell in cells]
    except Exception as error:  # as above: a damaged sheet is refused, not a server error
        raise unreadable from error
    finally:
        workbook.close()


def _text(cell) -> str:
    """A cell's value as the text a CSV file would have: 2025 rather than 2025.0."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell)
