"""Measurements imported from a file, all or nothing: read, planned against the database, written.

A file (CSV or an Excel workbook) is read into rows of text (``MeasurementRow``), which are
JSON-serialisable, so a web preview can keep them in the session between the preview and the
confirmation. The rows are then planned against the database (``measurements_plan``): each row will
add a value, change one or leave one as it is, or it is bad and says why. Only a plan without a bad
row is imported (``measurements_import``), in one transaction that plans again, so a value changed
by someone else since the preview is counted as it really is.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import astuple, dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import BinaryIO

import openpyxl
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from goals.models import (
    Gender,
    Indicator,
    Measurement,
    MeasurementImport,
    ReportingPeriod,
    ReportingPeriodKind,
)

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 10_000
# An .xlsx file is a zip archive, so what it unpacks to is bounded too, not only its own size.
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
FIRST_YEAR, LAST_YEAR = 2000, 2100  # as the models' year validators
# A Measurement's value is a DecimalField(max_digits=14, decimal_places=3).
DECIMAL_PLACES = Decimal("0.001")
LARGEST_VALUE = Decimal(10) ** 11

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


class Action:
    NEW = "new"
    CHANGED = "changed"
    UNCHANGED = "unchanged"


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
    """What importing a file would do, row by row, and what is wrong with the file as a whole."""

    rows: tuple[PlannedRow, ...] = ()
    problems: tuple[str, ...] = ()

    @property
    def bad_rows(self) -> list[tuple[int, str]]:
        """Every problem of every bad row as (line, reason), in the file's order."""
        return [(planned.line, problem) for planned in self.rows for problem in planned.problems]

    @property
    def is_valid(self) -> bool:
        return bool(self.rows) and not self.problems and not self.bad_rows

    @property
    def changes(self) -> list[PlannedRow]:
        """The rows that add or change a value, for the preview."""
        return [planned for planned in self.rows if planned.action in (Action.NEW, Action.CHANGED)]

    def count(self, action: str) -> int:
        return sum(planned.action == action for planned in self.rows)

    @property
    def has_comments(self) -> bool:
        return any(planned.row.comment is not None for planned in self.rows)

    def messages(self) -> list[str]:
        """The file's problems, then each bad row's, as sentences that name the line."""
        return list(self.problems) + [
            gettext("Line %(line)d: %(problem)s") % {"line": line, "problem": problem}
            for line, problem in self.bad_rows
        ]


def measurement_file_read(*, file: BinaryIO) -> list[MeasurementRow]:
    """The rows of a CSV file or of the first sheet of an Excel workbook (.xlsx), as text.

    The file is told by its content, not its name. A CSV file is UTF-8, with or without a byte
    order mark, its cells separated by semicolons, commas or tabs (whichever the header row has
    most of). The first row that is not empty is the header; it names the columns in English or
    Swedish, in any order, and must have the indicator, the year and the value; other columns are
    ignored. Empty rows are skipped; each row keeps the line (the sheet's row) it was on.

    Refused (``ValidationError``, nothing read) when the file is larger than 5 MB, is neither CSV
    nor .xlsx, cannot be read, lacks a required column, names a column twice, has no rows under its
    header or more than 10 000.
    """
    data = file.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise ValidationError(
            gettext("The file is larger than %(size)d MB.") % {"size": MAX_FILE_BYTES // 2**20},
            code="too_large",
        )
    if data.startswith(b"PK\x03\x04"):
        table = _xlsx_table(data)
    elif b"\x00" in data:
        # Text has no NUL bytes; an old .xls workbook, a PDF or an image does.
        raise ValidationError(
            gettext("The file is neither a CSV file nor an Excel workbook (.xlsx)."), code="file_type"
        )
    else:
        table = _csv_table(data)
    return _rows_of(table)


def measurements_plan(*, rows: Sequence[MeasurementRow]) -> MeasurementPlan:
    """What importing ``rows`` would do: each row adds a value, changes one or leaves one as it is,
    or is bad, with every reason why.

    A row names an indicator by its code, a year from 2000 to 2100, a value (a decimal comma or
    point, spaces between thousands, rounded to three decimals), optionally a reporting period of
    that year (t1, interim, annual, or their Swedish names; empty for a value of the whole year) and
    a gender (T, K or M; empty for T). A row is bad when its indicator is unknown, its year or value
    is not a number, its year has no such reporting period, its gender is unknown, or an earlier
    line of the file already has a value for the same indicator, year, reporting period and gender.
    A value changes when the number differs, or when the file has a comment column and the comment
    differs. Three queries, whatever the number of rows.
    """
    return _plan(rows, lock=False)


def measurements_plan_file(*, file: BinaryIO) -> MeasurementPlan:
    """The plan of a file: its rows planned, or, when the file cannot be read, its problems."""
    try:
        rows = measurement_file_read(file=file)
    except ValidationError as error:
        return MeasurementPlan(problems=tuple(error.messages))
    return measurements_plan(rows=rows)


def measurements_import(*, plan: MeasurementPlan, by, file_name: str) -> MeasurementImport:
    """Write every row of ``plan`` at once, as an import of the file ``file_name`` by ``by``.

    All or nothing: a plan with a bad row, or with no rows, is refused (``ValidationError``) and
    nothing is written. The rows are planned again in the transaction, with the values they change
    locked, so the counts are those of the database at that moment, and a row that has gone bad
    since (an indicator deleted) refuses the whole import. New and changed values are entered by
    ``by``, with their indicator's source, and belong to the import; unchanged values are left as
    they are. The import is recorded (``MeasurementImport`` of kind file) with its counts, also
    when nothing changed, so importing the same file again changes nothing but is recorded.
    """
    _refuse_unless_valid(plan)
    try:
        with transaction.atomic():
            return _write(_plan([planned.row for planned in plan.rows], lock=True), by, file_name)
    except IntegrityError as error:
        # Another import or person added one of these values after the plan was made.
        raise ValidationError(
            gettext(
                "Some of these values were entered by someone else meanwhile. Nothing was imported; try again."
            ),
            code="conflict",
        ) from error


def _refuse_unless_valid(plan: MeasurementPlan) -> None:
    if not plan.rows and not plan.problems:
        raise ValidationError(gettext("The file has no measurements under its header row."), code="empty")
    if not plan.is_valid:
        raise ValidationError(plan.messages(), code="bad_rows")


def _write(plan: MeasurementPlan, by, file_name: str) -> MeasurementImport:
    _refuse_unless_valid(plan)
    record = MeasurementImport.objects.create(
        kind=MeasurementImport.Kind.FILE,
        description=file_name[: MeasurementImport._meta.get_field("description").max_length],
        imported_by=by,
        created=plan.count(Action.NEW),
        updated=plan.count(Action.CHANGED),
        unchanged=plan.count(Action.UNCHANGED),
    )
    now = timezone.now()
    added, changed = [], []
    for planned in plan.changes:
        measurement = planned.existing or Measurement(
            indicator=planned.indicator,
            year=planned.year,
            reporting_period=planned.reporting_period,
            gender=planned.gender,
        )
        measurement.value = planned.value
        if planned.row.comment is not None:
            measurement.comment = planned.row.comment
        measurement.source = planned.indicator.source
        measurement.entered_by = by
        measurement.entered_at = now  # bulk_update skips auto_now
        measurement.batch = record
        (added if planned.existing is None else changed).append(measurement)
    # The bulk helpers record each value's history too, with the importing user.
    bulk_create_with_history(added, Measurement, default_user=by)
    bulk_update_with_history(
        changed,
        Measurement,
        ["value", "comment", "source", "entered_by", "entered_at", "batch"],
        default_user=by,
    )
    return record


def _plan(rows: Sequence[MeasurementRow], *, lock: bool) -> MeasurementPlan:
    parsed = [_Parsed.of(row) for row in rows]
    indicators = {
        indicator.code: indicator
        for indicator in Indicator.objects.filter(code__in={each.code for each in parsed if each.code})
    }
    years = {each.year for each in parsed if each.year is not None}
    reporting_periods = {
        (reporting_period.period.year, reporting_period.kind): reporting_period
        for reporting_period in ReportingPeriod.objects.filter(period__year__in=years).select_related(
            "period"
        )
    }
    existing_values = Measurement.objects.filter(indicator__in=list(indicators.values()), year__in=years)
    if lock:
        # Lock the values only, not the reporting periods the ordering joins (outer joins cannot be locked).
        existing_values = existing_values.select_for_update(of=("self",))
    existing = {
        (value.indicator_id, value.year, value.reporting_period_id, value.gender): value
        for value in existing_values
    }

    first_line: dict[tuple, int] = {}
    planned_rows = []
    for each in parsed:
        problems = dict(each.problems)
        indicator = indicators.get(each.code)
        if each.code and indicator is None:
            problems["indicator"] = gettext("No indicator has the code “%(code)s”.") % {"code": each.code}
        reporting_period = None
        if each.year is not None and each.kind is not None:
            reporting_period = reporting_periods.get((each.year, each.kind))
            if reporting_period is None:
                problems["reporting_period"] = _no_such_reporting_period(each.row.reporting_period, each.year)
        if each.key is not None:
            if each.key in first_line:
                problems["duplicate"] = gettext(
                    "Line %(line)d already has a value for this indicator, year, reporting period and gender."
                ) % {"line": first_line[each.key]}
            else:
                first_line[each.key] = each.row.line
        # The reasons in the order of the columns, whichever was found first.
        problems = [problems[part] for part in (*COLUMNS, "duplicate") if part in problems]
        if problems:
            planned_rows.append(PlannedRow(row=each.row, problems=tuple(problems)))
            continue
        current = existing.get(
            (indicator.pk, each.year, reporting_period.pk if reporting_period else None, each.gender)
        )
        if current is None:
            action = Action.NEW
        elif current.value != each.value or (
            each.row.comment is not None and current.comment != each.row.comment
        ):
            action = Action.CHANGED
        else:
            action = Action.UNCHANGED
        planned_rows.append(
            PlannedRow(
                row=each.row,
                action=action,
                indicator=indicator,
                year=each.year,
                reporting_period=reporting_period,
                gender=each.gender,
                value=each.value,
                existing=current,
            )
        )
    return MeasurementPlan(rows=tuple(planned_rows))


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
    return number.quantize(DECIMAL_PLACES, rounding=ROUND_HALF_UP) if abs(number) < LARGEST_VALUE else number


def _plain(value: Decimal) -> Decimal:
    """12.500 as 12.5 and 100.000 as 100, for showing."""
    return Decimal(f"{value.normalize():f}")


def _words(text) -> str:
    return " ".join(str(text).split()).casefold()


def _header(text: str) -> str:
    return _words(str(text).replace("_", " "))


def _rows_of(table: Iterable[tuple[int, list[str]]]) -> list[MeasurementRow]:
    lines = (item for item in table if any(cell.strip() for cell in item[1]))
    header = next(lines, None)
    if header is None:
        raise ValidationError(gettext("The file is empty."), code="empty")
    positions = _columns(header[1])
    rows = []
    for line, cells in lines:
        if len(rows) == MAX_ROWS:
            raise ValidationError(
                gettext("The file has more than %(rows)d rows of measurements.") % {"rows": MAX_ROWS},
                code="too_many_rows",
            )

        def cell(column: str, cells=cells) -> str:
            position = positions.get(column)
            return cells[position].strip() if position is not None and position < len(cells) else ""

        rows.append(
            MeasurementRow(
                line=line,
                indicator=cell("indicator"),
                year=cell("year"),
                value=cell("value"),
                reporting_period=cell("reporting_period"),
                gender=cell("gender"),
                comment=cell("comment") if "comment" in positions else None,
            )
        )
    if not rows:
        raise ValidationError(gettext("The file has no measurements under its header row."), code="empty")
    return rows


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


def _csv_table(data: bytes) -> Iterator[tuple[int, list[str]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValidationError(
            gettext("The CSV file is not UTF-8 text. Save it as “CSV UTF-8” and upload it again."),
            code="encoding",
        ) from error
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max(";,\t", key=first_line.count)
    return _csv_lines(text, delimiter)


def _csv_lines(text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    ended = 0
    try:
        for cells in reader:
            # A quoted cell may span lines: a row is on the line it starts on.
            yield ended + 1, cells
            ended = reader.line_num
    except csv.Error as error:
        raise ValidationError(
            gettext("Line %(line)d of the CSV file cannot be read.") % {"line": ended + 1}, code="csv"
        ) from error


def _xlsx_table(data: bytes) -> Iterator[tuple[int, list[str]]]:
    unreadable = ValidationError(gettext("The Excel workbook cannot be read."), code="xlsx")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except zipfile.BadZipFile as error:
        raise unreadable from error
    if unpacked > MAX_UNPACKED_BYTES:
        raise ValidationError(gettext("The Excel workbook is too large once unpacked."), code="too_large")
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
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
