"""The process pages, the target group page, the matrix and its CSV, and editing a process."""

import csv
import io

import pytest
from django.urls import reverse

from goals.models import Goal
from processes.models import Process
from tests.conftest import grow_chain

pytestmark = pytest.mark.django_db

MATRIX_URL = reverse("goals:matrix")


def serve_all(chain, process) -> None:
    """Let every goal of the chain's period below the vision serve ``process``."""
    for goal in Goal.objects.filter(period=chain.period).exclude(pk=chain.vision.pk):
        goal.processes.add(process)


def test_the_processes_are_grouped_by_kind(client, processes):
    response = client.get(reverse("processes:list"))
    assert [(label, list(items)) for label, items in response.context["by_kind"]] == [
        ("Huvudprocess", [processes.learning, processes.care]),
        ("Stödprocess", [processes.hr]),
    ]


def test_a_process_page_shows_its_goals_grouped_by_organisation(client, chain, group, processes):
    for goal in (chain.strategic, chain.body, chain.operational, chain.activity, chain.subsidiary_goal):
        goal.processes.add(processes.learning)
    response = client.get(processes.learning.get_absolute_url())
    [section] = response.context["sections"]
    groups = [
        (organisation, [node.item for node in forest]) for organisation, forest in section.context["groups"]
    ]
    # The political bodies' goals first (nested: the body goal under the strategic goal), then each
    # organisation's, in the order of the organisation tree.
    assert groups == [
        (None, [chain.strategic]),
        (group.administration, [chain.operational]),
        (group.subsidiary, [chain.subsidiary_goal]),
    ]
    # Nested as chains: the body goal under the strategic goal, and the school's activity under the
    # administration's goal, though the department's goal between them serves another process.
    assert [node.item for node in section.context["groups"][0][1][0].children] == [chain.body]
    assert [node.item for node in section.context["groups"][1][1][0].children] == [chain.activity]
    html = response.content.decode()
    assert "Alla barn lär sig." in html
    assert "Barn och unga" in html
    assert "Läsveckor i årskurs 1–3" in html


@pytest.mark.parametrize("size", [10, 200])
def test_a_process_page_has_the_same_query_count_at_any_size(
    client, chain, processes, django_assert_num_queries, size
):
    grow_chain(chain, size)
    serve_all(chain, processes.learning)
    # 1: the process with its owning unit and owner, 2: its participants, 3: its target groups,
    # 4: the period shown, 5: the goals serving it, 6: the organisations, 7: every period.
    with django_assert_num_queries(7):
        response = client.get(processes.learning.get_absolute_url())
    assert response.context["sections"][0].context["count"] == size - 1


def test_a_target_group_page_shows_the_processes_and_goals_aimed_at_it_and_its_sub_groups(
    client, chain, processes
):
    chain.operational.processes.add(processes.learning)
    response = client.get(processes.residents.get_absolute_url())
    assert list(response.context["processes"]) == [processes.learning]
    assert list(response.context["sub_groups"]) == [processes.children]
    [section] = response.context["sections"]
    assert [node.item for _organisation, forest in section.context["groups"] for node in forest] == [
        chain.operational
    ]
    assert list(client.get(processes.businesses.get_absolute_url()).context["processes"]) == []


@pytest.mark.parametrize("size", [10, 200])
def test_a_target_group_page_has_the_same_query_count_at_any_size(
    client, chain, processes, django_assert_num_queries, size
):
    grow_chain(chain, size)
    serve_all(chain, processes.learning)
    # 1: the group, 2: its ancestors, (none for its sub-groups: it has none), 3: the processes aimed
    # at it, 4: the period shown, 5: the goals aimed at it, 6: the organisations, 7: every period.
    with django_assert_num_queries(7):
        client.get(processes.children.get_absolute_url())


def test_the_matrix_counts_each_organisations_goals_per_process(client, chain, group, processes):
    for goal in (
        chain.strategic,
        chain.body,
        chain.operational,
        chain.department_goal,
        chain.subsidiary_goal,
    ):
        goal.processes.add(processes.learning)
    chain.activity.processes.add(processes.care)
    response = client.get(MATRIX_URL)
    headings = [heading for _column, heading in response.context["columns"]]
    assert headings == [
        "Fullmäktige, styrelse och nämnder",
        "Utbildningsförvaltningen",
        "Stadshus AB",
        "Bostäder AB",
        "Räddningstjänsten",
    ]
    assert [(process, [cell.count for cell in cells]) for process, cells in response.context["rows"]] == [
        (processes.learning, [2, 2, 0, 1, 0]),
        (processes.care, [0, 1, 0, 0, 0]),
        (processes.hr, [0, 0, 0, 0, 0]),
    ]
    html = response.content.decode()
    assert '<th scope="col">Process</th>' in html
    assert html.count('<th scope="row">') == 3


def test_the_matrix_csv_holds_the_same_table(client, chain, processes):
    chain.operational.processes.add(processes.learning)
    response = client.get(MATRIX_URL, {"format": "csv"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="processer-{chain.period.year}.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows == [
        [
            "Process",
            "Typ",
            "Fullmäktige, styrelse och nämnder",
            "Utbildningsförvaltningen",
            "Stadshus AB",
            "Bostäder AB",
            "Räddningstjänsten",
        ],
        ["Lärande", "Huvudprocess", "0", "1", "0", "0", "0"],
        ["Omsorg och stöd", "Huvudprocess", "0", "0", "0", "0", "0"],
        ["HR", "Stödprocess", "0", "0", "0", "0", "0"],
    ]


@pytest.mark.parametrize("size", [10, 200])
def test_the_matrix_has_the_same_query_count_at_any_size(
    client, chain, processes, django_assert_num_queries, size
):
    grow_chain(chain, size)
    serve_all(chain, processes.learning)
    # 1: the period shown, 2: the processes, 3: the organisations, 4: the goals' links to processes,
    # 5: every period.
    with django_assert_num_queries(5):
        response = client.get(MATRIX_URL)
    assert sum(cell.count for cell in response.context["rows"][0][1]) == size - 1


def test_staff_edit_a_process(client, group, processes, django_user_model):
    client.force_login(django_user_model.objects.create_user("admin2", password="x", is_staff=True))
    response = client.post(
        reverse("processes:edit", args=[processes.care.slug]),
        {
            "name": "Omsorg och stöd",
            "purpose": "Stöd i tid.",
            "owning_unit": group.other_committee.pk,
            "participants": [group.committee.pk],
            "target_groups": [processes.residents.pk],
            "is_active": "on",
        },
    )
    assert response["Location"] == processes.care.get_absolute_url()
    care = Process.objects.get(pk=processes.care.pk)
    assert (care.purpose, list(care.participants.all()), list(care.target_groups.all())) == (
        "Stöd i tid.",
        [group.committee],
        [processes.residents],
    )


def test_others_may_not_edit_a_process(client, processes, django_user_model):
    url = reverse("processes:edit", args=[processes.care.slug])
    assert client.get(url)["Location"].startswith(reverse("login"))
    client.force_login(django_user_model.objects.create_user("karin.lind", password="x"))
    assert client.get(url).status_code == 403
    assert client.post(url, {"name": "Kapad"}).status_code == 403
    assert Process.objects.get(pk=processes.care.pk).name == "Omsorg och stöd"


def test_an_unknown_process_or_group_is_not_found(client, processes):
    assert client.get(reverse("processes:detail", args=["finns-inte"])).status_code == 404
    assert client.get(reverse("processes:target-group", args=["finns-inte"])).status_code == 404


def test_a_second_process_of_the_same_name_gets_an_address_of_its_own(group, processes):
    twin = Process.objects.create(kind="main", name="Lärande", owning_unit=group.committee)
    assert (processes.learning.slug, twin.slug) == ("larande", "larande-2")
