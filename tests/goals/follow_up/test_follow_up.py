"""Following goals up: reporting periods, who reports and reviews, the suggested grade and roll-up
from the data, and the report with its Excel export."""

import datetime
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from goals.chain.levels import Level
from goals.follow_up.grading import Attainment
from goals.follow_up.reporting import REPORT_PAGE_SIZE, follow_up_report, reading_of, with_readings
from goals.follow_up.services import follow_up_return, follow_up_review, follow_up_save, follow_up_submit
from goals.models import (
    FollowUp,
    Goal,
    Indicator,
    Measurement,
    Period,
    ReportingPeriod,
    ReportingPeriodKind,
    ReviewStatus,
    Target,
)
from tests.kit.chain import add_goal, grow_chain
from tests.kit.people import member_of

pytestmark = pytest.mark.django_db

ACHIEVED, PARTLY, NOT_ACHIEVED, NOT_ASSESSED = Attainment


def reporting_period(chain, kind=ReportingPeriodKind.ANNUAL) -> ReportingPeriod:
    return ReportingPeriod.objects.select_related("period").get(period=chain.period, kind=kind)


@pytest.fixture
def reading_indicator(chain, this_year):
    """Pupils reading well in year 3: 70 % last year, 75 % this year against a target of 80 %."""
    indicator = Indicator.objects.create(
        code="UF-LAS-01", name="Elever i åk 3 som läser med flyt", unit_of_measure="%"
    )
    indicator.goals.add(chain.operational)
    Target.objects.create(indicator=indicator, year=this_year, value=80)
    for year, value in ((this_year - 1, 70), (this_year, 75)):
        Measurement.objects.create(indicator=indicator, year=year, value=value, source="manual")
    return indicator


def test_every_new_year_gets_its_three_reporting_periods(db):
    period = Period.objects.create(year=2031)
    assert [
        (each.kind, each.starts, each.ends, each.deadline)
        for each in ReportingPeriod.objects.filter(period=period)
    ] == [
        ("t1", datetime.date(2031, 1, 1), datetime.date(2031, 4, 30), datetime.date(2031, 5, 20)),
        ("interim", datetime.date(2031, 1, 1), datetime.date(2031, 8, 31), datetime.date(2031, 9, 20)),
        ("annual", datetime.date(2031, 1, 1), datetime.date(2031, 12, 31), datetime.date(2032, 2, 15)),
    ]


def read(indicator, chain, kind=ReportingPeriodKind.ANNUAL):
    """The reading from all the indicator's values, which must be the one the database reads."""
    period = reporting_period(chain, kind)
    goals = Goal.objects.filter(pk=chain.operational.pk)
    [indicator] = with_readings(goals)[0].indicators.all()
    [read_by_the_database] = with_readings(goals, period)[0].indicators.all()
    reading = reading_of(indicator, period)
    assert reading_of(read_by_the_database, period) == reading
    return reading


def test_a_reading_takes_the_years_value_the_target_and_last_years_value(chain, reading_indicator):
    reading = read(reading_indicator, chain)
    assert (reading.value, reading.target, reading.reference) == (Decimal(75), Decimal(80), Decimal(70))


def test_a_reporting_periods_own_value_comes_first(chain, reading_indicator, this_year):
    t1 = reporting_period(chain, ReportingPeriodKind.FOUR_MONTHS)
    Measurement.objects.create(
        indicator=reading_indicator, year=this_year, reporting_period=t1, value=72, source="manual"
    )
    assert read(reading_indicator, chain, ReportingPeriodKind.FOUR_MONTHS).value == Decimal(72)
    # The year's own value counts for the annual report only.
    assert read(reading_indicator, chain, ReportingPeriodKind.INTERIM).value is None


def test_without_last_year_the_baseline_is_the_reference(chain, reading_indicator, this_year):
    Measurement.objects.filter(year=this_year - 1).delete()
    reading_indicator.baseline_year, reading_indicator.baseline_value = this_year - 3, Decimal(60)
    reading_indicator.save()
    assert read(reading_indicator, chain).reference == Decimal(60)


def report_as(user, chain, status=ReviewStatus.SUBMITTED, attainment=PARTLY, goal=None):
    """Report as ``user``, who has the goal's follow-up (if any) open as it is saved now."""
    goal, period = goal or chain.operational, reporting_period(chain)
    follow_up = follow_up_save(
        version=FollowUp.objects.filter(goal=goal, reporting_period=period)
        .values_list("version", flat=True)
        .first(),
        goal=goal,
        reporting_period=period,
        by=user,
        attainment=attainment,
        commentary="Läsfrämjande insatser i alla skolor; fler elever läser med flyt.",
    )
    if status != ReviewStatus.DRAFT:
        follow_up_submit(follow_up=follow_up, by=user)
    return follow_up


def test_a_follow_up_is_reported_submitted_sent_back_and_reviewed(chain, group):
    karin = member_of(group.administration, "karin")
    # The group's manager decides the administration's operational goals too; Karin submits them.
    reviewer = member_of(group.council, "kim")
    follow_up = report_as(karin, chain)
    assert (follow_up.status, follow_up.reported_by) == (ReviewStatus.SUBMITTED, karin)
    with pytest.raises(ValidationError):  # it waits for its review
        report_as(karin, chain, status=ReviewStatus.DRAFT)
    with pytest.raises(ValidationError) as excinfo:
        follow_up_return(follow_up=follow_up, by=reviewer, comment=" ")
    assert excinfo.value.code == "comment"
    follow_up_return(follow_up=follow_up, by=reviewer, comment="Beskriv effekten, inte bara insatserna.")
    report_as(karin, chain, attainment=ACHIEVED)
    follow_up = follow_up_review(follow_up=FollowUp.objects.get(), by=reviewer)
    assert (follow_up.status, follow_up.attainment, follow_up.reviewed_by) == (
        ReviewStatus.REVIEWED,
        ACHIEVED,
        reviewer,
    )
    assert [version.status for version in follow_up.history.order_by("history_date", "history_id")] == [
        "draft",
        "submitted",
        "returned",
        "returned",
        "submitted",
        "reviewed",
    ]
    with pytest.raises(ValidationError):
        follow_up_review(follow_up=follow_up, by=reviewer)


def test_a_draft_goal_takes_no_follow_up(draft_chain, group):
    with pytest.raises(ValidationError):
        report_as(member_of(group.administration, "karin"), draft_chain)


def test_a_closed_reporting_period_takes_no_follow_up(chain, group):
    karin = member_of(group.administration, "karin")
    ReportingPeriod.objects.filter(period=chain.period).update(is_open=False)
    with pytest.raises(ValidationError):
        report_as(karin, chain)


def follow_up_url(chain, goal=None, step=""):
    """The follow-up page (a POST saves a draft), or with ``step`` the address of that step:
    "submit", "review" or "return"."""
    name = f"goals:follow-up-{step}" if step else "goals:follow-up"
    return reverse(name, args=[(goal or chain.operational).pk, reporting_period(chain).pk])


REPORT = {"attainment": "partly", "commentary": "Fler elever läser med flyt."}


@pytest.mark.parametrize(
    ("role_unit", "role", "allowed"),
    [
        ("administration", "manager", True),  # the goal's own manager
        ("administration", "editor", True),  # and its editor
        ("department", "editor", False),  # an editor below the goal's unit
        ("committee", "politician", False),
        ("other_committee", "manager", False),
    ],
)
def test_only_the_goals_managers_and_editors_report(client, chain, group, role_unit, role, allowed):
    client.force_login(member_of(getattr(group, role_unit), "someone", role=role))
    response = client.post(follow_up_url(chain, step="submit"), REPORT)
    assert response.status_code == (302 if allowed else 403)
    assert FollowUp.objects.exists() == allowed


def test_a_committees_administration_reports_on_the_committees_goal(client, chain, group):
    client.force_login(member_of(group.administration, "karin"))
    client.post(follow_up_url(chain, chain.body, "submit"), REPORT)
    assert FollowUp.objects.get().goal == chain.body


@pytest.mark.parametrize(
    ("role_unit", "role", "allowed"),
    [
        ("committee", "politician", True),  # the body that decides the goal
        ("committee", "secretary", True),
        ("other_committee", "politician", False),
        ("administration", "manager", False),  # reports it, does not review it
    ],
)
def test_only_the_goals_approvers_review(client, chain, group, role_unit, role, allowed):
    report_as(member_of(group.administration, "karin"), chain, goal=chain.body)
    client.force_login(member_of(getattr(group, role_unit), "someone", role=role))
    response = client.post(follow_up_url(chain, chain.body, "review"), {"comment": ""})
    assert response.status_code == (302 if allowed else 403)
    assert (FollowUp.objects.get().status == ReviewStatus.REVIEWED) == allowed


def test_the_follow_up_page_shows_the_grade_beside_the_suggestion_and_the_roll_up(
    client, chain, group, reading_indicator
):
    karin = member_of(group.administration, "karin")
    report_as(karin, chain, attainment=ACHIEVED, goal=chain.department_goal)
    report_as(karin, chain, attainment=NOT_ACHIEVED)
    client.force_login(karin)
    response = client.get(follow_up_url(chain))
    assessment = response.context["assessment"]
    assert (assessment.grade, assessment.suggested, assessment.roll_up) == (NOT_ACHIEVED, PARTLY, ACHIEVED)
    html = response.content.decode()
    assert "Elever i åk 3 som läser med flyt" in html
    assert '<span class="grade grade-partly">Delvis uppnått</span>' in html


@pytest.mark.parametrize("size", [20, 200])
def test_the_follow_up_page_has_the_same_query_count_at_any_size(
    client, chain, group, reading_indicator, django_assert_num_queries, size
):
    grow_chain(chain, size)
    karin = member_of(group.administration, "karin")
    for goal in chain.period.goals.filter(level=Level.OPERATIONAL):
        reading_indicator.goals.add(goal)
        report_as(karin, chain, goal=goal, attainment=ACHIEVED)
    client.force_login(karin)
    url = follow_up_url(chain, chain.department_goal)
    # 1: the session, 2: the user, 3: the goal, 4: the year's reporting periods, 5: its indicators,
    # each read in the reporting period, 6: the follow-ups of the goal and of the goals below it,
    # 7: the user's memberships. Karin submitted the follow-up, so she does not review it: who
    # decides the goal (the units above it) is not asked. 8: the count of the menu's to-do list.
    with django_assert_num_queries(8):
        response = client.get(url)
    assert response.context["assessment"].follow_up.goal == chain.department_goal
    assert response.context["assessment"].indicators[0].reading.value == Decimal(75)


def test_an_anonymous_visitor_sees_only_reviewed_follow_ups(client, chain, group):
    karin = member_of(group.administration, "karin")
    follow_up = report_as(karin, chain)
    assert client.get(follow_up_url(chain)).context["follow_up"] is None
    report = client.get(reverse("goals:report"), {"reporting_period": reporting_period(chain).pk})
    assert "Läsfrämjande insatser" not in report.content.decode()
    follow_up_review(follow_up=follow_up, by=None)
    assert client.get(follow_up_url(chain)).context["follow_up"] == follow_up
    report = client.get(reverse("goals:report"), {"reporting_period": reporting_period(chain).pk})
    assert "Läsfrämjande insatser" in report.content.decode()


def test_a_refused_report_keeps_what_was_typed(client, chain, group):
    ReportingPeriod.objects.filter(period=chain.period).update(is_open=False)
    client.force_login(member_of(group.administration, "karin"))
    for step in ("", "submit"):  # saving a draft and sending it
        response = client.post(follow_up_url(chain, step=step), REPORT)
        assert response.context["form"]["commentary"].value() == REPORT["commentary"]
        assert response.context["form"].non_field_errors() == [
            f"Årsredovisning {chain.period.year} är stängd för rapportering."
        ]
    assert not FollowUp.objects.exists()


def test_each_button_of_the_follow_up_page_posts_to_its_step(client, chain, group):
    karin = member_of(group.administration, "karin")
    client.force_login(karin)
    html = client.get(follow_up_url(chain)).content.decode()
    assert f'action="{follow_up_url(chain)}"' in html  # the form saves a draft
    assert f'formaction="{follow_up_url(chain, step="submit")}"' in html
    report_as(karin, chain, goal=chain.body)
    client.force_login(member_of(group.committee, "eva", role="politician"))
    html = client.get(follow_up_url(chain, chain.body)).content.decode()
    assert f'action="{follow_up_url(chain, chain.body, "review")}"' in html
    assert f'formaction="{follow_up_url(chain, chain.body, "return")}"' in html


def test_a_draft_is_saved_and_then_sent_for_review(client, chain, group):
    client.force_login(member_of(group.administration, "karin"))
    response = client.post(follow_up_url(chain), REPORT, follow=True)
    follow_up = FollowUp.objects.get()
    assert (follow_up.status, follow_up.commentary) == (ReviewStatus.DRAFT, REPORT["commentary"])
    assert response.redirect_chain == [(follow_up_url(chain), 302)]
    assert [str(message) for message in response.context["messages"]] == [
        "Uppföljningen är sparad som utkast."
    ]
    changed = REPORT | {"commentary": "Ändrad.", "seen_version": follow_up.version}
    response = client.post(follow_up_url(chain, step="submit"), changed, follow=True)
    follow_up = FollowUp.objects.get()
    assert (follow_up.status, follow_up.commentary) == (ReviewStatus.SUBMITTED, "Ändrad.")
    assert [str(message) for message in response.context["messages"]] == [
        "Uppföljningen skickades till Utbildningsförvaltningen för granskning."
    ]


def test_a_follow_up_is_sent_back_with_a_reason(client, chain, group):
    report_as(member_of(group.administration, "karin"), chain, goal=chain.body)
    client.force_login(member_of(group.committee, "eva", role="politician"))
    response = client.post(follow_up_url(chain, chain.body, "return"), {"comment": " "})
    assert response.status_code == 200
    assert response.context["return_form"].errors == {
        "comment": ["Skriv varför uppföljningen skickas tillbaka."]
    }
    assert FollowUp.objects.get().status == ReviewStatus.SUBMITTED
    response = client.post(follow_up_url(chain, chain.body, "return"), {"comment": "Beskriv effekten."})
    assert response["Location"] == follow_up_url(chain, chain.body)
    follow_up = FollowUp.objects.get()
    assert (follow_up.status, follow_up.return_comment) == (ReviewStatus.RETURNED, "Beskriv effekten.")


REFUSED = {
    "review": "Bara en inskickad uppföljning kan granskas.",
    "return": "Bara en inskickad uppföljning kan skickas tillbaka.",
}


def test_a_step_taken_meanwhile_is_said_on_the_page(client, chain, group):
    karin = member_of(group.administration, "karin")
    follow_up_review(follow_up=report_as(karin, chain, goal=chain.body), by=None)
    client.force_login(member_of(group.committee, "eva", role="politician"))
    for step in ("review", "return"):
        response = client.post(follow_up_url(chain, chain.body, step), {"comment": "Sent."})
        assert response.status_code == 200
        [message] = response.context["return_form"].non_field_errors()
        assert message == REFUSED[step]
    assert FollowUp.objects.get().status == ReviewStatus.REVIEWED


def test_nothing_reported_is_not_found_for_review(client, chain, group):
    client.force_login(member_of(group.committee, "eva", role="politician"))
    for step in ("review", "return"):
        assert client.post(follow_up_url(chain, chain.body, step), {"comment": "x"}).status_code == 404


@pytest.mark.parametrize("step", ["", "submit", "review", "return"])
def test_an_anonymous_post_is_sent_to_sign_in_and_a_get_of_a_step_is_refused(client, chain, group, step):
    report_as(member_of(group.administration, "karin"), chain, goal=chain.body)
    url = follow_up_url(chain, chain.body, step)
    response = client.post(url, REPORT | {"comment": "x"})
    assert response["Location"] == f"{reverse('login')}?next={url}"
    assert FollowUp.objects.get().status == ReviewStatus.SUBMITTED
    if step:  # a step is taken by a POST only
        client.force_login(member_of(group.committee, "eva", role="politician"))
        assert client.get(url).status_code == 405


def test_the_report_counts_grades_per_level_and_organisation(chain, group, reading_indicator):
    karin = member_of(group.administration, "karin")
    report_as(karin, chain, attainment=ACHIEVED, goal=chain.body)
    report_as(karin, chain, attainment=PARTLY)
    report = follow_up_report(reporting_period=reporting_period(chain), user=karin)
    assert [assessment.goal for assessment in report.assessments] == [
        chain.strategic,
        chain.body,
        chain.operational,
        chain.department_goal,
        chain.company_goal,
        chain.subsidiary_goal,
    ]
    assert [(row.name, row.counts) for row in report.by_level] == [
        ("Inriktningsmål", (0, 0, 0, 1)),
        ("Nämnd- och bolagsmål", (1, 0, 0, 2)),
        ("Verksamhetsmål", (0, 1, 0, 1)),
    ]
    assert [(row.name, row.total) for row in report.by_organisation] == [
        ("Fullmäktige, styrelse och nämnder", 2),
        ("Utbildningsförvaltningen", 2),
        ("Stadshus AB", 1),
        ("Bostäder AB", 1),
    ]
    narrowed = follow_up_report(
        reporting_period=reporting_period(chain), user=karin, unit=group.administration
    )
    assert [assessment.goal for assessment in narrowed.assessments] == [
        chain.operational,
        chain.department_goal,
    ]


def test_the_excel_export_holds_what_the_report_shows(client, chain, group, reading_indicator):
    karin = member_of(group.administration, "karin")
    report_as(karin, chain, attainment=PARTLY)
    client.force_login(karin)
    params = {"reporting_period": reporting_period(chain).pk}
    report = client.get(reverse("goals:report"), params).context["report"]
    response = client.get(reverse("goals:report"), params | {"format": "xlsx"})
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    workbook = load_workbook(BytesIO(response.content))
    assert workbook.sheetnames == ["Översikt", "Mål", "Indikatorer"]
    goals = [row for row in workbook["Mål"].iter_rows(min_row=2, values_only=True)]
    assert [(level, title, unit, grade) for level, title, unit, grade, *_rest in goals] == [
        (
            assessment.goal.get_level_display(),
            assessment.goal.title,
            assessment.goal.org_unit.name,
            str(Attainment(assessment.grade).label),
        )
        for assessment in report.assessments
    ]
    assert goals[2][4] == "Läsfrämjande insatser i alla skolor; fler elever läser med flyt."
    assert list(workbook["Indikatorer"].iter_rows(min_row=2, values_only=True)) == [
        ("Tidiga insatser i läsning", "Elever i åk 3 som läser med flyt", "%", 80, 75, "Delvis uppnått")
    ]
    summary = list(workbook["Översikt"].iter_rows(values_only=True))
    assert ("Verksamhetsmål", 0, 1, 0, 1, 2) in summary


@pytest.mark.parametrize("size", [20, 200])
def test_the_report_has_the_same_query_count_at_any_size(
    client, chain, group, django_assert_num_queries, size
):
    grow_chain(chain, size)
    karin = member_of(group.administration, "karin")
    for index, goal in enumerate(chain.period.goals.filter(level=Level.OPERATIONAL)):
        indicator = Indicator.objects.create(code=f"I-{index}", name=f"Indikator {index}")
        indicator.goals.add(goal)
        Target.objects.create(indicator=indicator, year=chain.period.year, value=10)
        Measurement.objects.create(indicator=indicator, year=chain.period.year, value=index, source="manual")
        report_as(karin, chain, goal=goal, attainment=ACHIEVED)
    add_goal(Level.OPERATIONAL, "Ett utkast", group.administration, chain.body)  # drafts are left out
    client.force_login(karin)
    params = {"reporting_period": reporting_period(chain).pk}
    # 1: the session, 2: every year's reporting periods, 3: the units to choose from with the
    # organisations the grades are counted by, and 4: the processes to choose from, 5: the user,
    # 6: the grades counted per level and unit, 7: the page's goals, 8: their indicators, each read
    # in the reporting period, 9: the follow-ups of the goals and of the goals below them; for the
    # menu's count of the to-do list, 10: the user's memberships, 11: the count.
    with django_assert_num_queries(11):
        response = client.get(reverse("goals:report"), params)
    report = response.context["report"]
    assert report.count == 6 + (size - 8) // 5
    assert len(report.assessments) == min(report.count, REPORT_PAGE_SIZE)
    # The organisations read with the units to choose from count the grades as a query of their own.
    alone = follow_up_report(reporting_period=reporting_period(chain), user=karin)
    assert len(report.by_organisation) > 1 and report.by_organisation == alone.by_organisation
    # The Excel export holds every goal, in as many queries as one page, which has no menu to count.
    with django_assert_num_queries(9):
        workbook = client.get(reverse("goals:report"), params | {"format": "xlsx"})
    assert load_workbook(BytesIO(workbook.content))["Mål"].max_row == 1 + report.count
    # Without a reporting period chosen, the selected year's latest is shown: 1 query more for the
    # period preference (the year is picked among those of the reporting periods read already); a
    # chosen unit and process come with the choices.
    process = chain.operational.processes.create(kind="main", name="Lärande", owning_unit=group.committee)
    params = {"unit": group.administration.slug, "process": process.slug}
    with django_assert_num_queries(12):
        response = client.get(reverse("goals:report"), params)
    assert [assessment.goal for assessment in response.context["report"].assessments] == [chain.operational]


def test_the_report_shows_its_goals_a_page_at_a_time_and_counts_them_all(client, chain, group):
    grow_chain(chain, 8 + 5 * (REPORT_PAGE_SIZE - 6 + 3))  # three goals more than a page
    karin = member_of(group.administration, "karin")
    for goal in chain.period.goals.filter(level=Level.OPERATIONAL).order_by("-path")[:2]:
        report_as(karin, chain, goal=goal, attainment=ACHIEVED)
    params = {"reporting_period": reporting_period(chain).pk}
    client.force_login(karin)
    first = client.get(reverse("goals:report"), params).context["report"]
    last = client.get(reverse("goals:report"), params | {"page": 2}).context["report"]
    assert (first.count, len(first.assessments), len(last.assessments)) == (
        REPORT_PAGE_SIZE + 3,
        REPORT_PAGE_SIZE,
        3,
    )
    assert [row.counts for row in last.by_level] == [row.counts for row in first.by_level]
    assert ("Verksamhetsmål", 2) in [(row.name, row.counts[0]) for row in first.by_level]
    everything = follow_up_report(reporting_period=reporting_period(chain), user=karin)
    assert [a.goal for a in first.assessments + last.assessments] == [a.goal for a in everything.assessments]
    assert [a.grade for a in last.assessments] == [a.grade for a in everything.assessments][-3:]
    html = client.get(reverse("goals:report"), params | {"page": 2}).content.decode()
    assert f"{REPORT_PAGE_SIZE + 3} mål" in html
    assert f'href="?reporting_period={params["reporting_period"]}&amp;page=1" rel="prev"' in html
    # A page that does not exist shows the last one; one that is no number, the first.
    assert client.get(reverse("goals:report"), params | {"page": 99}).context["report"].page.number == 2
    assert client.get(reverse("goals:report"), params | {"page": "x"}).context["report"].page.number == 1
    workbook = load_workbook(
        BytesIO(client.get(reverse("goals:report"), params | {"format": "xlsx"}).content)
    )
    assert workbook["Mål"].max_row == 1 + REPORT_PAGE_SIZE + 3  # the download holds every goal


def test_the_latest_grade_shows_wherever_the_goal_does(client, chain, group):
    karin = member_of(group.administration, "karin")
    t1 = reporting_period(chain, ReportingPeriodKind.FOUR_MONTHS)
    early = follow_up_save(
        version=None,
        goal=chain.operational,
        reporting_period=t1,
        by=karin,
        attainment=NOT_ACHIEVED,
        commentary="Sen start.",
    )
    follow_up_submit(follow_up=early, by=karin)
    follow_up_review(follow_up=early, by=None)
    report_as(karin, chain, attainment=ACHIEVED)  # the annual report, submitted but not reviewed
    # Each badge says which report gave the grade.
    year = chain.period.year

    def badge(grade, label, report):
        return f'<span class="grade grade-{grade}">{label} <span class="grade-report">· {report} {year}</span></span>'

    process = chain.operational.processes.create(kind="main", name="Lärande", owning_unit=group.committee)

    pages = [reverse("goals:chain"), chain.body.get_absolute_url(), group.administration.get_absolute_url()]
    public = "".join(client.get(page).content.decode() for page in pages)
    assert badge("not_achieved", "Ej uppnått", "Tertialrapport") in public  # the reviewed one
    assert badge("achieved", "Uppnått", "Årsredovisning") not in public
    client.force_login(karin)
    signed_in = "".join(client.get(page).content.decode() for page in [*pages, process.get_absolute_url()])
    # The latest, waiting for review
    assert signed_in.count(badge("achieved", "Uppnått", "Årsredovisning")) == 4
    [cell] = [cell for cell in client.get(reverse("goals:matrix")).context["rows"][0][1] if cell.count]
    assert cell.grades == [("achieved", "uppnått", 1)]  # as the cell reads: "1 uppnått"


def test_the_deciders_find_the_follow_ups_to_review_in_their_queue(client, chain, group):
    report_as(member_of(group.administration, "karin"), chain, goal=chain.body)
    client.force_login(member_of(group.committee, "eva", role="politician", position="chair"))
    assert [follow_up.goal for follow_up in client.get(reverse("goals:queue")).context["follow_ups"]] == [
        chain.body
    ]
    client.force_login(member_of(group.other_committee, "anna", role="politician"))
    assert client.get(reverse("goals:queue")).context["follow_ups"] == []


def test_the_report_offers_the_reporting_periods_of_the_year_it_shows(client, chain, this_year):
    last_year = Period.objects.create(year=this_year - 1)
    annual = ReportingPeriod.objects.get(period=last_year, kind=ReportingPeriodKind.ANNUAL)
    response = client.get(reverse("goals:report"), {"reporting_period": annual.pk})
    assert response.context["report"].reporting_period == annual
    assert {option.period for option in response.context["reporting_periods"]} == {last_year}
    html = response.content.decode()
    assert f'<option value="{annual.pk}" selected>Årsredovisning {this_year - 1}</option>' in html
