"""The follow-up report as an Excel workbook: the same goals, grades, commentary and indicators as
the report page, one sheet each for the summary, the goals and the indicators."""

from __future__ import annotations

from io import BytesIO

from django.http import HttpResponse
from django.utils.text import slugify
from django.utils.translation import gettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from goals.exports import append_row
from goals.follow_up.grading import Attainment
from goals.follow_up.reporting import Report

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def report_workbook(report: Report, *, scope: str) -> Workbook:
    workbook = Workbook()
    summary = workbook.active
    summary.title = gettext("Summary")
    append_row(summary, [str(report.reporting_period), scope])
    summary["A1"].font = Font(bold=True, size=14)
    for heading, rows in (
        (gettext("Level"), report.by_level),
        (gettext("Organisation"), report.by_organisation),
    ):
        append_row(summary, [])
        _headings(summary, [heading, *(str(grade.label) for grade in Attainment), gettext("Goals")])
        for row in rows:
            append_row(summary, [row.name, *row.counts, row.total])

    goals = workbook.create_sheet(gettext("Goals"))
    _headings(
        goals,
        [
            gettext("Level"),
            gettext("Goal"),
            gettext("Unit"),
            gettext("Grade"),
            gettext("Commentary"),
            gettext("Next steps"),
            gettext("What the indicators suggest"),
            gettext("The goals below"),
            gettext("Status"),
        ],
    )
    for assessment in report.assessments:
        follow_up = assessment.follow_up
        append_row(
            goals,
            [
                assessment.goal.get_level_display(),
                assessment.goal.title,
                assessment.goal.org_unit.name,
                str(Attainment(assessment.grade).label),
                follow_up.commentary if follow_up else "",
                follow_up.next_steps if follow_up else "",
                str(assessment.suggested.label),
                str(assessment.roll_up.label),
                follow_up.get_status_display() if follow_up else gettext("Not reported yet."),
            ],
        )

    indicators = workbook.create_sheet(gettext("Indicators"))
    _headings(
        indicators,
        [
            gettext("Goal"),
            gettext("Indicator"),
            gettext("Unit of measure"),
            gettext("Target"),
            gettext("Value"),
            gettext("Grade"),
        ],
    )
    for assessment in report.assessments:
        for result in assessment.indicators:
            append_row(
                indicators,
                [
                    assessment.goal.title,
                    result.indicator.name,
                    result.indicator.unit_of_measure,
                    result.reading.target,
                    result.reading.value,
                    str(result.grade.label),
                ],
            )
    for sheet in workbook.worksheets:
        _fit_columns(sheet)
    return workbook


def report_workbook_response(report: Report, *, unit=None, process=None) -> HttpResponse:
    scope = unit.name if unit else process.name if process else gettext("The whole group")
    buffer = BytesIO()
    report_workbook(report, scope=scope).save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    name = slugify(f"{report.reporting_period} {scope}")
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


def _headings(sheet, headings: list[str]) -> None:
    append_row(sheet, headings)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)


def _fit_columns(sheet) -> None:
    """Wide enough for the text, wrapping the long commentary instead of a column a screen wide."""
    for index, column in enumerate(sheet.iter_cols(), start=1):
        longest = max((len(str(cell.value)) for cell in column if cell.value is not None), default=8)
        sheet.column_dimensions[get_column_letter(index)].width = min(max(longest + 2, 10), 60)
        for cell in column:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
