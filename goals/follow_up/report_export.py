"""The follow-up report as an Excel workbook: the same goals, grades, commentary and indicators as
the report page, one sheet each for the summary, the goals and the indicators."""

from __future__ import annotations

from io import BytesIO

from django.http import HttpResponse
from django.utils.text import slugify
from django.utils.translation import gettext
from openpyxl import Workbook
from openpyxl.styles import Font

from goals.exports import append_headings, append_row, fit_columns
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
        append_headings(summary, [heading, *(str(grade.label) for grade in Attainment), gettext("Goals")])
        for row in rows:
            append_row(summary, [row.name, *row.counts, row.total])

    goals = workbook.create_sheet(gettext("Goals"))
    append_headings(
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
    append_headings(
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
        fit_columns(sheet)
    return workbook


def report_workbook_response(report: Report, *, unit=None, process=None) -> HttpResponse:
    scope = unit.name if unit else process.name if process else gettext("The whole group")
    buffer = BytesIO()
    report_workbook(report, scope=scope).save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    name = slugify(f"{report.reporting_period} {scope}")
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response
