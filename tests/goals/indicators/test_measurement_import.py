"""Importing measurements from a CSV file or an Excel workbook: all or nothing, with a preview."""

import io
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from goals.chain.levels import Level
from goals.indicators import file_import as measurement_import
from goals.indicators import upsert as measurement_upsert
from goals.indicators.file_import import (
    SHOWN,
    MeasurementFile,
    MeasurementRow,
    measurements_import,
    measurements_plan,
    measurements_plan_file,
)
from goals.indicators.upsert import Action
from goals.models import (
    Goal,
    Indicator,
    IndicatorSource,
    Measurement,
    MeasurementImport,
    Period,
    ReportingPeriod,
    ReportingPeriodKind,
)
from goals.views.measurement_import import SESSION_KEY, preview_keep, preview_take
from orgunits.rules import memberships_of
from tests.kit.chain import add_goal
from tests.kit.measurement_files import csv_file, xlsx_file
from tests.kit.people import member_of

pytestmark = pytest.mark.django_db

URL = "/goals/measurements/import/"


@pytest.fixture
def year():
    """2025 with its three reporting periods; 2024 without any."""
    period = Period.objects.create(year=2025)
    ReportingPeriod.objects.add_defaults(period)
    ReportingPeriod.objects.filter(period=Period.objects.create(year=2024)).delete()
    return period


@pytest.fixture
def reading(year):
    return Indicator.objects.create(
        code="UF-LAS-01", name="Läsförståelse åk 3", source=IndicatorSource.SURVEY
    )


@pytest.fixture
def satisfaction(year):
    return Indicator.objects.create(code="OF-NKI-02", name="Nöjd kundindex hemtjänst")


@pytest.fixture
def person(django_user_model):
    """Someone who imports; staff, who may write every indicator's values."""
    return django_user_model.objects.create_user("ingrid", password="x", is_staff=True)


def stored() -> list[tuple]:
    """Every measurement as (code, year, reporting period kind, gender, value, comment)."""
    return [
        (
            value.indicator.code,
            value.year,
            value.reporting_period.kind if value.reporting_period else None,
            value.gender,
            value.value,
            value.comment,
        )
        for value in Measurement.objects.select_related("indicator", "reporting_period").order_by("pk")
    ]


def actions(plan) -> list[tuple]:
    return [(row.line, row.action, row.before, row.after) for row in plan.rows]


def import_file(file, by=None) -> MeasurementImport:
    file.seek(0)  # a test may have planned it already
    return measurements_import(plan=measurements_plan_file(file=file, by=by), by=by, file_name=file.name)


# Reading files


def test_a_csv_file_with_semicolons_decimal_commas_and_a_byte_order_mark(reading, satisfaction, person):
    file = csv_file(
        "indicator;year;reporting_period;gender;value;comment\n"
        "UF-LAS-01;2025;;T;12,5;Vårens prov\n"
        "UF-LAS-01;2025;interim;K;1 234,75;\n"
        "\n"
        "OF-NKI-02;2025;t1;;80;\n",
        bom=True,
    )
    plan = measurements_plan_file(file=file, by=None)
    assert plan.problems == () and plan.bad_rows == []
    assert actions(plan) == [
        (2, Action.NEW, None, Decimal("12.5")),
        (3, Action.NEW, None, Decimal("1234.75")),
        (5, Action.NEW, None, Decimal("80")),
    ]

    batch = measurements_import(plan=plan, by=person, file_name="matt.csv")

    assert stored() == [
        ("UF-LAS-01", 2025, None, "T", Decimal("12.5"), "Vårens prov"),
        ("UF-LAS-01", 2025, ReportingPeriodKind.INTERIM, "K", Decimal("1234.75"), ""),
        ("OF-NKI-02", 2025, ReportingPeriodKind.FOUR_MONTHS, "T", Decimal("80"), ""),
    ]
    assert (
        batch.kind,
        batch.description,
        batch.imported_by,
        batch.created,
        batch.updated,
        batch.unchanged,
    ) == (
        MeasurementImport.Kind.FILE,
        "matt.csv",
        person,
        3,
        0,
        0,
    )
    assert [
        (value.source, value.entered_by, value.batch) for value in Measurement.objects.order_by("pk")
    ] == [
        (IndicatorSource.SURVEY, person, batch),
        (IndicatorSource.SURVEY, person, batch),
        (IndicatorSource.MANUAL, person, batch),
    ]
    assert [value.history.get().history_user for value in Measurement.objects.all()] == [person] * 3


def test_a_csv_file_with_commas(reading):
    file = csv_file('value,year,indicator\n12.5,2025,UF-LAS-01\n"13,5",2024,UF-LAS-01\n')
    plan = measurements_plan_file(file=file, by=None)
    assert actions(plan) == [(2, Action.NEW, None, Decimal("12.5")), (3, Action.NEW, None, Decimal("13.5"))]
    import_file(file)
    assert stored() == [
        ("UF-LAS-01", 2025, None, "T", Decimal("12.5"), ""),
        ("UF-LAS-01", 2024, None, "T", Decimal("13.5"), ""),
    ]


def test_an_excel_workbook_with_numbers_in_its_cells(reading, satisfaction):
    file = xlsx_file(
        [
            ["Indicator", "Year", "Reporting period", "Gender", "Value"],
            ["UF-LAS-01", 2025, None, "K", 12.5],
            [],
            ["UF-LAS-01", 2025.0, "annual", "m", "7,25"],
            ["OF-NKI-02", "2025", "Interim", None, 0.1 + 0.2],
        ]
    )
    plan = measurements_plan_file(file=file, by=None)
    assert actions(plan) == [
        (2, Action.NEW, None, Decimal("12.5")),
        (4, Action.NEW, None, Decimal("7.25")),
        (5, Action.NEW, None, Decimal("0.3")),
    ]
    import_file(file)
    assert stored() == [
        ("UF-LAS-01", 2025, None, "K", Decimal("12.5"), ""),
        ("UF-LAS-01", 2025, ReportingPeriodKind.ANNUAL, "M", Decimal("7.25"), ""),
        ("OF-NKI-02", 2025, ReportingPeriodKind.INTERIM, "T", Decimal("0.3"), ""),
    ]


def test_swedish_headers_and_reporting_periods(reading):
    file = csv_file(
        "Indikator;År;Uppföljningsperiod;Kön;Värde;Kommentar\n"
        "UF-LAS-01;2025;Tertial 1;T;1;\n"
        "UF-LAS-01;2025;delår;T;2;\n"
        "UF-LAS-01;2025;Helår;T;3;\n"
        "UF-LAS-01;2025;T1;K;4;Flickor\n"
    )
    import_file(file)
    assert stored() == [
        ("UF-LAS-01", 2025, ReportingPeriodKind.FOUR_MONTHS, "T", Decimal(1), ""),
        ("UF-LAS-01", 2025, ReportingPeriodKind.INTERIM, "T", Decimal(2), ""),
        ("UF-LAS-01", 2025, ReportingPeriodKind.ANNUAL, "T", Decimal(3), ""),
        ("UF-LAS-01", 2025, ReportingPeriodKind.FOUR_MONTHS, "K", Decimal(4), "Flickor"),
    ]


def test_every_bad_row_says_why(english, reading):
    file = csv_file(
        "indicator;year;reporting_period;gender;value\n"
        "XX-99;2025;;T;1\n"
        "UF-LAS-01;tjugo;;T;1\n"
        "UF-LAS-01;2025;;T;mycket\n"
        "UF-LAS-01;2024;interim;T;1\n"
        "UF-LAS-01;2025;Q3;T;1\n"
        "UF-LAS-01;2025;;X;1\n"
        "UF-LAS-01;1999;;T;1\n"
        "UF-LAS-01;2025;;K;\n"
        ";2025;;M;1\n"
        "XX-99;;;Z;1.234,5\n"
        "UF-LAS-01;2025;annual;T;1\n"
    )
    plan = measurements_plan_file(file=file, by=None)
    assert plan.bad_rows == [
        (2, "No indicator has the code “XX-99”."),
        (3, "The year “tjugo” is not a number."),
        (4, "The value “mycket” is not a number."),
        (5, "2024 has no reporting period “interim”."),
        (6, "2025 has no reporting period “Q3”."),
        (7, "Unknown gender “X”: use T, K or M."),
        (8, "The year 1999 is not between 2000 and 2100."),
        (9, "The row has no value."),
        (10, "The row names no indicator."),
        (11, "No indicator has the code “XX-99”."),
        (11, "The row has no year."),
        (11, "Unknown gender “Z”: use T, K or M."),
        (11, "The value “1.234,5” is not a number."),
    ]
    assert not plan.is_valid
    assert [row.action for row in plan.rows][-1] == Action.NEW  # the one good row is still planned


def test_a_value_twice_in_the_file_names_the_earlier_line(english, reading):
    file = csv_file(
        "indicator;year;reporting_period;gender;value\n"
        "UF-LAS-01;2025;;T;1\n"
        "UF-LAS-01;2025;interim;T;1\n"
        "UF-LAS-01;2025;;K;1\n"
        "UF-LAS-01;2025;;;2\n"
        "UF-LAS-01;2025;delår;t;3\n"
    )
    assert measurements_plan_file(file=file, by=None).bad_rows == [
        (5, "Line 2 already has a value for this indicator, year, reporting period and gender."),
        (6, "Line 3 already has a value for this indicator, year, reporting period and gender."),
    ]


@pytest.mark.parametrize(
    ("content", "problems"),
    [
        (
            "indikator;kön;kommentar\nUF-LAS-01;T;x\n",
            ("The file has no “year” (or “år”) column.", "The file has no “value” (or “värde”) column."),
        ),
        ("indicator;year;value;värde\nUF-LAS-01;2025;1;2\n", ("The column “värde” appears twice.",)),
        ("indicator;year;value\n", ("The file has no measurements under its header row.",)),
        ("\n \n", ("The file is empty.",)),
    ],
)
def test_a_file_without_the_columns_or_rows_it_needs(english, reading, content, problems):
    plan = measurements_plan_file(file=csv_file(content), by=None)
    assert (plan.problems, plan.rows) == (problems, ())


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"%PDF-1.7\n\x00\x01binary", "The file is neither a CSV file nor an Excel workbook (.xlsx)."),
        ("indikator;år;värde\nUF-LAS-01;2025;1\n".encode("cp1252"), "The CSV file is not UTF-8 text."),
        (b"PK\x03\x04 not a zip archive", "The Excel workbook cannot be read."),
        (b"x" * (5 * 1024 * 1024 + 1), "The file is larger than 5 MB."),
    ],
)
def test_a_file_that_cannot_be_read(english, data, problem):
    [message] = measurements_plan_file(file=io.BytesIO(data), by=None).problems
    assert message.startswith(problem)


def test_too_many_rows(english, reading, monkeypatch):
    assert measurement_import.MAX_FILE_ROWS == 100_000
    monkeypatch.setattr(measurement_import, "MAX_FILE_ROWS", 50)
    rows = "".join(f"UF-LAS-01;{2000 + index % 100};;T;{index}\n" for index in range(51))
    plan = measurements_plan_file(
        file=csv_file("indicator;year;reporting_period;gender;value\n" + rows), by=None
    )
    assert (plan.problems, plan.rows) == (("The file has more than 50 rows of measurements.",), ())


def test_a_file_is_read_as_a_stream_and_a_bad_line_late_in_it_refuses_it(english, reading, small_batches):
    rows = "".join(f"UF-LAS-01;{2000 + index};{index}\n" for index in range(40))
    data = ("indicator;year;value\n" + rows).encode() + b"UF-LAS-01;2099;\xe5\n"
    plan = measurements_plan_file(file=io.BytesIO(data), by=None)
    assert (plan.problems, plan.rows, plan.row_count) == (
        ("The CSV file is not UTF-8 text. Save it as “CSV UTF-8” and upload it again.",),
        (),
        0,
    )
    with_nul = ("indicator;year;value\n" + rows).encode() + b"UF-LAS-01;2099;\x001\n"
    assert measurements_plan_file(file=io.BytesIO(with_nul), by=None).problems == (
        "The file is neither a CSV file nor an Excel workbook (.xlsx).",
    )


def test_a_file_is_read_from_its_start_each_time(reading):
    file = csv_file("indicator;year;value\nUF-LAS-01;2025;1\n")
    file.read()  # as an upload that was looked at
    rows = MeasurementFile(file)
    assert list(rows) == list(rows) == [MeasurementRow(line=2, indicator="UF-LAS-01", year="2025", value="1")]


def test_planning_takes_three_queries_whatever_the_number_of_rows(reading, django_assert_num_queries):
    for size in (1, 20):
        rows = [
            MeasurementRow(line=line, indicator="UF-LAS-01", year="2025", value="1") for line in range(size)
        ]
        # the indicators, the reporting periods of the years, the values already there
        with django_assert_num_queries(3):
            measurements_plan(rows=rows, by=None)


# Large files, in batches

HEADER = "indicator;year;gender;value\n"


@pytest.fixture
def small_batches(monkeypatch):
    monkeypatch.setattr(measurement_upsert, "BATCH_SIZE", 10)


@pytest.mark.parametrize(("rows", "batches"), [(1, 1), (10, 1), (30, 3)])
def test_planning_takes_three_queries_a_batch(
    reading, small_batches, django_assert_num_queries, rows, batches
):
    file = csv_file(HEADER + "".join(f"UF-LAS-01;{2000 + index};T;{index}\n" for index in range(rows)))
    # A batch: the indicators, the reporting periods of the years, the values already there.
    with django_assert_num_queries(3 * batches):
        plan = measurements_plan_file(file=file, by=None)
    assert (plan.row_count, plan.count(Action.NEW)) == (rows, rows)


@pytest.mark.parametrize(("rows", "batches"), [(10, 1), (30, 3)])
def test_importing_takes_seven_queries_a_batch(
    reading, small_batches, django_assert_num_queries, rows, batches
):
    # The first value of each batch is there already, and changes.
    for first in range(0, rows, 10):
        Measurement.objects.create(indicator=reading, year=2000 + first, value=Decimal(-1), source="survey")
    file = csv_file(HEADER + "".join(f"UF-LAS-01;{2000 + index};T;{index}\n" for index in range(rows)))
    plan = measurements_plan_file(file=file, by=None)
    # The savepoint, the import's record, its counts, the release; and a batch: the indicators, the
    # reporting periods, the values there (locked), the new values, their history, the changed
    # values, their history.
    with django_assert_num_queries(4 + 7 * batches):
        batch = measurements_import(plan=plan, by=None, file_name="matt.csv")
    assert (batch.created, batch.updated, batch.unchanged) == (rows - batches, batches, 0)


@pytest.fixture
def twenty_indicators(year):
    return Indicator.objects.bulk_create(
        Indicator(code=f"SK-{n:02d}", name=f"Indikator {n}") for n in range(20)
    )


def large_file(rows: int, extra: str = "") -> tuple[SimpleUploadedFile, set[tuple]]:
    """``rows`` values of twenty indicators, each once, and the measurements they make."""
    values = [(f"SK-{n % 20:02d}", 2000 + n // 20 % 101, "TKM"[n // 2020], Decimal(n)) for n in range(rows)]
    text = HEADER + "".join(f"{code};{year};{gender};{value}\n" for code, year, gender, value in values)
    return csv_file(text + extra), set(values)


@pytest.fixture
def writes(monkeypatch) -> list[int]:
    """The number of values each batch hands to be written."""
    written = []
    store = measurement_import.measurements_store

    def counting(*, compared, **how):
        written.append(len(compared))
        store(compared=compared, **how)

    monkeypatch.setattr(measurement_import, "measurements_store", counting)
    return written


def test_a_large_file_is_planned_and_imported_in_batches(twenty_indicators, monkeypatch, writes, person):
    monkeypatch.setattr(measurement_upsert, "BATCH_SIZE", 500)
    file, values = large_file(5000)

    plan = measurements_plan_file(file=file, by=None)

    # The plan counts every row and keeps the first rows and changes to show.
    assert (plan.is_valid, plan.row_count, plan.count(Action.NEW)) == (True, 5000, 5000)
    assert (len(plan.rows), len(plan.changes), plan.more_changes) == (SHOWN, SHOWN, 4000)
    assert [row.line for row in plan.changes[:3]] == [2, 3, 4]

    batch = measurements_import(plan=plan, by=person, file_name="stor.csv")

    assert writes == [500] * 10
    assert (batch.created, batch.updated, batch.unchanged) == (5000, 0, 0)
    stored = Measurement.objects.values_list("indicator__code", "year", "gender", "value")
    assert set(stored) == values
    assert set(Measurement.objects.values_list("batch", "entered_by")) == {(batch.pk, person.pk)}
    assert Measurement.history.filter(history_user=person, history_type="+").count() == 5000


def test_a_bad_row_near_the_end_of_a_large_file_imports_nothing(
    english, twenty_indicators, monkeypatch, writes
):
    monkeypatch.setattr(measurement_upsert, "BATCH_SIZE", 500)
    file, _values = large_file(5000, extra="SK-99;2025;T;1\n")

    plan = measurements_plan_file(file=file, by=None)

    assert (plan.bad_rows, plan.row_count, plan.bad_line_count) == (
        [(5002, "No indicator has the code “SK-99”.")],
        5001,
        1,
    )
    with pytest.raises(ValidationError) as refused:
        measurements_import(plan=plan, by=None, file_name="stor.csv")
    assert refused.value.messages == ["Line 5002: No indicator has the code “SK-99”."]
    assert writes == []
    assert (Measurement.objects.count(), MeasurementImport.objects.count()) == (0, 0)


def test_a_row_gone_bad_near_the_end_undoes_the_batches_written_before_it(
    english, twenty_indicators, monkeypatch, writes
):
    monkeypatch.setattr(measurement_upsert, "BATCH_SIZE", 500)
    last = Indicator.objects.create(code="SIST-01", name="Sist i filen")
    file, _values = large_file(5000, extra="SIST-01;2025;T;1\n")
    plan = measurements_plan_file(file=file, by=None)
    assert plan.is_valid
    last.delete()

    with pytest.raises(ValidationError) as refused:
        measurements_import(plan=plan, by=None, file_name="stor.csv")

    assert refused.value.messages == ["Line 5002: No indicator has the code “SIST-01”."]
    assert writes == [500] * 10  # written, then undone with the transaction
    assert (Measurement.objects.count(), MeasurementImport.objects.count(), Measurement.history.count()) == (
        0,
        0,
        0,
    )


@pytest.fixture
def shown_five(monkeypatch):
    monkeypatch.setattr(measurement_import, "SHOWN", 5)


def many_bad_rows() -> SimpleUploadedFile:
    """Line 2 is good; lines 3 to 14 name an unknown indicator and have no value (24 problems)."""
    return csv_file(
        "indicator;year;value\nUF-LAS-01;2025;1\n" + "".join(f"XX;{2000 + n};\n" for n in range(12))
    )


def test_the_problems_of_many_bad_rows_are_counted_and_the_first_listed(english, reading, shown_five):
    plan = measurements_plan_file(file=many_bad_rows(), by=None)

    assert plan.bad_rows == [
        (3, "No indicator has the code “XX”."),
        (3, "The row has no value."),
        (4, "No indicator has the code “XX”."),
        (4, "The row has no value."),
        (5, "No indicator has the code “XX”."),
    ]
    assert (plan.problem_count, plan.bad_line_count, plan.more_bad_rows) == (24, 12, 19)
    assert plan.messages()[-2:] == ["Line 5: No indicator has the code “XX”.", "… and 19 more."]
    with pytest.raises(ValidationError) as refused:
        measurements_import(plan=plan, by=None, file_name="matt.csv")
    assert refused.value.messages == plan.messages()


def test_the_command_lists_the_first_problems_and_counts_the_rest(english, reading, shown_five, tmp_path):
    path = tmp_path / "matt.csv"
    path.write_bytes(many_bad_rows().read())
    err = io.StringIO()
    with pytest.raises(CommandError, match=r"^12 rows of matt.csv are bad; nothing was imported.$"):
        call_command("import_measurements", str(path), stdout=io.StringIO(), stderr=err)
    assert err.getvalue().splitlines()[-2:] == ["Line 5: No indicator has the code “XX”.", "… and 19 more."]


def test_the_command_lists_the_first_changes_and_counts_the_rest(english, reading, shown_five, tmp_path):
    path = tmp_path / "matt.csv"
    path.write_text("indicator;year;value\n" + "".join(f"UF-LAS-01;{2000 + n};{n}\n" for n in range(8)))

    out, _err = run(str(path))

    assert out.splitlines()[4:] == [
        "Line 6: UF-LAS-01 2004 T: new value 4",
        "… and 3 more.",
        "Would import: 8 new, 0 changed, 0 unchanged.",
        "Imported matt.csv: 8 new, 0 changed, 0 unchanged.",
    ]
    assert Measurement.objects.count() == 8


# Importing


def test_one_bad_row_imports_nothing(english, reading):
    plan = measurements_plan_file(
        file=csv_file("indicator;year;value\nUF-LAS-01;2025;1\nUF-LAS-01;2024;x\n"), by=None
    )
    with pytest.raises(ValidationError) as refused:
        measurements_import(plan=plan, by=None, file_name="matt.csv")
    assert refused.value.messages == ["Line 3: The value “x” is not a number."]
    assert (Measurement.objects.count(), MeasurementImport.objects.count()) == (0, 0)


def test_importing_the_same_file_again_changes_nothing(reading):
    content = "indicator;year;gender;value;comment\nUF-LAS-01;2025;T;12,5;Prov\nUF-LAS-01;2025;K;13;\n"
    first = import_file(csv_file(content))
    before = stored()

    second = import_file(csv_file(content))

    assert stored() == before
    assert [(batch.created, batch.updated, batch.unchanged) for batch in (first, second)] == [
        (2, 0, 0),
        (0, 0, 2),
    ]
    assert list(MeasurementImport.objects.order_by("pk")) == [first, second]
    assert set(Measurement.objects.values_list("batch", flat=True)) == {first.pk}


def test_a_changed_value_is_updated(reading, person):
    old = Measurement.objects.create(
        indicator=reading, year=2025, value=Decimal(10), comment="Gammal", source=IndicatorSource.MANUAL
    )
    plan = measurements_plan_file(file=csv_file("indicator;year;value\nUF-LAS-01;2025;12,5\n"), by=None)
    assert actions(plan) == [(2, Action.CHANGED, Decimal(10), Decimal("12.5"))]

    batch = measurements_import(plan=plan, by=person, file_name="matt.csv")

    old.refresh_from_db()
    # Without a comment column the comment stays; the source becomes the indicator's.
    assert (old.value, old.comment, old.source, old.entered_by, old.batch) == (
        Decimal("12.5"),
        "Gammal",
        IndicatorSource.SURVEY,
        person,
        batch,
    )
    assert (batch.created, batch.updated, batch.unchanged) == (0, 1, 0)
    assert [version.value for version in old.history.order_by("history_date")] == [
        Decimal(10),
        Decimal("12.5"),
    ]


def test_a_changed_comment_is_a_change(reading):
    Measurement.objects.create(indicator=reading, year=2025, value=Decimal(1), source=IndicatorSource.SURVEY)
    plan = measurements_plan_file(
        file=csv_file("indicator;year;value;comment\nUF-LAS-01;2025;1,000;Ny\n"), by=None
    )
    assert actions(plan) == [(2, Action.CHANGED, Decimal(1), Decimal(1))]


def test_the_import_counts_what_the_database_holds_when_it_writes(reading):
    plan = measurements_plan_file(
        file=csv_file("indicator;year;value\nUF-LAS-01;2025;5\nUF-LAS-01;2024;6\n"), by=None
    )
    # Someone enters the first value between the preview and the import.
    Measurement.objects.create(indicator=reading, year=2025, value=Decimal(5), source=IndicatorSource.SURVEY)

    batch = measurements_import(plan=plan, by=None, file_name="matt.csv")

    assert (batch.created, batch.updated, batch.unchanged) == (1, 0, 1)
    assert stored() == [
        ("UF-LAS-01", 2025, None, "T", Decimal(5), ""),
        ("UF-LAS-01", 2024, None, "T", Decimal(6), ""),
    ]


def test_an_indicator_deleted_since_the_preview_refuses_the_import(english, reading, satisfaction):
    plan = measurements_plan_file(
        file=csv_file("indicator;year;value\nUF-LAS-01;2025;5\nOF-NKI-02;2025;6\n"), by=None
    )
    satisfaction.delete()
    with pytest.raises(ValidationError) as refused:
        measurements_import(plan=plan, by=None, file_name="matt.csv")
    assert refused.value.messages == ["Line 3: No indicator has the code “OF-NKI-02”."]
    assert (Measurement.objects.count(), MeasurementImport.objects.count()) == (0, 0)


# The command


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_measurements", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_command_imports_a_file(english, reading, tmp_path):
    Measurement.objects.create(indicator=reading, year=2025, value=Decimal(10), source=IndicatorSource.SURVEY)
    path = tmp_path / "matt.csv"
    path.write_text("indicator;year;reporting_period;value\nUF-LAS-01;2025;;12,5\nUF-LAS-01;2025;delår;3\n")

    out, err = run(str(path))

    assert out.splitlines() == [
        "Line 2: UF-LAS-01 2025 T: 10 → 12.5",
        "Line 3: UF-LAS-01 Interim report 2025 T: new value 3",
        "Would import: 1 new, 1 changed, 0 unchanged.",
        "Imported matt.csv: 1 new, 1 changed, 0 unchanged.",
    ]
    assert err == ""
    assert stored() == [
        ("UF-LAS-01", 2025, None, "T", Decimal("12.5"), ""),
        ("UF-LAS-01", 2025, ReportingPeriodKind.INTERIM, "T", Decimal(3), ""),
    ]


def test_a_dry_run_writes_nothing(english, reading, tmp_path):
    path = tmp_path / "matt.csv"
    path.write_text("indicator;year;value\nUF-LAS-01;2025;12,5\n")

    out, _err = run(str(path), "--dry-run")

    assert out.splitlines() == [
        "Line 2: UF-LAS-01 2025 T: new value 12.5",
        "Would import: 1 new, 0 changed, 0 unchanged.",
        "Dry run: nothing was imported.",
    ]
    assert (Measurement.objects.count(), MeasurementImport.objects.count()) == (0, 0)


def test_the_command_lists_the_bad_rows_and_imports_nothing(english, reading, tmp_path):
    path = tmp_path / "matt.csv"
    path.write_text("indicator;year;value\nUF-LAS-01;2025;1\nXX-1;2025;1\nUF-LAS-01;år;x\n")

    with pytest.raises(CommandError, match=r"^2 rows of matt.csv are bad; nothing was imported.$"):
        run(str(path))

    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_measurements", str(path), stdout=io.StringIO(), stderr=err)
    assert err.getvalue().splitlines() == [
        "Line 3: No indicator has the code “XX-1”.",
        "Line 4: The year “år” is not a number.",
        "Line 4: The value “x” is not a number.",
    ]
    assert Measurement.objects.count() == 0


def test_the_command_refuses_a_file_it_cannot_read(english, tmp_path):
    path = tmp_path / "matt.csv"
    path.write_text("indicator;value\nUF-LAS-01;1\n")
    with pytest.raises(CommandError, match=r"^The file has no “year” \(or “år”\) column.$"):
        run(str(path))
    with pytest.raises(CommandError, match="cannot be read"):
        run(str(tmp_path / "saknas.csv"))


# The pages


@pytest.fixture
def staff(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("stina", password="x", is_staff=True))
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def test_upload_preview_and_confirm(staff, reading):
    Measurement.objects.create(indicator=reading, year=2025, value=Decimal(10), source=IndicatorSource.SURVEY)
    Measurement.objects.create(indicator=reading, year=2025, gender="K", value=Decimal(9), source="survey")
    file = csv_file(
        "indicator;year;gender;value\nUF-LAS-01;2025;T;12,5\nUF-LAS-01;2025;K;9\nUF-LAS-01;2024;T;8\n",
        "vår.csv",
    )

    preview = staff.post(URL, {"file": file})

    assert preview.status_code == 200
    assert [(row.line, row.action) for row in preview.context["changes"]] == [
        (2, Action.CHANGED),
        (4, Action.NEW),
    ]
    html = preview.content.decode()
    assert "Import 2 values" in html
    assert "1 value is already as in the file and stays as it is." in html
    assert stored()[0][4] == Decimal(10)  # nothing written yet

    done = staff.post(URL, {"token": preview.context["token"]}, follow=True)

    assert done.redirect_chain == [(reverse("goals:import-measurements"), 302)]
    assert "vår.csv was imported: 1 new, 1 changed, 1 unchanged." in done.content.decode()
    assert stored() == [
        ("UF-LAS-01", 2025, None, "T", Decimal("12.5"), ""),
        ("UF-LAS-01", 2025, None, "K", Decimal(9), ""),
        ("UF-LAS-01", 2024, None, "T", Decimal(8), ""),
    ]
    batch = MeasurementImport.objects.get()
    assert (batch.description, batch.imported_by.username) == ("vår.csv", "stina")
    # The preview is imported once: its token is spent.
    again = staff.post(URL, {"token": preview.context["token"]})
    assert "This preview has expired" in again.content.decode()
    assert MeasurementImport.objects.count() == 1


def test_an_excel_workbook_through_the_page(staff, reading):
    file = xlsx_file([["indikator", "år", "värde"], ["UF-LAS-01", 2025, 3.5]])
    preview = staff.post(URL, {"file": file})
    staff.post(URL, {"token": preview.context["token"]})
    assert stored() == [("UF-LAS-01", 2025, None, "T", Decimal("3.5"), "")]


def test_the_preview_of_a_bad_file_shows_every_bad_row_and_offers_no_import(staff, reading):
    file = csv_file("indicator;year;value\nUF-LAS-01;2025;1\nXX;2025;1\nUF-LAS-01;2024;x\n")

    preview = staff.post(URL, {"file": file})

    html = preview.content.decode()
    assert preview.context["token"] is None
    assert preview.context["plan"].bad_rows == [
        (3, "No indicator has the code “XX”."),
        (4, "The value “x” is not a number."),
    ]
    assert "No indicator has the code “XX”." in html
    assert "The value “x” is not a number." in html
    assert 'name="token"' not in html
    assert 'name="file"' in html  # a new upload form instead
    assert "The file has 2 problems, so nothing can be imported." in html
    assert Measurement.objects.count() == 0


def test_a_file_that_cannot_be_read_is_an_error_on_the_upload_page(staff):
    response = staff.post(URL, {"file": csv_file("indicator;value\nUF-LAS-01;1\n")})
    assert response.status_code == 200
    assert response.context["form"].errors == {"file": ["The file has no “year” (or “år”) column."]}
    assert 'role="alert"' in response.content.decode()
    response = staff.post(URL, {"file": csv_file("%PDF\x00", "rapport.pdf")})
    assert response.context["form"].errors == {
        "file": ["The file is neither a CSV file nor an Excel workbook (.xlsx)."]
    }


def test_a_file_where_nothing_changes(staff, reading):
    Measurement.objects.create(indicator=reading, year=2025, value=Decimal(1), source=IndicatorSource.SURVEY)
    preview = staff.post(URL, {"file": csv_file("indicator;year;value\nUF-LAS-01;2025;1\n")})
    html = preview.content.decode()
    assert preview.context["token"] is None
    assert "there is nothing to import" in html
    assert 'name="token"' not in html


# Whose values: those responsible for the goals an indicator measures (goals.write_indicator_values)


@pytest.fixture
def responsible(group, year, reading, satisfaction):
    """The education administration's manager: reading measures its goal, satisfaction a goal of
    the care committee's."""
    vision = add_goal(Level.VISION, "Sjöstad – hållbart och nära", group.council, period=year)
    strategic = add_goal(Level.STRATEGIC, "Ett gott liv", group.council, vision)
    body = add_goal(Level.BODY, "Fler elever klarar kunskapskraven", group.committee, strategic)
    reading.goals.set([add_goal(Level.OPERATIONAL, "Tidiga insatser i läsning", group.administration, body)])
    satisfaction.goals.set([add_goal(Level.BODY, "En trygg äldreomsorg", group.other_committee, strategic)])
    return member_of(group.administration, "karin")


@pytest.fixture
def manager(client, responsible):
    client.force_login(responsible)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


REFUSED_SATISFACTION = (
    "You may not enter values for “OF-NKI-02” (Nöjd kundindex hemtjänst): only those responsible for "
    "the goals it measures may."
)


def test_the_preview_lists_the_rows_of_indicators_one_may_not_write_and_offers_no_import(manager):
    file = csv_file("indicator;year;value\nUF-LAS-01;2025;12\nOF-NKI-02;2025;1\nOF-NKI-02;2024;x\n")

    preview = manager.post(URL, {"file": file})

    assert preview.status_code == 403
    assert preview.context["token"] is None
    assert preview.context["plan"].bad_rows == [
        (3, REFUSED_SATISFACTION),
        (4, REFUSED_SATISFACTION),
        (4, "The value “x” is not a number."),
    ]
    assert preview.context["plan"].refused == ("OF-NKI-02",)
    html = preview.content.decode()
    assert REFUSED_SATISFACTION in html
    assert "The file has 3 problems, so nothing can be imported." in html
    assert 'name="token"' not in html
    assert not Measurement.objects.exists()


def test_a_preview_whose_indicator_is_no_longer_ones_own_imports_nothing(manager, reading, english):
    preview = manager.post(URL, {"file": csv_file("indicator;year;value\nUF-LAS-01;2025;12\n")})
    assert preview.status_code == 200
    reading.goals.clear()  # it measures no goal now: staff's alone

    confirmed = manager.post(URL, {"token": preview.context["token"]})

    assert confirmed.status_code == 403
    assert confirmed.context["plan"].bad_rows == [
        (
            2,
            "You may not enter values for “UF-LAS-01” (Läsförståelse åk 3): only those responsible for "
            "the goals it measures may.",
        )
    ]
    assert not Measurement.objects.exists()
    assert not MeasurementImport.objects.exists()


def test_the_command_line_imports_any_indicators_values(responsible, english, tmp_path):
    path = tmp_path / "matt.csv"
    path.write_text("indicator;year;value\nOF-NKI-02;2025;80\n")
    run(str(path))
    assert stored() == [("OF-NKI-02", 2025, None, "T", Decimal(80), "")]


@pytest.mark.parametrize("size", [2, 40])
def test_planning_for_a_manager_takes_three_queries_however_many_indicators(
    group, responsible, django_assert_num_queries, size
):
    own, others = (
        Goal.objects.get(org_unit=group.administration),
        Goal.objects.get(org_unit=group.other_committee),
    )
    rows = []
    for number in range(size):
        Indicator.objects.create(code=f"SK-{number:02d}", name=f"Indikator {number}").goals.set(
            [own if number % 2 else others]
        )
        rows.append(MeasurementRow(line=number + 2, indicator=f"SK-{number:02d}", year="2025", value="1"))
    memberships_of(responsible)  # read once a request, by the page's own permission check
    # the indicators with whether the manager may write each, the reporting periods, the values there
    with django_assert_num_queries(3):
        plan = measurements_plan(rows=rows, by=responsible)
    assert (plan.count(Action.NEW), plan.bad_line_count) == (size // 2, size // 2)
    assert plan.refused == tuple(f"SK-{number:02d}" for number in range(0, size, 2))


def test_an_unknown_token_asks_for_the_file_again(staff):
    response = staff.post(URL, {"token": "okänd"})
    assert response.status_code == 200
    assert response.context["problem"] == (
        "This preview has expired or has already been imported. Upload the file again."
    )
    assert 'name="file"' in response.content.decode()


def test_the_preview_of_a_large_file_lists_the_first_changes_and_counts_them_all(staff, reading, shown_five):
    file = csv_file("indicator;year;value\n" + "".join(f"UF-LAS-01;{2000 + n};{n}\n" for n in range(12)))

    preview = staff.post(URL, {"file": file})

    assert [row.line for row in preview.context["changes"]] == [2, 3, 4, 5, 6]
    html = preview.content.decode()
    assert "The file adds or changes 12 values. Nothing has been imported yet." in html
    assert "… and 7 more." in html
    assert "Import 12 values" in html

    staff.post(URL, {"token": preview.context["token"]})

    assert MeasurementImport.objects.get().created == 12
    assert Measurement.objects.count() == 12


def test_the_preview_of_many_bad_rows_lists_the_first_and_counts_them_all(staff, reading, shown_five):
    preview = staff.post(URL, {"file": many_bad_rows()})

    html = preview.content.decode()
    assert len(preview.context["plan"].bad_rows) == 5
    assert "The file has 24 problems, so nothing can be imported." in html
    assert "… and 19 more." in html
    assert preview.context["token"] is None


def test_a_preview_keeps_its_rows_compressed_in_the_session():
    rows = [
        MeasurementRow(
            line=line, indicator=f"SK-{line % 40:02d}", year="2025", value=f"{line},5", comment=comment
        )
        for line in range(2, 5002)
        for comment in (None if line % 2 else "Västra skolans värde",)
    ]
    session = {}

    token = preview_keep(session=session, rows=rows, file_name="stor.csv")

    as_json = len(json.dumps([row.as_json() for row in rows]))
    assert len(json.dumps(session)) < as_json / 5
    file_name, staged = preview_take(session=session, token=token)
    assert (file_name, list(staged), list(staged)) == ("stor.csv", rows, rows)
    assert preview_take(session=session, token=token) is None


def test_a_preview_kept_by_an_older_version_has_expired():
    session = {SESSION_KEY: {"gammal": {"file_name": "matt.csv", "rows": [[2, "UF-LAS-01", "2025", "1"]]}}}
    assert preview_take(session=session, token="gammal") is None


@pytest.mark.parametrize("role", ["manager", "editor"])
def test_a_manager_or_editor_of_any_unit_may_import(client, group, role):
    client.force_login(member_of(group.school, "kim", role=role))
    assert client.get(URL).status_code == 200


def test_staff_may_import(staff):
    response = staff.get(URL)
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in response.content.decode()


def test_a_politician_may_not_import(client, group, reading):
    client.force_login(member_of(group.committee, "eva", role="politician", position="chair"))
    assert client.get(URL).status_code == 403
    response = client.post(URL, {"file": csv_file("indicator;year;value\nUF-LAS-01;2025;1\n")})
    assert response.status_code == 403


def test_an_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert (response.status_code, response["Location"]) == (302, f"{reverse('login')}?next={URL}")
