from pathlib import Path

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core import serializers
from django.core.management import call_command
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from demo.organisation import DEMO_PASSWORD, DEMO_USERS
from demo.seeding import seed_demo
from demo.workflow import AWAITING_DECISION, DRAFT, IN_MOTION, SENT_BACK
from goals.chain.levels import Level
from goals.chain.placement import process_problems
from goals.chain.services import goal_return
from goals.chain.workflow import Status
from goals.follow_up.grading import Attainment
from goals.follow_up.reporting import follow_up_report
from goals.models import (
    Decision,
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
from orgunits.kinds import Kind
from orgunits.models import Membership, Organisations, OrgUnit
from processes.models import Process, ProcessKind, TargetGroup
from tests.kit.once import SharedWorld

pytestmark = pytest.mark.django_db


def database_dump() -> str:
    rows = [
        *OrgUnit.objects.order_by("pk"),
        *get_user_model().objects.order_by("pk"),
        *Period.objects.order_by("pk"),
        *Goal.objects.order_by("pk"),
        *TargetGroup.objects.order_by("pk"),
        *Process.objects.order_by("pk"),
        *Decision.objects.order_by("pk"),
        *ReportingPeriod.objects.order_by("pk"),
        *Indicator.objects.order_by("pk"),
        *Target.objects.order_by("pk"),
        *Measurement.objects.order_by("pk"),
        *FollowUp.objects.order_by("pk"),
    ]
    return serializers.serialize("json", rows)


def test_running_it_twice_gives_the_same_database():
    call_command("seed_demo")
    first = database_dump()
    call_command("seed_demo")
    assert database_dump() == first


def test_it_puts_back_demo_data_that_was_changed():
    call_command("seed_demo")
    OrgUnit.objects.filter(slug="utbildningsnamnden").update(name="Skolnämnden")
    call_command("seed_demo")
    assert OrgUnit.objects.get(slug="utbildningsnamnden").name == "Utbildningsnämnden"


def test_a_rerun_leaves_the_goals_on_their_way_where_people_took_them_and_creates_nothing():
    seed_demo()
    eva_berg = get_user_model().objects.get(username="eva.berg")
    awaiting = Goal.objects.get(title=AWAITING_DECISION.goal.title)
    goal_return(goal=awaiting, by=eva_berg, comment="Komplettera med hur tryggheten mäts.")
    again = seed_demo()
    assert {what: count for what, count in again.items() if count} == {}
    assert Goal.objects.filter(title__in=[spec.goal.title for spec in IN_MOTION]).count() == len(IN_MOTION)
    assert Goal.objects.get(pk=awaiting.pk).status == Status.RETURNED


def test_if_empty_leaves_an_existing_organisation_alone():
    call_command("seed_demo")
    OrgUnit.objects.filter(slug="utbildningsnamnden").update(name="Skolnämnden")
    call_command("seed_demo", "--if-empty")
    assert OrgUnit.objects.get(slug="utbildningsnamnden").name == "Skolnämnden"


def this_year() -> int:
    return timezone.localdate().year


def annual_report_of_last_year():
    annual = ReportingPeriod.objects.get(period__year=this_year() - 1, kind=ReportingPeriodKind.ANNUAL)
    return follow_up_report(reporting_period=annual, user=AnonymousUser())


@pytest.mark.usefixtures("scene")
class TestTheSeededDemo(SharedWorld):
    """What one seeding makes, read by each test: the demo is seeded once for the class and what a
    test writes (a sign-in) is rolled back after it (tests/kit/once.py)."""

    def build(self):
        call_command("seed_demo")

    def test_the_demo_group_is_a_mid_sized_municipal_group(self):
        kinds = [unit.kind for unit in OrgUnit.objects.all()]
        assert kinds.count(Kind.COUNCIL) == 1
        assert kinds.count(Kind.EXECUTIVE_BOARD) == 1
        assert kinds.count(Kind.COMMITTEE) == 8
        assert kinds.count(Kind.ADMINISTRATION) == 7
        assert kinds.count(Kind.COMPANY) == 6  # the parent company and five subsidiaries
        assert kinds.count(Kind.FEDERATION) == 1
        parent_company = OrgUnit.objects.get(slug="sjostads-stadshus-ab")
        assert OrgUnit.objects.get_children(parent_company).filter(kind=Kind.COMPANY).count() == 5
        # Every unit stands where the rule table allows, and the tree itself is sound.
        for unit in OrgUnit.objects.all():
            unit.full_clean()
        assert OrgUnit.objects.find_problems() == ([], [], [], [], [])

    def test_an_administration_serves_two_committees_and_breaks_down_the_goals_of_both(self):
        administration = OrgUnit.objects.get(slug="samhallsbyggnadsforvaltningen")
        assert [unit.slug for unit in administration.steering_bodies] == [
            "byggnadsnamnden",
            "miljo-och-halsoskyddsnamnden",
        ]
        this_year = Goal.objects.filter(org_unit=administration, period__year=timezone.localdate().year)
        broken_down = {Goal.objects.get_parent(goal).org_unit.slug for goal in this_year}
        assert broken_down == {"byggnadsnamnden", "miljo-och-halsoskyddsnamnden"}

    def test_the_demo_group_has_a_joint_committee_and_the_auditors_with_a_presidium(self):
        joint = OrgUnit.objects.get(kind=Kind.JOINT_COMMITTEE)
        assert (joint.name, joint.partner_municipalities) == (
            "Överförmyndarnämnden i Storsjöbygden",
            "Norrby",
        )
        assert joint.goals.filter(level=Level.BODY, status=Status.APPROVED).exists()
        auditors = OrgUnit.objects.get(kind=Kind.AUDITORS)
        assert OrgUnit.objects.get_parent(auditors).kind == Kind.COUNCIL
        assert not auditors.goals.exists()
        assert [(m.user.username, m.position) for m in auditors.memberships.all()] == [("gun.ahl", "chair")]
        presidium = Membership.objects.filter(org_unit__slug="utbildningsnamnden", role="politician")
        assert {m.position for m in presidium} >= {"chair", "first_vice_chair", "second_vice_chair"}

    def test_the_demo_users_can_sign_in_with_the_password_the_readme_gives(self):
        for demo_user in DEMO_USERS:
            request = RequestFactory().post("/accounts/login/")  # django-axes asks for the request
            user = authenticate(request, username=demo_user.username, password=DEMO_PASSWORD)
            assert user is not None, demo_user.username
            assert user.is_staff == demo_user.is_staff
        readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
        assert f"`{DEMO_PASSWORD}`" in readme
        assert all(f"`{demo_user.username}`" in readme for demo_user in DEMO_USERS)

    def test_every_demo_goal_has_an_unbroken_chain_up_to_the_vision(self):
        assert [period.year for period in Period.objects.all()] == [this_year() - 1, this_year()]
        for period in Period.objects.all():
            vision = Goal.objects.get(level=Level.VISION, period=period)
            goals = list(Goal.objects.filter(period=period).select_related("org_unit", "period"))
            assert len(goals) > 60
            for goal in goals:
                goal.full_clean()  # every rule of the steering chain, against its parent and its children
                assert goal == vision or Goal.objects.get_ancestors(goal).first() == vision, goal.title
        levels = {level: sum(goal.level == level for goal in goals) for level in Level}
        assert levels[Level.VISION] == 1
        assert 5 <= levels[Level.STRATEGIC] <= 7
        assert levels[Level.ACTIVITY] >= 15
        assert Goal.objects.find_problems() == ([], [], [], [], [])

    def test_every_committee_company_and_the_federation_has_body_goals(self):
        bodies = OrgUnit.objects.filter(kind__in=[Kind.COMMITTEE, Kind.COMPANY, Kind.FEDERATION])
        without_goals = [unit.name for unit in bodies if not unit.goals.filter(level=Level.BODY).exists()]
        assert without_goals == []

    def test_every_demo_goal_serves_processes_its_unit_takes_part_in(self):
        for goal in Goal.objects.select_related("org_unit").prefetch_related("processes__participants"):
            assert process_problems(goal, goal.processes.select_related("owning_unit")) == [], goal.title

    def test_each_main_process_has_goals_from_several_kinds_of_organisation_for_a_named_target_group(self):
        organisations = Organisations()
        for process in Process.objects.filter(kind=ProcessKind.MAIN):
            serving = {
                organisations.of(goal.org_unit.path) for goal in process.goals.select_related("org_unit")
            }
            assert len(serving - {None}) >= 2, process.name
            assert process.target_groups.exists(), process.name
        learning = Process.objects.get(slug="larande")
        serving = {organisations.of(goal.org_unit.path) for goal in learning.goals.select_related("org_unit")}
        kinds = [organisation.kind for organisation in serving if organisation]
        assert {Kind.ADMINISTRATION, Kind.COMPANY, Kind.FEDERATION} <= set(kinds)
        assert kinds.count(Kind.ADMINISTRATION) >= 2

    def test_the_demo_plan_is_decided_one_decision_per_deciding_body(self):
        goals = list(
            Goal.objects.exclude(title__in=[spec.goal.title for spec in IN_MOTION])
            .select_related("org_unit", "period")
            .prefetch_related("decisions")
        )
        # Last year is closed: its decided goals are archived; this year's plan is decided, but for
        # the goals still on their way (below).
        assert {(goal.period.year, goal.status) for goal in goals} == {
            (this_year() - 1, Status.ARCHIVED),
            (this_year(), Status.APPROVED),
        }
        for goal in goals:
            [decision] = goal.decisions.all()
            assert decision.deciding_unit == goal.deciding_unit, goal.title
        council_decision = Decision.objects.filter(deciding_unit__kind=Kind.COUNCIL).first()
        assert str(council_decision) == f"KF {council_decision.meeting_date:%Y}-11-25 § 187"

    def test_last_years_annual_report_grades_every_goal_with_a_commentary(self):
        report = annual_report_of_last_year()
        assert len(report.assessments) > 45
        for assessment in report.assessments:
            follow_up = assessment.follow_up
            assert follow_up is not None, assessment.goal.title
            assert (follow_up.status, follow_up.reviewed_by is not None) == (ReviewStatus.REVIEWED, True)
            assert len(follow_up.commentary) > 80 and follow_up.next_steps, assessment.goal.title
            assert "{" not in follow_up.commentary + follow_up.next_steps  # every placeholder filled in
        assert {assessment.grade for assessment in report.assessments} == set(Attainment)
        assert not ReportingPeriod.objects.filter(period__year=this_year() - 1, is_open=True).exists()

    def test_the_grades_agree_with_the_indicators_but_where_a_person_judged_otherwise(self):
        with_indicators = [a for a in annual_report_of_last_year().assessments if a.indicators]
        assert len(with_indicators) >= 20
        differing = [a.goal.title for a in with_indicators if a.grade != a.suggested and a.below == []]
        # Each deviation says why in its commentary; the rest follow the figures.
        assert differing == [
            "Fler går från daglig verksamhet till arbete",
            "Matavfallet sorteras i hela kommunen",
        ]

    def test_indicators_have_four_years_of_values_and_their_targets(self):
        indicator = Indicator.objects.get(code="UF-NP3-SV")
        years = sorted({m.year for m in indicator.measurements.filter(reporting_period=None)})
        assert years == [this_year() - 4, this_year() - 3, this_year() - 2, this_year() - 1]
        assert sorted(indicator.targets.values_list("year", flat=True)) == [
            this_year() - offset for offset in (3, 2, 1, 0)
        ]
        assert indicator.goals.filter(period__year=this_year()).exists()

    def test_this_years_interim_reports_wait_for_the_committees_review(self):
        client = Client()
        client.force_login(get_user_model().objects.get(username="eva.berg"))
        waiting = client.get(reverse("goals:queue")).context["follow_ups"]
        assert sorted(follow_up.goal.title for follow_up in waiting) == [
            "Fler elever når kunskapskraven i alla ämnen",
            "Förskolan ger alla barn en god grund för lärande",
        ]

    def test_the_chairs_queue_holds_the_committee_goal_awaiting_its_decision_with_its_description(self):
        client = Client()
        client.force_login(get_user_model().objects.get(username="eva.berg"))
        page = client.get(reverse("goals:queue"))
        goal = Goal.objects.get(title=AWAITING_DECISION.goal.title, period__year=this_year())
        assert goal.status == Status.SUBMITTED
        [(unit, items, _form)] = page.context["groups"]
        assert (unit.slug, [item[0].title for item in items]) == ("utbildningsnamnden", [goal.title])
        html = page.content.decode()
        assert f'href="{goal.get_absolute_url()}"' in html
        assert AWAITING_DECISION.goal.description in html

    def test_the_school_managers_my_goals_shows_the_activity_sent_back_with_its_reason_and_a_draft(self):
        client = Client()
        client.force_login(get_user_model().objects.get(username="sara.ek"))
        html = client.get(reverse("goals:mine")).content.decode()
        sent_back = html[html.index(SENT_BACK.goal.title) :]
        assert sent_back.index(SENT_BACK.return_comment) < sent_back.index("</article>")
        statuses = dict(
            Goal.objects.filter(title__in=[SENT_BACK.goal.title, DRAFT.goal.title]).values_list(
                "title", "status"
            )
        )
        assert statuses == {SENT_BACK.goal.title: Status.RETURNED, DRAFT.goal.title: Status.DRAFT}
        assert DRAFT.goal.title in html

    def test_the_goals_on_their_way_are_in_the_chain_through_the_services_history(self):
        sent_back = Goal.objects.get(title=SENT_BACK.goal.title)
        assert Goal.objects.get_parent(sent_back).title == SENT_BACK.parent
        # Written, submitted and sent back: by whom the history says.
        steps = [(row.status, row.history_user.username) for row in sent_back.history.order_by("history_id")]
        assert steps == [
            (Status.DRAFT, "sara.ek"),
            (Status.SUBMITTED, "sara.ek"),
            (Status.RETURNED, "karin.lind"),
        ]
        assert not sent_back.decisions.exists()
