"""A process's history page: who changed the process, when and what, in words a person reads."""

import pytest
from django.urls import reverse

from processes.models import Process, ProcessKind
from tests.kit.people import member_of

pytestmark = pytest.mark.django_db


def history_url(process) -> str:
    return reverse("processes:history", args=[process.slug])


def test_an_edit_through_the_portal_reads_as_names_and_labels_with_who_made_it(client, group, processes):
    process = processes.hr
    owner = member_of(group.board, "eva")
    owner.first_name, owner.last_name = "Eva", "Berg"
    owner.save()
    process.owner = owner
    process.save()
    client.force_login(owner)
    client.post(
        reverse("processes:edit", args=[process.slug]),
        {
            "name": "HR",
            "purpose": "Rätt kompetens på rätt plats.",
            "owner": owner.pk,
            "owning_unit": group.administration.pk,
            "is_active": "on",
            "version": Process.objects.get(pk=process.pk).version,
        },
    )
    process = Process.objects.get(pk=process.pk)
    process.kind = ProcessKind.MANAGEMENT
    process.save()

    response = client.get(history_url(process))

    [rekinded, edited, given_owner, _created] = response.context["entries"]
    assert rekinded.changes == [("Typ", "Stödprocess", "Ledningsprocess")]
    assert (edited.changes, edited.version.history_user) == (
        [
            ("Ägande enhet", "Kommunstyrelsen", "Utbildningsförvaltningen"),
            ("Syfte", "", "Rätt kompetens på rätt plats."),
        ],
        owner,
    )
    assert given_owner.changes == [("Processägare", "", "Eva Berg")]
    html = response.content.decode()
    assert "<ins>Utbildningsförvaltningen</ins>" in html and "Eva Berg" in html


def test_the_process_page_links_to_its_history_for_signed_in_people_only(client, group, processes):
    page = processes.learning.get_absolute_url()
    assert history_url(processes.learning) not in client.get(page).content.decode()
    client.force_login(member_of(group.school, "sara"))
    assert history_url(processes.learning) in client.get(page).content.decode()


def test_an_anonymous_visitor_is_sent_to_sign_in(client, processes):
    response = client.get(history_url(processes.learning))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("edits", [1, 20])
def test_the_history_page_has_the_same_query_count_at_any_length(
    client, group, processes, django_assert_num_queries, edits
):
    process = processes.learning
    for number in range(edits):
        process.purpose = f"Syfte {number}"
        process.owning_unit = group.board if number % 2 else group.administration
        process.save()
    client.force_login(member_of(group.school, "sara"))
    # 1: the session, 2: the user, 3: the process, 4: every version with its user, owner and
    # owning unit; for the menu's count of the to-do list, 5: the user's memberships, 6: the count.
    with django_assert_num_queries(6):
        response = client.get(history_url(process))
    assert len(response.context["entries"]) == edits + 1


def test_the_admins_history_reads_the_same_as_the_portals(admin_client, group, processes):
    process = processes.hr
    process.kind = ProcessKind.MANAGEMENT
    process.owning_unit = group.administration
    process.save()
    admin_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "sv"

    response = admin_client.get(reverse("admin:processes_process_history", args=[process.pk]))

    [changed, _created] = response.context["page_obj"]
    assert changed.history_delta_changes == [
        {"field": "Typ", "old": "Stödprocess", "new": "Ledningsprocess"},
        {"field": "Ägande enhet", "old": "Kommunstyrelsen", "new": "Utbildningsförvaltningen"},
    ]
