"""An approved goal's content is locked: a change is a revision, which supersedes it only when it
is approved in turn. Until then everyone sees the goal as it was approved."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from goals.chain.services import goal_approve, goal_return, goal_revise, goal_submit, revision_discard
from goals.chain.workflow import Status
from goals.models import Decision, Goal, Revision
from processes.models import Process
from tests.kit.chain import this_year_number
from tests.kit.people import member_of

pytestmark = pytest.mark.django_db

APPROVED_TITLE = "Tidiga insatser i läsning"
PROPOSED_TITLE = "Tidiga insatser i läsning och räkning"
MEETING = {"meeting_date": datetime.date(2026, 3, 5), "paragraph": "§ 9"}

# The activities' dates lie in the chain's year (its term of office), whatever year the suite runs in.
THIS_YEAR = this_year_number()


@pytest.fixture
def karin(group):
    """The manager of the administration, who owns its operational goal and decides it by delegation."""
    return member_of(group.administration, "karin")


def propose(client, goal, **changes):
    """Open the goal's change form, as a person does (where it opens), and send it with ``changes``."""
    url = reverse("goals:edit", args=[goal.pk])
    page = client.get(url, follow=True)  # a goal that cannot change sends the person back to it
    seen = None if page.redirect_chain else page.context["form"]["seen_version"].value()
    data = {"title": goal.title, "description": goal.description, "seen_version": seen}
    return client.post(url, {name: value for name, value in data.items() if value is not None} | changes)


def test_editing_an_approved_goal_proposes_a_change_and_keeps_the_approved_text(client, chain, karin):
    client.force_login(karin)
    response = propose(client, chain.operational, title=PROPOSED_TITLE)
    assert response["Location"] == chain.operational.get_absolute_url()
    goal = Goal.objects.get(pk=chain.operational.pk)
    assert (goal.title, goal.status) == (APPROVED_TITLE, Status.APPROVED)
    revision = Revision.objects.get(goal=goal)
    assert (revision.title, revision.status, revision.proposed_by) == (PROPOSED_TITLE, Status.DRAFT, karin)

    page = client.get(goal.get_absolute_url())
    assert page.context["revision_changes"] == [("rubrik", APPROVED_TITLE, PROPOSED_TITLE)]
    assert "En ändring är föreslagen" in page.content.decode()

    client.logout()
    public = client.get(goal.get_absolute_url()).content.decode()
    assert APPROVED_TITLE in public
    assert PROPOSED_TITLE not in public


def test_the_change_form_starts_from_the_approved_goal_and_then_from_the_draft(client, chain, karin):
    process = Process.objects.create(kind="main", name="Lärande", owning_unit=chain.group.administration)
    chain.operational.processes.add(process)
    client.force_login(karin)
    url = reverse("goals:edit", args=[chain.operational.pk])
    form = client.get(url).context["form"]
    assert (form["title"].value(), form["processes"].value()) == (APPROVED_TITLE, [process.pk])
    assert "due_date" not in form.fields  # an operational goal has no dates
    propose(client, chain.operational, title=PROPOSED_TITLE, processes=[process.pk])
    propose(client, chain.operational, title=PROPOSED_TITLE + "!", processes=[])
    [revision] = Revision.objects.filter(goal=chain.operational)  # one open revision, edited further
    assert (revision.title, list(revision.processes.all())) == (PROPOSED_TITLE + "!", [])
    assert client.get(url).context["form"]["title"].value() == PROPOSED_TITLE + "!"


def test_a_change_is_checked_by_the_same_rules_as_the_goal(client, chain, group):
    client.force_login(member_of(group.school, "sara"))
    response = propose(client, chain.activity, start_date=f"{THIS_YEAR}-05-01", due_date=f"{THIS_YEAR}-04-01")
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == ["Slutdatumet ligger före startdatumet."]
    care = Process.objects.create(kind="main", name="Omsorg", owning_unit=group.other_committee)
    response = propose(client, chain.activity, processes=[care.pk])
    assert response.context["form"].errors["processes"]
    assert not Revision.objects.exists()


def test_a_revision_supersedes_the_approved_goal_only_when_it_is_approved(chain, karin):
    goal = chain.operational
    content = {name: getattr(goal, name) for name in Revision.CONTENT_FIELDS} | {"title": PROPOSED_TITLE}
    revision = goal_revise(version=None, goal=goal, by=karin, content=content, processes=[])
    goal_submit(goal=goal, by=karin)
    assert Goal.objects.get(pk=goal.pk).title == APPROVED_TITLE

    goal_return(goal=goal, by=karin, comment="Räkning hör till nästa år.")
    revision.refresh_from_db()
    assert (revision.status, revision.return_comment) == (Status.RETURNED, "Räkning hör till nästa år.")
    assert Goal.objects.get(pk=goal.pk).status == Status.APPROVED  # sending the change back keeps the goal

    goal_submit(goal=goal, by=karin)
    decision = goal_approve(goals=[Goal.objects.get(pk=goal.pk)], by=karin, **MEETING)
    goal = Goal.objects.get(pk=goal.pk)
    revision.refresh_from_db()
    assert (goal.title, goal.status) == (PROPOSED_TITLE, Status.APPROVED)
    assert (revision.status, revision.decision) == (Status.APPROVED, decision)
    assert list(decision.goals.all()) == [goal]
    newest = goal.history.order_by("-history_date", "-history_id").first()
    assert (newest.title, newest.history_user, newest.history_change_reason) == (
        PROPOSED_TITLE,
        karin,
        "change approved",
    )
    assert goal.open_revision() is None  # the next change starts a new revision


def test_approving_a_change_sets_the_processes_it_proposes(chain, karin):
    process = Process.objects.create(kind="main", name="Lärande", owning_unit=chain.group.administration)
    content = {name: getattr(chain.operational, name) for name in Revision.CONTENT_FIELDS}
    goal_revise(version=None, goal=chain.operational, by=karin, content=content, processes=[process])
    goal_submit(goal=chain.operational, by=karin)
    goal_approve(goals=[chain.operational], by=karin, **MEETING)
    assert list(chain.operational.processes.all()) == [process]


@pytest.mark.parametrize("status", [Status.DRAFT, Status.SUBMITTED, Status.RETURNED, Status.ARCHIVED])
def test_only_an_approved_goal_is_revised(chain, status):
    Goal.objects.filter(pk=chain.operational.pk).update(status=status)
    chain.refresh()
    content = {name: getattr(chain.operational, name) for name in Revision.CONTENT_FIELDS}
    with pytest.raises(ValidationError):
        goal_revise(version=None, goal=chain.operational, by=None, content=content, processes=[])


def test_a_submitted_change_cannot_be_edited_or_discarded(client, chain, karin):
    content = {name: getattr(chain.operational, name) for name in Revision.CONTENT_FIELDS}
    revision = goal_revise(version=None, goal=chain.operational, by=karin, content=content, processes=[])
    goal_submit(goal=chain.operational, by=karin)
    with pytest.raises(ValidationError):
        goal_revise(version=None, goal=chain.operational, by=karin, content=content, processes=[])
    revision.refresh_from_db()
    with pytest.raises(ValidationError):
        revision_discard(revision=revision, by=karin)
    with pytest.raises(ValidationError):
        goal_submit(goal=chain.operational, by=karin)

    client.force_login(karin)
    response = propose(client, chain.operational, title="Något annat")
    assert response["Location"] == chain.operational.get_absolute_url()
    assert Revision.objects.get(pk=revision.pk).title == APPROVED_TITLE
    messages = [str(message) for message in response.wsgi_request._messages]
    assert messages == [
        "”Tidiga insatser i läsning” väntar på beslut av Utbildningsförvaltningen och kan inte ändras nu; "
        "de kan skicka tillbaka det."
    ]


@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.ARCHIVED])
def test_a_goal_waiting_for_its_decision_or_archived_is_not_edited(client, chain, karin, status):
    Goal.objects.filter(pk=chain.operational.pk).update(status=status)
    client.force_login(karin)
    assert client.get(reverse("goals:edit", args=[chain.operational.pk])).status_code == 302
    propose(client, chain.operational, title="Ändrad", parent=chain.body.pk)
    assert Goal.objects.get(pk=chain.operational.pk).title == APPROVED_TITLE
    assert not Revision.objects.exists()


def test_a_draft_change_is_discarded_and_the_goal_stays(client, chain, karin):
    client.force_login(karin)
    propose(client, chain.operational, title=PROPOSED_TITLE)
    response = client.post(reverse("goals:discard-revision", args=[chain.operational.pk]))
    assert response["Location"] == chain.operational.get_absolute_url()
    assert not Revision.objects.exists()
    assert Goal.objects.get(pk=chain.operational.pk).title == APPROVED_TITLE
    # Nothing left to discard.
    assert client.post(reverse("goals:discard-revision", args=[chain.operational.pk])).status_code == 404


def test_the_queue_shows_what_a_change_changes_and_approves_it(client, chain, group, karin):
    client.force_login(karin)
    propose(client, chain.operational, title=PROPOSED_TITLE)
    client.post(reverse("goals:submit", args=[chain.operational.pk]))
    queue = client.get(reverse("goals:queue"))
    [(unit, [(goal, _chain, changes, _waits_for)], _form)] = queue.context["groups"]
    assert (unit, goal, changes) == (
        group.administration,
        chain.operational,
        [("rubrik", APPROVED_TITLE, PROPOSED_TITLE)],
    )
    assert f"<ins>{PROPOSED_TITLE}</ins>" in queue.content.decode()
    prefix = f"unit-{group.administration.pk}"
    client.post(
        reverse("goals:queue"),
        {
            "unit": group.administration.pk,
            f"{prefix}-goals": [chain.operational.pk],
            f"{prefix}-meeting_date": "2026-03-05",
            f"{prefix}-paragraph": "§ 9",
            f"{prefix}-action": "approve",
        },
    )
    assert Goal.objects.get(pk=chain.operational.pk).title == PROPOSED_TITLE
    assert Decision.objects.get().deciding_unit == group.administration


def test_the_history_page_shows_each_step_of_a_change_and_who_took_it(client, chain, group, karin):
    karin.first_name, karin.last_name = "Karin", "Lind"
    karin.save()
    client.force_login(karin)
    propose(client, chain.operational, title=PROPOSED_TITLE)
    client.post(reverse("goals:submit", args=[chain.operational.pk]))
    goal_approve(goals=[Goal.objects.get(pk=chain.operational.pk)], by=karin, **MEETING)
    response = client.get(reverse("goals:history", args=[chain.operational.pk]))
    html = response.content.decode()
    for step in ("Ändring föreslagen", "Ändring skickad för beslut", "Ändring beslutad"):
        assert step in html
    assert "Utbildningsförvaltningen 2026-03-05 § 9" in html
    [newest, *_rest] = [entry for entry in response.context["entries"] if entry.changes is not None]
    assert newest.version.history_user == karin
    assert ("Rubrik", APPROVED_TITLE, PROPOSED_TITLE) in newest.changes


def test_the_admin_shows_an_approved_goals_content_read_only(admin, chain):
    response = admin.get(reverse("admin:goals_goal_change", args=[chain.operational.pk]))
    form = response.context["adminform"].form
    assert "title" not in form.fields
    assert "processes" not in form.fields
    draft = Goal.objects.filter(pk=chain.operational.pk)
    draft.update(status=Status.DRAFT)
    response = admin.get(reverse("admin:goals_goal_change", args=[chain.operational.pk]))
    assert "title" in response.context["adminform"].form.fields
