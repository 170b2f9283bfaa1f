"""Importing measurements from a CSV file or an Excel workbook: all or nothing, with a preview."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from goals.measurement_import import (
    Action,
    MeasurementRow,
    measurements_import,
    measurements_plan,
    measurements_plan_file,
)
from goals.models import (
    Indicator,
    IndicatorSource,
    Measurement,
    MeasurementImport,
    Period,
    ReportingPeriod,
    ReportingPeriodKind,
)
from tests.conftest import member_of
from tests.goals.measurement_files import csv_file, xlsx_file

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
    return django_user_model.objects.create_user("ingrid", password="x")


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
    return measurements_import(plan=measurements_plan_file(file=file), by=by, file_name=file.name)


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
    plan = measurements_plan_file(file=file)
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
    plan = measurements_plan_file(file=file)
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
    plan = measurements_plan_file(file=file)
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
    plan = measurements_plan_file(file=file)
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
    assert measurements_plan_file(file=file).bad_rows == [
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
    plan = measurements_plan_file(file=csv_file(content))
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
    [message] = measurements_plan_file(file=io.BytesIO(data)).problems
    assert message.startswith(problem)


def test_too_many_rows(english, reading, settings):
    rows = "".join(f"UF-LAS-01;{2000 + index % 100};;T;{index}\n" for index in range(10_001))
    plan = measurements_plan_file(file=csv_file("indicator;year;reporting_period;gender;value\n" + rows))
    assert plan.problems == ("The file has more than 10000 rows of measurements.",)


def test_planning_takes_three_queries_whatever_the_number_of_rows(reading, django_assert_num_queries):
    for size in (1, 20):
        rows = [
            MeasurementRow(line=line, indicator="UF-LAS-01", year="2025", value="1") for line in range(size)
        ]
        # the indicators, the reporting periods of the years, the values already there
        with django_assert_num_queries(3):
            measurements_plan(rows=rows)


# Importing


def test_one_bad_row_imports_nothing(english, reading):
    plan = measurements_plan_file(file=csv_file("indicator;year;value\nUF-LAS-01;2025;1\nUF-LAS-01;2024;x\n"))
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
    plan = measurements_plan_file(file=csv_file("indicator;year;value\nUF-LAS-01;2025;12,5\n"))
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
    plan = measurements_plan_file(file=csv_file("indicator;year;value;comment\nUF-LAS-01;2025;1,000;Ny\n"))
    assert actions(plan) == [(2, Action.CHANGED, Decimal(1), Decimal(1))]


def test_the_import_counts_what_the_database_holds_when_it_writes(reading):
    plan = measurements_plan_file(file=csv_file("indicator;year;value\nUF-LAS-01;2025;5\nUF-LAS-01;2024;6\n"))
    # Someone enters the first value between the preview and the import.
    Measurement.objects.create(indicator=reading, year=2025, value=Decimal(5), source=IndicatorSource.SURVEY)

    batch = measurements_import(plan=plan, by=None, file_name="matt.csv")

    assert (batch.created, batch.updated, batch.unchanged) == (1, 0, 1)
    assert stored() == [
        ("UF-LAS-01", 2025, None, "T", Decimal(5), ""),
        ("UF-LAS-01", 2024, None, "T", Decimal(6), ""),
    ]


def test_an_indicator_deleted_since_the_preview_refuses_the_import(english, reading, satisfaction):
    plan = measurements_plan_file(file=csv_file("indicator;year;value\nUF-LAS-01;2025;5\nOF-NKI-02;2025;6\n"))
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


def test_an_unknown_token_asks_for_the_file_again(staff):
    response = staff.post(URL, {"token": "okänd"})
    assert response.status_code == 200
    assert response.context["problem"] == (
        "This preview has expired or has already been imported. Upload the file again."
    )
    assert 'name="file"' in response.content.decode()


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
