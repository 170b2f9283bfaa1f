"""The date rules (``placement.activity_date_problems``, ``placement.meeting_date_problems``), asked
alike by the goal form, the change form, the admin, the decision queue and the API: each refuses a
typing slip (2150, 9999-12-31, 0001-01-01) with a message naming the dates allowed, never with a 500,
and what is stored already stays readable."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from goals.chain.levels import Level
from goals.chain.services import goal_submit
from goals.models import Decision, Goal, Period, Revision
from tests.kit.admin_forms import admin_form_errors, goal_admin_form
from tests.kit.chain import add_goal
from tests.kit.clients import token_client
from tests.kit.people import member_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _language_restored():
    """The requests in English leave English active in this thread; the tests after these read Swedish."""
    with translation.override(translation.get_language()):
        yield


TYPING_SLIPS = ["2150-01-01", "9999-12-31", "0001-01-01"]


def starts_within(period: Period) -> str:
    return (
        f"An activity of {period.year} starts between 1 January {period.term_start} and 31 December "
        f"{period.year}: in its year, or earlier in the term of office {period.term_label} if it runs longer."
    )


def due_within(period: Period) -> str:
    return (
        f"An activity of {period.year} is due between 1 January {period.year} and 31 December "
        f"{period.term_end}: in its year, or later in the term of office {period.term_label} if it runs longer."
    )


@pytest.fixture
def school_head(client, group):
    """A manager of the school, in English, who breaks down the department's goal into activities."""
    client.force_login(member_of(group.school, "sara"))
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def add_activity(client, chain, **dates):
    return client.post(
        f"{reverse('goals:create')}?parent={chain.department_goal.pk}",
        {
            "org_unit": chain.group.school.pk,
            "level": Level.ACTIVITY,
            "parent": chain.department_goal.pk,
            "title": "Läsombud i varje klass",
        }
        | dates,
    )


def test_the_term_of_office_is_four_years_from_the_year_after_an_election():
    assert [(Period(year=year).term_start, Period(year=year).term_end) for year in (2026, 2027, 2030)] == [
        (2023, 2026),
        (2027, 2030),
        (2027, 2030),
    ]


@pytest.mark.parametrize("slip", TYPING_SLIPS)
def test_the_goal_form_refuses_an_activity_starting_outside_its_year_and_term(school_head, chain, slip):
    response = add_activity(school_head, chain, start_date=slip)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [starts_within(chain.period)]
    assert not Goal.objects.filter(title="Läsombud i varje klass").exists()


@pytest.mark.parametrize("slip", TYPING_SLIPS)
def test_the_goal_form_refuses_an_activity_due_outside_its_year_and_term(school_head, chain, slip):
    response = add_activity(school_head, chain, due_date=slip)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [due_within(chain.period)]
    assert not Goal.objects.filter(title="Läsombud i varje klass").exists()


def test_the_goal_form_says_both_when_both_dates_are_wrong(school_head, chain):
    response = add_activity(school_head, chain, start_date="2150-01-01", due_date="9999-12-31")
    assert response.context["form"].non_field_errors() == [
        starts_within(chain.period),
        due_within(chain.period),
    ]


def test_an_activity_of_the_year_and_one_running_longer_within_the_term_are_saved(school_head, chain):
    period = chain.period
    add_activity(school_head, chain, start_date=f"{period.year}-01-10", due_date=f"{period.year}-12-31")
    within_year = Goal.objects.get(title="Läsombud i varje klass")
    assert (within_year.start_date, within_year.due_date) == (
        datetime.date(period.year, 1, 10),
        datetime.date(period.year, 12, 31),
    )
    within_year.delete()
    # Begun early in the term, due at its end: an activity that runs over several years.
    add_activity(
        school_head, chain, start_date=f"{period.term_start}-08-15", due_date=f"{period.term_end}-06-30"
    )
    longer = Goal.objects.get(title="Läsombud i varje klass")
    assert (longer.start_date, longer.due_date) == (
        datetime.date(period.term_start, 8, 15),
        datetime.date(period.term_end, 6, 30),
    )


def test_the_date_fields_offer_the_term_of_office(school_head, chain):
    form = school_head.get(reverse("goals:create"), {"parent": chain.department_goal.pk}).context["form"]
    period = chain.period
    assert (form.fields["start_date"].widget.attrs["min"], form.fields["start_date"].widget.attrs["max"]) == (
        f"{period.term_start}-01-01",
        f"{period.year}-12-31",
    )
    assert (form.fields["due_date"].widget.attrs["min"], form.fields["due_date"].widget.attrs["max"]) == (
        f"{period.year}-01-01",
        f"{period.term_end}-12-31",
    )


def test_a_change_proposed_to_an_approved_activity_keeps_its_dates_in_the_term(school_head, chain):
    activity = chain.activity
    url = reverse("goals:edit", args=[activity.pk])
    assert school_head.get(url).context["form"]["seen_version"].value() is None  # a new change
    response = school_head.post(url, {"title": activity.title, "start_date": "2150-01-01", "due_date": ""})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [starts_within(chain.period)]
    assert not Revision.objects.exists()


def test_the_admin_refuses_the_same_dates(admin, chain, english):
    form = goal_admin_form(
        chain.activity, title="Läsombud", start_date="9999-12-31", treebeard_ref_node=chain.department_goal.pk
    )
    response = admin.post(reverse("admin:goals_goal_add"), form)
    assert admin_form_errors(response) == [starts_within(chain.period)]
    assert not Goal.objects.filter(title="Läsombud").exists()


@pytest.mark.parametrize("slip", TYPING_SLIPS)
def test_the_api_refuses_the_same_dates(cast, chain, group, slip):
    response = token_client(member_of(group.school, "sara")).post(
        reverse("api:goal-list"),
        {
            "unit": group.school.slug,
            "level": Level.ACTIVITY,
            "parent": chain.department_goal.pk,
            "title": "Läsombud",
            "due_date": slip,
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"non_field_errors": [due_within(chain.period)]}
    assert not Goal.objects.filter(title="Läsombud").exists()


def test_an_activity_stored_with_nonsense_dates_stays_readable(client, chain, group):
    Goal.objects.filter(pk=chain.activity.pk).update(
        start_date=datetime.date(1, 1, 1), due_date=datetime.date(9999, 12, 31)
    )
    page = client.get(chain.activity.get_absolute_url())
    assert page.status_code == 200
    assert "9999" in page.content.decode()
    response = token_client(member_of(group.school, "sara")).get(
        reverse("api:goal-detail", args=[chain.activity.pk])
    )
    assert (response.status_code, response.json()["due_date"]) == (200, "9999-12-31")


# A decision's meeting ----------------------------------------------------------------------------


@pytest.fixture
def submitted_body_goal(workflow_chain, group):
    goal = add_goal(Level.BODY, "Fler elever läser på fritiden", group.committee, workflow_chain.strategic)
    goal_submit(goal=goal, by=None)
    return goal


def meeting_within(period: Period, today: datetime.date) -> str:
    return (
        f"The meeting date lies between 1 January {period.year - 1} and today, "
        f"{today.day} {today:%B} {today.year}: the meeting has taken place, and goals of {period.year} are "
        "decided from the year before."
    )


@pytest.mark.parametrize("meeting_date", ["2999-01-01", "0001-01-01", "tomorrow"])
def test_the_queue_refuses_a_meeting_that_has_not_taken_place_or_long_before_the_year(
    client, group, workflow_chain, submitted_body_goal, meeting_date
):
    today = timezone.localdate()
    if meeting_date == "tomorrow":
        meeting_date = (today + datetime.timedelta(days=1)).isoformat()
    client.force_login(member_of(group.committee, "eva", role="politician", position="chair"))
    prefix = f"unit-{group.committee.pk}"
    response = client.post(
        reverse("goals:queue"),
        {
            "unit": group.committee.pk,
            f"{prefix}-goals": [submitted_body_goal.pk],
            f"{prefix}-meeting_date": meeting_date,
            f"{prefix}-paragraph": "§ 14",
            f"{prefix}-action": "approve",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    [(_unit, _items, form)] = response.context["groups"]
    assert form.errors == {"meeting_date": [meeting_within(workflow_chain.period, today)]}
    assert not Decision.objects.exists()
    assert Goal.objects.get(pk=submitted_body_goal.pk).status == "submitted"


def test_the_queues_date_picker_offers_no_meeting_still_to_come(client, group, submitted_body_goal):
    client.force_login(member_of(group.committee, "eva", role="politician", position="chair"))
    [(_unit, _items, form)] = client.get(reverse("goals:queue")).context["groups"]
    assert form.fields["meeting_date"].widget.attrs["max"] == timezone.localdate().isoformat()


def test_the_queue_records_a_meeting_held_today(client, group, submitted_body_goal):
    client.force_login(member_of(group.committee, "eva", role="politician", position="chair"))
    prefix = f"unit-{group.committee.pk}"
    client.post(
        reverse("goals:queue"),
        {
            "unit": group.committee.pk,
            f"{prefix}-goals": [submitted_body_goal.pk],
            f"{prefix}-meeting_date": timezone.localdate().isoformat(),
            f"{prefix}-paragraph": "§ 14",
            f"{prefix}-action": "approve",
        },
    )
    assert list(Decision.objects.values_list("meeting_date", flat=True)) == [timezone.localdate()]


@pytest.mark.parametrize("meeting_date", ["2999-01-01", "0001-01-01"])
def test_the_api_refuses_the_same_meeting_dates(cast, workflow_chain, submitted_body_goal, meeting_date):
    response = token_client(cast["admin"]).post(
        reverse("api:goal-approve"),
        {"goals": [submitted_body_goal.pk], "meeting_date": meeting_date, "paragraph": "§ 14"},
        format="json",
    )
    assert response.status_code == 400
    message = meeting_within(workflow_chain.period, timezone.localdate())
    assert response.json()["errors"] == {"meeting_date": [message]}
    assert not Decision.objects.exists()


def test_a_decision_recorded_elsewhere_is_checked_by_its_model(group, english):
    decision = Decision(
        deciding_unit=group.committee, meeting_date=datetime.date(2999, 1, 1), paragraph="§ 1"
    )
    with pytest.raises(ValidationError) as refusal:
        decision.clean()
    assert refusal.value.message_dict == {
        "meeting_date": [
            "The meeting date is 1 January 2999: a decision is recorded once its meeting has taken place."
        ]
    }
