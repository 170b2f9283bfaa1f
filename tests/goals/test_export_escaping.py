"""The downloads write text as text: a title, a commentary or a name that begins like a formula
(``=``, ``+``, ``-``, ``@``, a tab, a carriage return) is shown by a spreadsheet as the text typed,
never run as a formula (CSV or formula injection), while numbers stay numbers."""

import csv
import datetime
from decimal import Decimal
from io import BytesIO, StringIO

import pytest
from django.urls import reverse
from hypothesis import example, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from goals.exports import append_row, csv_row
from goals.follow_up.grading import Attainment
from goals.models import (
    FollowUp,
    Goal,
    Indicator,
    Measurement,
    ReportingPeriod,
    ReportingPeriodKind,
    ReviewStatus,
    Target,
)
from orgunits.models import OrgUnit
from processes.models import Process, ProcessKind
from tests.kit.people import member_of

HYPERLINK = '=HYPERLINK("http://x","y")'
FORMULAS = [HYPERLINK, "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]


def rename(unit: OrgUnit, name: str) -> None:
    OrgUnit.objects.filter(pk=unit.pk).update(name=name)


def matrix_csv(client) -> list[list[str]]:
    """The matrix download as the rows a spreadsheet reads from it."""
    response = client.get(reverse("goals:matrix"), {"format": "csv"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


@pytest.mark.django_db
def test_the_matrix_csv_writes_names_that_look_like_formulas_as_text(client, chain, group):
    for name in FORMULAS:
        process = Process.objects.create(kind=ProcessKind.MAIN, name=name, owning_unit=group.committee)
        chain.operational.processes.add(process)
    rename(group.company, "=cmd|' /C calc'!A0")
    rows = matrix_csv(client)
    assert rows[0] == [
        "Process",
        "Typ",
        "Fullmäktige, styrelse och nämnder",
        "Utbildningsförvaltningen",
        "'=cmd|' /C calc'!A0",
        "Bostäder AB",
        "Räddningstjänsten",
    ]
    # The database's collation orders names of punctuation differently (SQLite by code point,
    # PostgreSQL by locale), so the rows are compared whatever their order.
    assert sorted(rows[1:]) == sorted(
        [f"'{name}", "Huvudprocess", "0", "1", "0", "0", "0"] for name in FORMULAS
    )


@pytest.mark.django_db
def test_the_matrix_csv_leaves_ordinary_names_and_the_counts_alone(client, chain, group):
    process = Process.objects.create(
        kind=ProcessKind.MAIN, name="Lärande – 2+3 år", owning_unit=group.committee
    )
    chain.operational.processes.add(process)
    assert matrix_csv(client)[1] == ["Lärande – 2+3 år", "Huvudprocess", "0", "1", "0", "0", "0"]


def annual(chain) -> ReportingPeriod:
    return ReportingPeriod.objects.get(period=chain.period, kind=ReportingPeriodKind.ANNUAL)


@pytest.fixture
def report_with_formulas(client, chain, group, this_year):
    """The report of a chain whose goals' titles, one follow-up, an indicator and an organisation
    begin like formulas, downloaded by the administration's manager as an Excel workbook."""
    titled = [
        chain.strategic,
        chain.body,
        chain.operational,
        chain.department_goal,
        chain.company_goal,
        chain.subsidiary_goal,
    ]
    for goal, title in zip(titled, FORMULAS, strict=True):
        Goal.objects.filter(pk=goal.pk).update(title=title)
    rename(group.company, "@Stadshus AB")
    karin = member_of(group.administration, "karin")
    FollowUp.objects.create(
        goal=chain.operational,
        reporting_period=annual(chain),
        attainment=Attainment.PARTLY,
        commentary=HYPERLINK,
        next_steps="@SUM(A1)",
        status=ReviewStatus.SUBMITTED,
        reported_by=karin,
    )
    indicator = Indicator.objects.create(code="UF-01", name="+Elever som läser", unit_of_measure="-")
    indicator.goals.add(chain.operational)
    Target.objects.create(indicator=indicator, year=this_year, value=Decimal("-2.5"))
    Measurement.objects.create(indicator=indicator, year=this_year, value=-3, source="manual")
    client.force_login(karin)
    response = client.get(reverse("goals:report"), {"reporting_period": annual(chain).pk, "format": "xlsx"})
    return load_workbook(BytesIO(response.content))


def as_seen(cell) -> tuple:
    """What a spreadsheet reads from a cell: its type (s: text, n: number, f: formula), its value,
    and whether it keeps a formula-like text as text when edited (Excel's quote prefix)."""
    return (cell.data_type, cell.value, bool(cell.quotePrefix))


# The carriage return comes back as a line feed: XML, which a workbook is written in, reads every
# line end as one (Excel and openpyxl alike). It is text either way.
AS_TEXT = [("s", title, True) for title in [HYPERLINK, "+1", "-2+3", "@SUM(A1)", "\tx", "\nx"]]


@pytest.mark.django_db
def test_the_excel_report_writes_titles_that_look_like_formulas_as_text(report_with_formulas):
    goals = list(report_with_formulas["Mål"].iter_rows(min_row=2))
    assert [as_seen(title) for _level, title, *_rest in goals] == AS_TEXT
    assert as_seen(goals[4][2]) == ("s", "@Stadshus AB", True)  # the unit of the company's goal
    # The commentary and the next steps of the administration's goal.
    assert [as_seen(cell) for cell in goals[2][4:6]] == [("s", HYPERLINK, True), ("s", "@SUM(A1)", True)]


@pytest.mark.django_db
def test_the_excel_report_keeps_numbers_numbers(report_with_formulas):
    [indicator] = report_with_formulas["Indikatorer"].iter_rows(min_row=2)
    assert [as_seen(cell) for cell in indicator[:5]] == [
        ("s", "-2+3", True),
        ("s", "+Elever som läser", True),
        ("s", "-", True),
        ("n", -2.5, False),
        ("n", -3, False),
    ]
    summary = {row[0].value: [as_seen(cell) for cell in row[1:]] for row in report_with_formulas["Översikt"]}
    # The organisation's name is text; its counts of goals per grade, and in all, are numbers.
    assert summary["@Stadshus AB"] == [("n", 0, False)] * 3 + [("n", 1, False)] * 2


def test_formula_like_text_gets_a_quote_in_csv_and_nothing_else_does():
    row = ["=1+1", "+46 8 123", "-", "@x", "\tx", "\rx", "", "a=b", "'=", -3, -2.5, Decimal("-1.5"), None]
    assert csv_row(row) == [
        "'=1+1",
        "'+46 8 123",
        "'-",
        "'@x",
        "'\tx",
        "'\rx",
        "",
        "a=b",
        "'=",
        -3,
        -2.5,
        Decimal("-1.5"),
        None,
    ]


SIGNS = ("=", "+", "-", "@", "\t", "\r")
TEXT = st.one_of(st.text(), st.builds(lambda sign, text: sign + text, st.sampled_from(SIGNS), st.text()))
# A workbook leaves out the control characters XML has no place for (a cell left empty is no text).
WORKBOOK_TEXT = TEXT.filter(lambda text: ILLEGAL_CHARACTERS_RE.sub("", text))
NUMBERS = st.one_of(
    st.integers(min_value=-(2**53), max_value=2**53),
    st.floats(min_value=-1e307, max_value=1e307),  # about the largest numbers Excel holds
    st.decimals(allow_nan=False, allow_infinity=False, places=3, min_value=-(10**11), max_value=10**11),
)


def csv_round_trip(values) -> list[str]:
    """The values written as a row of the portal's CSV, as a spreadsheet reads them back."""
    buffer = StringIO()
    csv.writer(buffer, delimiter=";").writerow(csv_row(values))
    [row] = csv.reader(StringIO(buffer.getvalue()), delimiter=";")
    return row


def workbook_round_trip(values) -> list:
    """The values written as a row of the portal's workbooks, as read back from the saved file."""
    workbook = Workbook()
    append_row(workbook.active, values)
    buffer = BytesIO()
    workbook.save(buffer)
    return list(load_workbook(buffer).active[1])


@settings(deadline=None)
@given(TEXT)
def test_any_text_in_csv_reads_back_as_written_behind_a_quote_at_most(text):
    [field] = csv_round_trip([text])
    assert field == (f"'{text}" if text.startswith(SIGNS) else text)
    assert not field.startswith(SIGNS)


@settings(deadline=None)
@given(WORKBOOK_TEXT)
@example("#N/A")  # which openpyxl would store as an error value
@example(HYPERLINK)
@example("\x01=1+1")  # a pasted control character, which openpyxl would refuse the whole file for
def test_any_text_in_a_workbook_reads_back_as_text_never_a_formula(text):
    [cell] = workbook_round_trip([text])
    # Text as written, but for control characters, left out, and the line ends, which XML reads as
    # one (see AS_TEXT).
    written = ILLEGAL_CHARACTERS_RE.sub("", text).replace("\r\n", "\n").replace("\r", "\n")
    assert as_seen(cell) == ("s", written, ILLEGAL_CHARACTERS_RE.sub("", text).startswith(SIGNS))


@settings(deadline=None)
@given(NUMBERS)
def test_any_number_stays_a_number(number):
    assert csv_round_trip([number]) == [str(number)]
    [cell] = workbook_round_trip([number])
    # openpyxl writes 16 significant digits of a float (Excel itself keeps 15).
    assert (cell.data_type, cell.value) == ("n", pytest.approx(float(number), rel=1e-15))


@settings(deadline=None)
@given(st.dates(min_value=datetime.date(1900, 3, 1)))  # Excel counts days from 1900
def test_any_date_stays_a_date(date):
    assert csv_round_trip([date]) == [str(date)]
    [cell] = workbook_round_trip([date])
    assert (cell.is_date, cell.value) == (True, datetime.datetime.combine(date, datetime.time()))
