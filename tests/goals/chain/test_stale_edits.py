"""Two people edit the same record: the one who saves second is told, and loses nothing."""

import pytest
from django.urls import reverse

from goals.models import Goal, ReportingPeriod, ReportingPeriodKind
from tests.kit.people import member_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def edit_form(client, goal) -> dict:
    """What the goal's edit page sends back unchanged: its fields as the form shows them."""
    form = client.get(reverse("goals:edit", args=[goal.pk])).context["form"]
    values = {name: form[name].value() for name in form.fields}
    return {name: value for name, value in values.items() if value not in (None, [])}


@pytest.fixture
def karin(client, group):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return member_of(group.administration, "karin")


def test_a_stale_goal_edit_is_refused_with_who_saved_and_keeps_the_text(client, draft_chain, group, karin):
    goal = draft_chain.operational
    lars = member_of(group.administration, "lars", role="editor")
    client.force_login(lars)
    lars_form = edit_form(client, goal)
    client.force_login(karin)
    karin_form = edit_form(client, goal)
    client.post(reverse("goals:edit", args=[goal.pk]), karin_form | {"title": "Karins rubrik"})

    client.force_login(lars)
    response = client.post(reverse("goals:edit", args=[goal.pk]), lars_form | {"title": "Lars rubrik"})
    form = response.context["form"]
    [message] = form.non_field_errors()
    assert message.startswith("karin saved “Karins rubrik” at ")
    assert message.endswith(", after you opened it. Compare with what is saved now and save again.")
    assert form["title"].value() == "Lars rubrik"  # nothing typed is lost
    assert form["title"].help_text == "Saved now: Karins rubrik"  # and theirs is shown beside it
    assert form["description"].help_text == ""  # where the two agree, nothing is said
    assert Goal.objects.get(pk=goal.pk).title == "Karins rubrik"  # nor overwritten
    # Having compared, saving again is a choice, and goes through.
    assert form["seen_version"].value() == Goal.objects.get(pk=goal.pk).version
    response = client.post(
        reverse("goals:edit", args=[goal.pk]),
        lars_form | {"title": "Lars rubrik", "seen_version": form["seen_version"].value()},
    )
    assert response.status_code == 302
    assert Goal.objects.get(pk=goal.pk).title == "Lars rubrik"


def test_a_stale_follow_up_is_refused_and_keeps_the_text(client, chain, group, karin):
    annual = ReportingPeriod.objects.get(period=chain.period, kind=ReportingPeriodKind.ANNUAL)
    url = reverse("goals:follow-up", args=[chain.operational.pk, annual.pk])
    report = {"attainment": "partly", "commentary": "Första rapporten.", "next_steps": "", "action": "save"}
    client.force_login(karin)
    client.post(url, report)  # the first report
    lars = member_of(group.administration, "lars", role="editor")
    client.force_login(lars)
    # Lars opened the page before Karin's report: his form knew of no follow-up.
    response = client.post(url, report | {"commentary": "Lars rapport.", "seen_version": ""})
    form = response.context["form"]
    [message] = form.non_field_errors()
    assert message.startswith("karin saved “")
    assert form["commentary"].value() == "Lars rapport."
    assert chain.operational.follow_ups.get().commentary == "Första rapporten."
