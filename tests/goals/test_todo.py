"""The to-do list on the start page and its count in the menu: what each member of the cast should do
now, one world holding a row of every kind; where each row leads; the count; the queries."""

import datetime
import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import DatabaseError, connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from goals import todo
from goals.chain.levels import Level
from goals.chain.queries import decidable_groups
from goals.chain.services import goal_return, goal_revise, goal_submit
from goals.follow_up.queries import follow_ups_to_review as queue_follow_ups
from goals.follow_up.services import follow_up_return, follow_up_save, follow_up_submit
from goals.follow_up.workflow import REPORTED_LEVELS, ReviewStatus
from goals.models import FollowUp, Goal, ReportingPeriod, ReportingPeriodKind, Revision
from goals.todo import (
    SHOWN_PER_TASK,
    TASKS,
    edited_by,
    follow_ups_due,
    follow_ups_to_review,
    goals_sent_back,
    goals_to_decide,
    reported_by,
    todo_count,
)
from orgunits.models import Membership, Organisations
from tests.kit.chain import Chain, add_goal, grow_chain, this_year_number
from tests.kit.once import SharedWorld
from tests.kit.organisation import Group
from tests.kit.people import CAST, build_cast
from tests.kit.worlds import Scene

pytestmark = pytest.mark.django_db

DECIDE, REVIEW, SENT_BACK, REPORT, PROPOSED = (
    "Waiting for your decision",
    "Follow-ups to review",
    "Sent back to you",
    "Follow-ups to report",
    "Your proposed changes",
)


def todo_world(chain: Chain, group: Group, cast: dict) -> dict:
    """A year with something of every kind of row. The reporting deadlines are set around today:
    the four-month report overdue, the interim report due in ten days, the annual one far off.
    Every follow-up due is delivered and reviewed, except:

    - the administration's operational goal's four-month report: never begun (overdue);
    - the department's goal's interim report: submitted by the editor, sent back by the manager;
    - the committee's body goal's interim report: submitted by the manager, waiting for the
      committee's review;
    - the operational goal's interim report: submitted by the manager, who decides the goal but does
      not review their own report (separation of duties), so only staff may.

    And goals: a body goal submitted to the committee; an operational goal submitted to the
    administration's manager; a department goal sent back; a change to the department's goal,
    submitted by the editor; a change to the operational goal, sent back; a draft change to the
    school's activity, by the manager.
    """
    today = timezone.localdate()
    manager, editor = cast["manager_inside"], cast["editor"]
    periods = {rp.kind: rp for rp in ReportingPeriod.objects.filter(period=chain.period)}
    four_months, interim, annual = (
        periods[ReportingPeriodKind.FOUR_MONTHS],
        periods[ReportingPeriodKind.INTERIM],
        periods[ReportingPeriodKind.ANNUAL],
    )
    for reporting_period, days in ((four_months, -30), (interim, 10), (annual, 100)):
        reporting_period.deadline = today + datetime.timedelta(days=days)
        reporting_period.save(update_fields=["deadline"])

    def report(goal, reporting_period, by):
        return follow_up_save(
            goal=goal,
            reporting_period=reporting_period,
            by=by,
            attainment="partly",
            commentary="Pågår.",
            version=None,
        )

    left_out = {
        (chain.operational, four_months),
        (chain.department_goal, interim),
        (chain.body, interim),
        (chain.operational, interim),
    }
    FollowUp.objects.bulk_create(
        FollowUp(
            goal=goal,
            reporting_period=reporting_period,
            attainment="achieved",
            commentary="Klart.",
            status=ReviewStatus.REVIEWED,
        )
        for goal in chain.goals()
        if goal.level in REPORTED_LEVELS
        for reporting_period in (four_months, interim)
        if (goal, reporting_period) not in left_out
    )
    follow_up_submit(follow_up=report(chain.department_goal, interim, editor), by=editor)
    follow_up_return(
        follow_up=FollowUp.objects.get(goal=chain.department_goal, reporting_period=interim),
        by=manager,
        comment="Ange utfallet per skola.",
    )
    follow_up_submit(follow_up=report(chain.body, interim, manager), by=manager)
    follow_up_submit(follow_up=report(chain.operational, interim, manager), by=manager)

    submitted_body = add_goal(Level.BODY, "Förskolan ger alla en god start", group.committee, chain.strategic)
    goal_submit(goal=submitted_body, by=None)
    submitted_operational = add_goal(
        Level.OPERATIONAL, "Fler elever läser varje dag", group.administration, chain.body
    )
    goal_submit(goal=submitted_operational, by=manager)
    returned = add_goal(Level.OPERATIONAL, "Skolbibliotek i varje skola", group.department, chain.operational)
    goal_submit(goal=returned, by=editor)
    goal_return(goal=returned, by=manager, comment="Målet saknar ett mätbart målvärde.")

    def propose(goal, by, title):
        content = {name: getattr(goal, name) for name in Revision.CONTENT_FIELDS} | {"title": title}
        return goal_revise(goal=goal, by=by, content=content, processes=goal.processes.all(), version=None)

    propose(chain.department_goal, editor, "Läsfrämjande i alla skolor")
    goal_submit(goal=Goal.objects.get(pk=chain.department_goal.pk), by=editor)
    propose(chain.operational, manager, "Tidiga insatser i läsning och matematik")
    goal_submit(goal=Goal.objects.get(pk=chain.operational.pk), by=manager)
    goal_return(
        goal=Goal.objects.get(pk=chain.operational.pk), by=cast["admin"], comment="Håll fast vid läsningen."
    )
    propose(chain.activity, manager, "Läsveckor i årskurs 1–6")
    return {
        "chain": chain,
        "submitted_body": submitted_body,
        "submitted_operational": submitted_operational,
        "returned": returned,
        "four_months": four_months,
        "interim": interim,
    }


def expected_rows(world) -> dict[str, list[tuple[str, str, str]]]:
    """Each member of the cast's rows: (heading, goal, where the row leads)."""
    chain = world["chain"]
    queue = reverse("goals:queue")

    def follow_up(goal, reporting_period):
        return reverse("goals:follow-up", args=[goal.pk, reporting_period.pk])

    def edit(goal):
        return reverse("goals:edit", args=[goal.pk])

    body, operational, department_goal = chain.body, chain.operational, chain.department_goal
    decide_body = (DECIDE, world["submitted_body"].title, queue)
    decide_operational = (DECIDE, world["submitted_operational"].title, queue)
    decide_change = (DECIDE, department_goal.title, queue)
    review_body = (REVIEW, body.title, follow_up(body, world["interim"]))
    nothing: list = []
    return {
        "admin": [
            decide_body,
            decide_operational,
            decide_change,
            review_body,
            (REVIEW, operational.title, follow_up(operational, world["interim"])),
        ],
        "manager_inside": [
            decide_operational,
            decide_change,
            (SENT_BACK, operational.title, edit(operational)),
            (SENT_BACK, world["returned"].title, edit(world["returned"])),
            (REPORT, operational.title, follow_up(operational, world["four_months"])),
            (REPORT, department_goal.title, follow_up(department_goal, world["interim"])),
            (PROPOSED, chain.activity.title, edit(chain.activity)),
        ],
        "manager_outside": nothing,
        "editor": [
            (SENT_BACK, world["returned"].title, edit(world["returned"])),
            (REPORT, department_goal.title, follow_up(department_goal, world["interim"])),
            (PROPOSED, department_goal.title, department_goal.get_absolute_url()),
        ],
        "politician": [decide_body, review_body],
        "other_politician": nothing,
        "secretary": [decide_body, review_body],
        "auditor": nothing,  # the auditors read everything and are asked to do nothing
    }


def menu_count(response) -> int:
    """The count beside "To do" in the menu; 0 where there is none."""
    found = re.search(r'<span class="nav-count">(\d+)<', response.content.decode())
    return int(found.group(1)) if found else 0


class TestTheCastsToDoLists(SharedWorld):
    def build(self):
        group = Group()
        cast = build_cast(group)
        return Scene(cast, todo_world(Chain(group, this_year_number()), group, cast))

    @pytest.mark.parametrize("member", sorted(set(CAST) - {"anonymous"}))
    def test_each_sees_exactly_their_rows_and_the_menu_counts_them(self, scene, client, member):
        client.force_login(scene.cast[member])
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        response = client.get(reverse("home"))
        rows = [(row.task, row.title, row.url) for row in response.context["todo"].rows]
        assert rows == expected_rows(scene.world)[member]
        assert menu_count(response) == len(rows)
        # Another page counts the same, from its own single query.
        assert menu_count(client.get(reverse("goals:chain"))) == len(rows)

    def test_nothing_to_do_is_said_kindly(self, scene, client):
        client.force_login(scene.cast["other_politician"])
        response = client.get(reverse("home"))
        assert "Inget att göra just nu." in response.content.decode()
        assert menu_count(response) == 0

    def test_an_anonymous_visitor_sees_the_introduction_and_no_list(self, scene, client):
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        response = client.get(reverse("home"))
        assert "todo" not in response.context
        page = response.content.decode()
        assert 'id="todo"' not in page
        assert "<h1>Goals that run through the whole organisation</h1>" in page

    def test_overdue_and_due_soon_are_marked_with_their_deadlines(self, scene, client):
        client.force_login(scene.cast["manager_inside"])
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        response = client.get(reverse("home"))
        rows = {row.url: row for row in response.context["todo"].rows if row.task == REPORT}
        chain, today = scene.world["chain"], timezone.localdate()
        overdue = rows[reverse("goals:follow-up", args=[chain.operational.pk, scene.world["four_months"].pk])]
        due = rows[reverse("goals:follow-up", args=[chain.department_goal.pk, scene.world["interim"].pk])]
        assert (overdue.overdue, overdue.deadline) == (True, today - datetime.timedelta(days=30))
        assert (due.overdue, due.deadline) == (False, today + datetime.timedelta(days=10))
        assert due.note == "Interim report, sent back: Ange utfallet per skola."
        page = response.content.decode()
        assert f"Overdue – due {overdue.deadline.day} " in page
        assert f"due {due.deadline.day} " in page

    def test_a_goal_sent_back_says_why(self, scene, client):
        client.force_login(scene.cast["editor"])
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        rows = client.get(reverse("home")).context["todo"].rows
        assert [row.note for row in rows if row.task == SENT_BACK] == [
            "Why it was sent back: Målet saknar ett mätbart målvärde."
        ]

    @pytest.mark.parametrize("member", sorted(set(CAST) - {"anonymous"}))
    def test_every_row_leads_to_where_its_work_is_done(self, scene, client, member):
        client.force_login(scene.cast[member])
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        for row in client.get(reverse("home")).context["todo"].rows:
            page = client.get(row.url)
            assert page.status_code == 200, row
            content = page.content.decode()
            assert row.title in content, row
            if row.task == DECIDE:  # the goal is there to choose for a decision
                goal = Goal.objects.get(title=row.title) if row.note == "A new goal" else None
                assert goal is None or f'value="{goal.pk}"' in content
            if row.task == REVIEW:  # the review is offered on the follow-up page
                assert "/review/" in content, row
            if row.task == REPORT:  # the report's form is there
                assert "/submit/" in content, row

    @pytest.mark.parametrize("member", sorted(set(CAST) - {"anonymous"}))
    def test_the_rules_asked_of_the_database_say_what_the_pages_rules_say(self, scene, member):
        """The to-do list asks the permission rules of the database (``goals.todo``); the pages ask
        them of each object (``goals.rules``, the queue's own queries). Both must agree."""
        user = scene.cast[member]
        today = timezone.localdate()
        period = scene.world["chain"].period
        queue = decidable_groups(user=user, period=period, organisations=Organisations())
        assert set(goals_to_decide(user, today)) == {goal for _unit, goals in queue for goal in goals}
        reviewable = queue_follow_ups(user=user, period=period, organisations=Organisations())
        assert set(follow_ups_to_review(user, today)) == {f for f in reviewable if f.may_review}
        everything = list(Goal.objects.select_related("org_unit"))
        if not user.is_staff:  # staff may do it all, but only their own units are their to-do
            assert set(Goal.objects.filter(edited_by(user))) == {
                goal for goal in everything if user.has_perm("goals.edit_goal", goal)
            }
            assert set(Goal.objects.filter(reported_by(user))) == {
                goal for goal in everything if user.has_perm("goals.report_follow_up", goal)
            }
        else:
            assert list(goals_sent_back(user, today)) == list(follow_ups_due(user, today)) == []


def test_a_follow_up_leaves_the_list_once_it_is_submitted(client, chain, group, cast):
    world = todo_world(chain, group, cast)
    editor = cast["editor"]
    client.force_login(editor)
    assert menu_count(client.get(reverse("goals:chain"))) == 3
    follow_up = FollowUp.objects.get(goal=chain.department_goal, reporting_period=world["interim"])
    follow_up_submit(follow_up=follow_up, by=editor)
    assert menu_count(client.get(reverse("goals:chain"))) == 2
    assert todo_count(editor) == 2


def test_the_menu_counts_anew_when_a_persons_units_change(client, chain, group, cast):
    """The count's SQL is kept per process for the same person, day and memberships: a membership
    ended, or a unit moved, gives new SQL, and the same SQL counts whatever the data is now."""
    todo_world(chain, group, cast)
    editor = cast["editor"]
    client.force_login(editor)
    before = menu_count(client.get(reverse("goals:chain")))
    assert before == counted_by_the_orm(editor) > 0
    Membership.objects.filter(user=editor).delete()
    after = menu_count(client.get(reverse("goals:chain")))
    assert after == counted_by_the_orm(get_user_model().objects.get(pk=editor.pk)) < before


def counted_by_the_orm(user) -> int:
    """The to-do count as the ORM counts the rows of all kinds, built afresh."""
    first, *others = [task(user, timezone.localdate()).order_by().values("pk") for task in TASKS]
    return first.union(*others, all=True).count()


def test_an_anonymous_page_pays_nothing_for_the_count(client, chain):
    url = reverse("goals:chain")
    assert queries_of(client, url) == queries_of(client, url, without_the_count=True)
    assert "nav-count" not in client.get(url).content.decode()


def queries_of(client, url, *, without_the_count: bool = False) -> int:
    """How many queries the page asks; ``without_the_count``: with no count for the menu at all."""
    options = settings.TEMPLATES[0]["OPTIONS"]
    processors = [name for name in options["context_processors"] if name != "goals.context_processors.todo"]
    templates = [{**settings.TEMPLATES[0], "OPTIONS": {**options, "context_processors": processors}}]
    with (
        override_settings(**({"TEMPLATES": templates} if without_the_count else {})),
        CaptureQueriesContext(connection) as queries,
    ):
        client.get(url)
    return len(queries)


@pytest.mark.parametrize("size", [20, 120])
def test_the_start_page_asks_a_fixed_number_of_queries(
    client, chain, group, cast, django_assert_num_queries, size
):
    todo_world(chain, group, cast)
    grow_chain(chain, size)  # each new operational goal has two follow-ups to report
    manager = cast["manager_inside"]
    client.force_login(manager)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    # 1: the session, 2: the user, 3: the user's memberships (whose task a row is), 4-9: the six
    # kinds of row (goals to decide, follow-ups to review, goals and changes sent back, follow-ups
    # to report, changes proposed), 10: the menu's count of them all.
    with django_assert_num_queries(10):
        response = client.get(reverse("home"))
    to_report = next(group for group in response.context["todo"].groups if group.task == REPORT)
    due = follow_ups_due(manager, timezone.localdate()).count()
    assert (due > SHOWN_PER_TASK) == (size == 120)
    assert menu_count(response) == todo_count(manager)
    # Many follow-ups wait at the larger size: the first are shown, and My goals has them all.
    assert len(to_report.rows) == min(due, SHOWN_PER_TASK)
    assert to_report.more == (reverse("goals:mine") if due > SHOWN_PER_TASK else None)
    assert (
        f'<a href="{reverse("goals:mine")}">Follow-ups to report: see them all</a>'
        in response.content.decode()
    ) == (due > SHOWN_PER_TASK)


@pytest.mark.parametrize("size", [20, 120])
def test_the_menu_count_is_one_query_where_the_page_knows_the_memberships(client, chain, group, cast, size):
    todo_world(chain, group, cast)
    grow_chain(chain, size)  # each new operational goal has two follow-ups to report
    manager = cast["manager_inside"]
    client.force_login(manager)
    # The goal page asks what the manager may do with the goal: her memberships are read already.
    knows = chain.operational.get_absolute_url()
    assert queries_of(client, knows) == queries_of(client, knows, without_the_count=True) + 1
    # A goal's history asks no permission: the count reads the memberships itself.
    does_not = reverse("goals:history", args=[chain.operational.pk])
    assert queries_of(client, does_not) == queries_of(client, does_not, without_the_count=True) + 2
    assert menu_count(client.get(does_not)) == todo_count(manager) > size // 5


postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's prepared statements"
)


def todo_statements() -> set[str]:
    """The names of the to-do counts this test's database connection holds prepared."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM pg_prepared_statements WHERE name LIKE 'todo_count_%%'")
        return {name for (name,) in cursor.fetchall()}


@pytest.fixture
def no_statements_yet():
    """The test database's connection outlives a test: it starts without the counts of earlier ones."""
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")
    todo._PREPARED.pop(connection.connection, None)
    yield
    todo._PREPARED.pop(connection.connection, None)


@postgres_only
@pytest.mark.usefixtures("no_statements_yet")
def test_the_count_is_planned_once_per_connection_and_counts_what_is_there_now(chain, group, cast):
    """PostgreSQL planned the six-part union anew on every page, as long as it took to run it: the
    count is prepared on the connection once, then only executed, and still counts today's rows."""
    world = todo_world(chain, group, cast)
    editor = cast["editor"]
    assert counted_by_the_orm(editor) == 3  # and it reads the editor's memberships
    with CaptureQueriesContext(connection) as first:
        assert todo_count(editor) == 3
    [prepared] = todo_statements()
    assert [query["sql"].split(" AS ")[0] for query in first] == [f"PREPARE {prepared}"]
    follow_up = FollowUp.objects.get(goal=chain.department_goal, reporting_period=world["interim"])
    follow_up_submit(follow_up=follow_up, by=editor)
    assert counted_by_the_orm(editor) == 2
    with CaptureQueriesContext(connection) as again:
        assert todo_count(editor) == 2
    assert [query["sql"] for query in again] == [f"EXECUTE {prepared}"]
    assert todo_statements() == {prepared}


@postgres_only
@pytest.mark.usefixtures("no_statements_yet")
def test_behind_a_pooler_in_transaction_mode_the_count_is_a_plain_query(chain, group, cast):
    """A pooler in transaction mode may give the next transaction another server connection, which
    does not hold the statement: with the setting such a pooler needs, nothing is prepared."""
    todo_world(chain, group, cast)
    editor = cast["editor"]
    assert counted_by_the_orm(editor) == 3  # and it reads the editor's memberships
    connection.settings_dict["DISABLE_SERVER_SIDE_CURSORS"] = True
    try:
        with CaptureQueriesContext(connection) as queries:
            assert todo_count(editor) == 3
    finally:
        del connection.settings_dict["DISABLE_SERVER_SIDE_CURSORS"]
    assert [query["sql"][:20] for query in queries] == ["SELECT COUNT(*) FROM"]
    assert todo_statements() == set()


@postgres_only
@pytest.mark.usefixtures("no_statements_yet")
def test_a_connection_holds_a_bounded_number_of_counts(chain, group, cast, monkeypatch):
    todo_world(chain, group, cast)
    monkeypatch.setattr(todo, "MOST_PREPARED_PER_CONNECTION", 2)
    people = [cast["editor"], cast["manager_inside"], cast["politician"]]
    counts = [todo_count(person) for person in people]
    # The third person's count made the connection forget the two before it.
    assert len(todo_statements()) == 1
    assert [todo_count(person) for person in people] == counts == [counted_by_the_orm(p) for p in people]
    assert len(todo_statements()) == 2


@postgres_only
@pytest.mark.usefixtures("no_statements_yet")
def test_a_connection_whose_statement_failed_asks_the_plain_query(chain, group, cast):
    """Should a statement go missing (a pooler's reset, say), the page fails once, as any failed
    query makes it, and that connection asks the plain query from then on."""
    todo_world(chain, group, cast)
    editor = cast["editor"]
    expected = todo_count(editor)
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")
    with pytest.raises(DatabaseError), transaction.atomic():
        todo_count(editor)
    with CaptureQueriesContext(connection) as queries:
        assert todo_count(editor) == expected
    assert [query["sql"][:20] for query in queries] == ["SELECT COUNT(*) FROM"]
    assert todo_statements() == set()
