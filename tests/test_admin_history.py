"""The admin in the portal's languages, and its History of the records that keep one."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from goals.models import Decision, Indicator
from orgunits.models import Membership, OrgUnit, Role
from processes.models import Process, ProcessKind
from tests.kit.admin_forms import drag_under

pytestmark = pytest.mark.django_db

# Where treebeard's changelist script posts a drop (a path treebeard gives no name).
MOVE_URL = "/admin/orgunits/orgunit/move/"


@pytest.fixture
def swedish_admin(admin_client):
    """The signed-in superuser, browsing the admin in Swedish (the portal's default)."""
    admin_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "sv"
    return admin_client


def shown_messages(response) -> list[str]:
    return [str(message) for message in response.wsgi_request._messages]


def test_a_drag_and_drop_move_is_confirmed_in_swedish(swedish_admin, group):
    response = drag_under(swedish_admin, group.administration, group.board)
    assert response.status_code == 200
    assert shown_messages(response) == ["”Utbildningsförvaltningen” ligger nu under ”Kommunstyrelsen”."]


def test_a_drag_and_drop_move_is_confirmed_in_english(admin, group):
    response = drag_under(admin, group.administration, group.board)
    assert shown_messages(response) == ["“Utbildningsförvaltningen” now stands under “Kommunstyrelsen”."]


def test_a_drop_before_a_row_says_so(swedish_admin, group):
    response = swedish_admin.post(
        MOVE_URL,
        {"node": group.board.pk, "target": group.committee.pk, "relation": "sibling"},
    )
    assert shown_messages(response) == ["”Kommunstyrelsen” ligger nu före ”Utbildningsnämnden”."]


def test_a_move_the_form_cannot_read_is_a_swedish_message_not_a_500(swedish_admin, group):
    response = swedish_admin.post(MOVE_URL, {"node": "x", "relation": "up"})
    assert response.status_code == 400
    assert shown_messages(response) == ["Flytten kunde inte läsas: dra raden igen."]


def test_the_units_history_lists_a_move_with_who_made_it_and_where_it_went(swedish_admin, admin_user, group):
    drag_under(swedish_admin, group.administration, group.board)
    response = swedish_admin.get(reverse("admin:orgunits_orgunit_history", args=[group.administration.pk]))
    assert response.status_code == 200
    records = list(response.context["page_obj"])
    latest = records[0]
    assert (latest.history_change_reason, latest.history_user) == ("flyttad i trädet", admin_user)
    assert latest.history_delta_changes == [
        {"field": "Placerad under", "old": "Utbildningsnämnden", "new": "Kommunstyrelsen"}
    ]
    # One record for the move, not one from the manager and another from treebeard's view.
    assert [record.history_change_reason for record in records].count("flyttad i trädet") == 1
    page = response.content.decode()
    assert "Det finns ingen historik" not in page
    assert "Ändrad av" in page and "Changed by" not in page


def a_membership(group, people):
    return Membership.objects.create(user=people["karin"], org_unit=group.administration, role=Role.MANAGER)


def a_process(group, people):
    return Process.objects.create(
        kind=ProcessKind.MAIN, name="Lärande", slug="larande", owning_unit=group.committee
    )


def a_decision(group, people):
    return Decision.objects.create(
        deciding_unit=group.committee,
        meeting_date=datetime.date(2026, 1, 20),
        paragraph="§ 4",
        registry_number="UN 2026/1",
    )


def an_indicator(group, people):
    return Indicator.objects.create(code="UF-01", name="Behörighet till gymnasiet")


@pytest.mark.parametrize("make", [a_membership, a_process, a_decision, an_indicator])
def test_the_history_of_memberships_processes_decisions_and_indicators_lists_their_records(
    swedish_admin, group, django_user_model, make
):
    people = {"karin": django_user_model.objects.create_user("karin.lind")}
    record = make(group, people)
    meta = type(record)._meta
    response = swedish_admin.get(
        reverse(f"admin:{meta.app_label}_{meta.model_name}_history", args=[record.pk])
    )
    assert response.status_code == 200
    assert [entry.history_type for entry in response.context["page_obj"]] == ["+"]
    assert "Det finns ingen historik" not in response.content.decode()


def test_an_old_version_is_shown_but_never_brought_back(swedish_admin, group):
    drag_under(swedish_admin, group.administration, group.board)
    first = group.administration.history.earliest()
    url = reverse("admin:orgunits_orgunit_simple_history", args=[group.administration.pk, first.history_id])
    shown = swedish_admin.get(url)
    assert shown.status_code == 200
    assert "_change_history" not in shown.content.decode()  # no revert button
    assert swedish_admin.post(url, {"name": "Tillbaka"}).status_code == 403
    assert OrgUnit.objects.get(pk=group.administration.pk).name == "Utbildningsförvaltningen"


def test_the_admin_index_in_swedish_names_the_sign_in_protection_and_the_term_of_office(swedish_admin, chain):
    index = swedish_admin.get(reverse("admin:index")).content.decode()
    assert "Inloggningsskydd" in index and "Inloggningsloggar" in index
    for english in ("Axes", "Access attempts", "Access logs", "Access failures"):
        assert english not in index
    periods = swedish_admin.get(reverse("admin:goals_period_changelist")).content.decode()
    assert "Mandatperiod" in periods
    assert "Term label" not in periods
    AccessAttempt.objects.create(
        ip_address="192.0.2.1", username="karin.lind", user_agent="Firefox", failures_since_start=3
    )
    attempts = swedish_admin.get(reverse("admin:axes_accessattempt_changelist")).content.decode()
    assert "IP-adress" in attempts and "IP Address" not in attempts
