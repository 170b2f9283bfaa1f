"""The process pages, the target group page, the matrix and its CSV, and editing a process."""

import csv
import io

import pytest
from django.urls import reverse

from goals.models import Goal
from processes.models import Process
from tests.kit.chain import grow_chain

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


def shown(section) -> list[tuple]:
    """The section's groups as (organisation, how many goals it has in all pages, this page's goals
    with how many goals on the page break each down)."""
    return [
        (organisation, count, [(row.item, row.children) for row in rows])
        for organisation, count, rows in section.context["groups"]
    ]


def test_a_process_page_shows_its_goals_grouped_by_organisation(client, chain, group, processes):
    for goal in (chain.strategic, chain.body, chain.operational, chain.activity, chain.subsidiary_goal):
        goal.processes.add(processes.learning)
    response = client.get(processes.learning.get_absolute_url())
    [section] = response.context["sections"]
    # The political bodies' goals first, then each organisation's, in the order of the organisation
    # tree; nested as chains: the body goal under the strategic goal, and the school's activity under
    # the administration's goal, though the department's goal between them serves another process.
    assert shown(section) == [
        (None, 2, [(chain.strategic, 1), (chain.body, 0)]),
        (group.administration, 2, [(chain.operational, 1), (chain.activity, 0)]),
        (group.subsidiary, 1, [(chain.subsidiary_goal, 0)]),
    ]
    html = response.content.decode()
    assert "Alla barn lär sig." in html
    assert "Barn och unga" in html
    assert "Läsveckor i årskurs 1–3" in html
    assert (
        '<a href="/organisation/utbildningsforvaltningen/">Utbildningsförvaltningen</a> <span class="goal-meta">2 mål</span>'
        in html
    )
    assert 'class="pagination"' not in html


def test_a_process_page_shows_its_goals_a_page_at_a_time(client, chain, group, processes):
    grow_chain(chain, 130)
    # 129 goals: the strategic and body goals, 125 of the administration's, one of each company's.
    serve_all(chain, processes.learning)
    url = processes.learning.get_absolute_url()
    first = client.get(url).context["sections"][0]
    assert (first.context["count"], first.context["page_obj"].paginator.num_pages) == (129, 3)
    assert [(organisation, count, len(rows)) for organisation, count, rows in shown(first)] == [
        (None, 2, 2),
        (group.administration, 125, 48),
    ]
    # The administration's goals go on over the next pages, under its heading again.
    last = client.get(url, {"page": "3"}).context["sections"][0]
    assert [(organisation, count, len(rows)) for organisation, count, rows in shown(last)] == [
        (group.administration, 125, 27),
        (group.company, 1, 1),
        (group.subsidiary, 1, 1),
    ]
    html = client.get(url, {"page": "2"}).content.decode()
    assert '<a href="?page=1" rel="prev">' in html
    assert '<a href="?page=3" rel="next">' in html
    # A page that is not there shows the nearest that is, never an error.
    assert client.get(url, {"page": "99"}).context["sections"][0].context["page_obj"].number == 3
    assert client.get(url, {"page": "x"}).context["sections"][0].context["page_obj"].number == 1


@pytest.mark.parametrize("size", [10, 200])
@pytest.mark.parametrize("page", ["process", "target group"])
def test_a_process_or_target_group_page_has_the_same_query_count_at_any_size(
    client, chain, processes, django_assert_num_queries, page, size
):
    grow_chain(chain, size)
    serve_all(chain, processes.learning)
    # A process page: 1: the process with its owning unit and owner, 2: its participants, 3: its
    # target groups. A target group page: 1: the group, 2: its ancestors, (none for its sub-groups:
    # it has none), 3: the processes aimed at it. Both: 4: every period (to choose from, and the one
    # shown among them), 5: the organisations, 6: the paths of the goals it shows (to tell which
    # page holds which), 7: the page's goals with their grades.
    shown_on = {"process": processes.learning, "target group": processes.children}[page]
    with django_assert_num_queries(7):
        response = client.get(shown_on.get_absolute_url())
    section = response.context["sections"][0]
    assert section.context["count"] == size - 1
    assert sum(len(rows) for _organisation, _count, rows in section.context["groups"]) == min(size - 1, 50)


def test_a_target_group_page_shows_the_processes_and_goals_aimed_at_it_and_its_sub_groups(
    client, chain, processes
):
    chain.operational.processes.add(processes.learning)
    # Served twice over (by two processes aimed at the group), the goal is shown once.
    processes.care.target_groups.add(processes.residents)
    chain.operational.processes.add(processes.care)
    response = client.get(processes.residents.get_absolute_url())
    assert list(response.context["processes"]) == [processes.learning, processes.care]
    assert list(response.context["sub_groups"]) == [processes.children]
    [section] = response.context["sections"]
    assert shown(section) == [(chain.group.administration, 1, [(chain.operational, 0)])]
    assert list(client.get(processes.businesses.get_absolute_url()).context["processes"]) == []


def test_a_target_group_page_leaves_out_the_goals_of_inactive_processes(client, chain, processes):
    chain.operational.processes.add(processes.learning)
    processes.learning.is_active = False
    processes.learning.save()
    [section] = client.get(processes.residents.get_absolute_url()).context["sections"]
    assert (section.context["count"], section.context["groups"]) == (0, [])


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


def test_the_matrix_leaves_out_inactive_processes_but_counts_their_goals_elsewhere(client, chain, processes):
    chain.operational.processes.add(processes.learning, processes.care)
    chain.activity.processes.add(processes.care)
    processes.care.is_active = False
    processes.care.save()
    response = client.get(MATRIX_URL)
    assert [(process, [cell.count for cell in cells]) for process, cells in response.context["rows"]] == [
        (processes.learning, [0, 1, 0, 0, 0]),
        (processes.hr, [0, 0, 0, 0, 0]),
    ]


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
    # 1: the period shown, 2: the processes, 3: the organisations, 4: the goals' latest grades,
    # 5: the goals' links to processes, 6: every period; the shared cache of whole-group pages: a new
    # generation after the test's writes (5) and the table stored (5).
    with django_assert_num_queries(6 + 5 + 5):
        response = client.get(MATRIX_URL)
    assert sum(cell.count for cell in response.context["rows"][0][1]) == size - 1
    # Read again: the period shown, every period, and from the cache the generation and the table
    # in one query.
    with django_assert_num_queries(3):
        again = client.get(MATRIX_URL)
    assert again.context["table"] == response.context["table"]


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


def admin_form_data(response) -> dict:
    """What the admin's change form sends back unchanged."""
    form = response.context["adminform"].form
    values = {name: form[name].value() for name in form.fields}
    return {name: value for name, value in values.items() if value not in (None, [], False)}


def test_an_admin_saving_over_a_process_changed_meanwhile_is_told_and_keeps_the_text(
    client, processes, django_user_model
):
    url = reverse("admin:processes_process_change", args=[processes.care.pk])
    first = django_user_model.objects.create_superuser("alva", password="x")
    second = django_user_model.objects.create_superuser("bo", password="x")
    client.force_login(second)
    bos_form = admin_form_data(client.get(url))
    client.force_login(first)
    client.post(url, admin_form_data(client.get(url)) | {"purpose": "Alvas syfte."})

    client.force_login(second)
    response = client.post(url, bos_form | {"purpose": "Bos syfte."}, HTTP_ACCEPT_LANGUAGE="en")
    form = response.context["adminform"].form
    [message] = form.non_field_errors()
    assert message.startswith("alva saved “Omsorg och stöd” at ")
    assert (form["purpose"].value(), form["purpose"].help_text) == ("Bos syfte.", "Saved now: Alvas syfte.")
    assert Process.objects.get(pk=processes.care.pk).purpose == "Alvas syfte."
