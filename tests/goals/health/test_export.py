"""The chain's health as Excel: the page's findings for the same visitor, all of them, counted per
organisation and kind; every text written as text, so a title that looks like a formula stays text."""

import datetime
from io import BytesIO

import pytest
from django.urls import reverse
from hypothesis import example, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from goals.chain.models import Period
from goals.health.export import health_workbook
from goals.health.findings import ChainHealth, Finding
from goals.health.kinds import KIND_OF, KINDS, FindingKind
from goals.models import Goal
from goals.views import health as health_views
from orgunits.kinds import Kind
from orgunits.models import OrgUnit
from tests.kit.chain import grow_chain
from tests.kit.people import member_of

HYPERLINK = '=HYPERLINK("http://x","y")'


def workbook(client, **params):
    response = client.get(reverse("goals:health-export"), params)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return load_workbook(BytesIO(response.content))


def rows(sheet) -> list[list]:
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


@pytest.mark.django_db
def test_a_signed_in_controller_gets_every_finding_with_its_link(client, gaps, signed_in):
    client.force_login(signed_in)
    book = workbook(client, period=gaps.period.year)
    assert book.sheetnames == ["Översikt", "Brister"]
    findings = rows(book["Brister"])
    assert findings[0] == ["Slag av brist", "Organisation", "Enhet", "Vad", "Detaljer", "Datum", "Länk"]
    owner, revision = findings[1:]
    assert owner[:4] == [
        str(KIND_OF[FindingKind.GOAL_WITHOUT_OWNER].title),
        "Utbildningsförvaltningen",
        gaps.department_goal.org_unit.name,
        gaps.department_goal.title,
    ]
    assert owner[6] == f"http://testserver/goals/{gaps.department_goal.pk}/"
    assert revision[3] == gaps.operational.title
    assert revision[5] == datetime.datetime(2020, 1, 1)  # the day the change began to wait, as a date
    summary = rows(book["Översikt"])
    titles = [str(kind.title) for kind in KINDS]
    assert summary[2] == ["Organisation", *titles, "Alla"]
    counts = [0] * len(KINDS)
    counts[KINDS.index(KIND_OF[FindingKind.GOAL_WITHOUT_OWNER])] = 1
    counts[KINDS.index(KIND_OF[FindingKind.REVISION_WAITING])] = 1
    assert summary[3:] == [["Utbildningsförvaltningen", *counts, 2], ["Alla", *counts, 2]]


@pytest.mark.django_db
def test_the_public_gets_the_findings_about_decided_goals(client, gaps):
    book = workbook(client, period=gaps.period.year)
    assert [row[3] for row in rows(book["Brister"])[1:]] == [gaps.department_goal.title]
    assert rows(book["Översikt"])[2] == ["Organisation", *(str(k.title) for k in KINDS if k.public), "Alla"]


@pytest.mark.django_db
def test_a_unit_narrows_the_export_to_its_part_of_the_group(client, gaps, group):
    assert rows(workbook(client, period=gaps.period.year, unit=group.company.slug)["Brister"])[1:] == []


@pytest.mark.django_db
def test_the_page_links_to_the_export_of_what_it_shows(client, gaps, group):
    response = client.get(
        reverse("goals:health"), {"period": gaps.period.year, "unit": group.administration.slug}
    )
    export = f"/goals/health/export/?period={gaps.period.year}&amp;unit={group.administration.slug}"
    assert f'href="{export}">Exportera till Excel</a>' in response.content.decode()


@pytest.mark.django_db
def test_past_the_page_s_limit_the_page_counts_them_all_and_points_to_the_export(
    client, healthy, group, monkeypatch
):
    monkeypatch.setattr(health_views, "SHOWN_PER_KIND", 2)
    grow_chain(healthy, 40)  # five operational goals without an owner, among other findings
    response = client.get(reverse("goals:health"), {"period": healthy.period.year})
    [(kind, shown, more)] = [
        section for section in response.context["sections"] if section[0].code == "goal_without_owner"
    ]
    everything = response.context["health"].of_kind("goal_without_owner")
    assert (shown, more) == (everything[:2], len(everything) - 2)
    html = response.content.decode()
    assert f'<h3 id="kind-goal_without_owner">{kind.title} ({len(everything)})</h3>' in html
    export = f"/goals/health/export/?period={healthy.period.year}"
    assert (
        f'Och ytterligare {more} – Excelexporten innehåller alla. <a href="{export}">Exportera till Excel</a>'
        in html
    )
    assert len(rows(workbook(client, period=healthy.period.year)["Brister"])) == 1 + len(
        response.context["health"].findings
    )


@pytest.mark.django_db
@pytest.mark.parametrize("params", [{"unit": "no-such-unit"}, {"period": "1999"}, {"period": "abc"}])
def test_an_unknown_unit_or_year_is_not_found(client, healthy, params):
    assert client.get(reverse("goals:health-export"), params).status_code == 404


@pytest.mark.django_db
def test_a_portal_without_years_has_nothing_to_export(client):
    assert client.get(reverse("goals:health-export")).status_code == 404


@pytest.mark.django_db
def test_a_title_like_a_formula_stays_text(client, gaps):
    Goal.objects.filter(pk=gaps.department_goal.pk).update(title=HYPERLINK)
    cell = workbook(client, period=gaps.period.year)["Brister"]["D2"]
    assert (cell.value, cell.data_type, cell.quotePrefix) == (HYPERLINK, "s", True)


@pytest.mark.django_db
@pytest.mark.parametrize("size", [20, 80])
def test_the_export_takes_the_same_queries_however_large_the_chain(
    client, healthy, group, size, django_assert_num_queries
):
    grow_chain(healthy, size)  # goals without owner, indicator or process: many findings
    client.force_login(member_of(group.administration, "karin"))
    # The session and the user; the years; the unit; the organisations; one query per kind (13); the
    # year's reporting periods for the overdue kind: 2 + 1 + 1 + 1 + 13 + 1 = 19.
    with django_assert_num_queries(19):
        book = workbook(client, period=healthy.period.year, unit=group.committee.slug)
    exported = [row[3] for row in rows(book["Brister"])[1:]]
    assert f"Verksamhetsmål {size - 5}" in exported  # the last operational goal grown: nothing left out


# Any text a person typed comes out of the workbook as that text, never as a formula --------------

UNIT = OrgUnit(pk=1, name="Förvaltningen", slug="forvaltningen", path="00010001", kind=Kind.ADMINISTRATION)


@settings(max_examples=60, deadline=None)
@given(subject=st.text(), detail=st.text(), unit_name=st.text())
@example(subject=HYPERLINK, detail="+1", unit_name="@SUM(A1)")
@example(subject="-2+3", detail="\tx", unit_name="\rx")
def test_every_text_is_written_as_the_text_typed(subject, detail, unit_name):
    unit = OrgUnit(pk=2, name=unit_name, slug="u", path="000100010001", kind=Kind.DEPARTMENT)
    kind = KIND_OF[FindingKind.GOAL_WITHOUT_OWNER]
    health = ChainHealth(
        period=Period(year=2027),
        unit=None,
        kinds=KINDS,
        findings=[Finding(kind, subject, lambda: "/goals/1/", unit, UNIT, detail, None)],
    )
    buffer = BytesIO()
    health_workbook(health, scope="=1+1", link=lambda url: "=" + url).save(buffer)
    sheet = load_workbook(BytesIO(buffer.getvalue())).worksheets[1]  # the findings
    written = [sheet.cell(2, column) for column in (3, 4, 5, 7)]
    # Text as typed, but for control characters, left out, and line ends, which XML reads as one.
    assert [cell.value or "" for cell in written] == [
        ILLEGAL_CHARACTERS_RE.sub("", text).replace("\r\n", "\n").replace("\r", "\n")
        for text in (unit_name, subject, detail, "=/goals/1/")
    ]
    assert all(cell.data_type == "s" for cell in written if cell.value)
