"""The chain's health as an Excel workbook: the counts per organisation and kind, and every finding,
however many the page lists; the same findings the page shows the same visitor."""

from __future__ import annotations

from collections.abc import Callable
from io import BytesIO

from django.http import HttpResponse
from django.utils.text import slugify
from django.utils.translation import gettext
from openpyxl import Workbook
from openpyxl.styles import Font

from goals.exports import append_headings, append_row, fit_columns
from goals.follow_up.report_export import XLSX
from goals.health.findings import ChainHealth


def health_workbook(health: ChainHealth, *, scope: str, link: Callable[[str], str]) -> Workbook:
    """Two sheets: the counts (an organisation a row, a kind shown a column, with the totals), and
    the findings, each with the address where it is mended as ``link`` makes it (absolute, so that
    it works from the file)."""
    workbook = Workbook()
    summary = workbook.active
    summary.title = gettext("Summary")
    append_row(summary, [gettext("The chain's health %(year)s") % {"year": health.period.year}, scope])
    summary["A1"].font = Font(bold=True, size=14)
    append_row(summary, [])
    append_headings(
        summary, [gettext("Organisation"), *(str(kind.title) for kind in health.kinds), gettext("All")]
    )
    for row in health.by_organisation:
        append_row(summary, [row.organisation.name, *row.counts, row.total])
    per_kind = health.count_per_kind
    append_headings(summary, [gettext("All"), *(per_kind[kind.code] for kind in health.kinds), health.count])

    findings = workbook.create_sheet(gettext("Findings"))
    append_headings(
        findings,
        [
            gettext("Kind of finding"),
            gettext("Organisation"),
            gettext("Unit"),
            gettext("What"),
            gettext("Details"),
            gettext("Date"),
            gettext("Link"),
        ],
    )
    for finding in health.findings:
        append_row(
            findings,
            [
                str(finding.kind.title),
                finding.organisation.name,
                finding.unit.name,
                finding.subject,
                finding.detail,
                finding.date,
                link(finding.url),
            ],
        )
    for cell in findings["F"][1:]:
        cell.number_format = "yyyy-mm-dd"
    for sheet in workbook.worksheets:
        fit_columns(sheet)
    return workbook


def health_workbook_response(health: ChainHealth, *, link: Callable[[str], str]) -> HttpResponse:
    scope = health.unit.name if health.unit else gettext("The whole group")
    buffer = BytesIO()
    health_workbook(health, scope=scope, link=link).save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    title = gettext("The chain's health %(year)s") % {"year": health.period.year}
    name = slugify(f"{title} {scope}")
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response
