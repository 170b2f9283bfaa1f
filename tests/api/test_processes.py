"""The processes' endpoints: processes (public; staff add, staff and the owner change) and target groups."""

import pytest
from django.urls import reverse

from orgunits.kinds import Kind
from processes.models import Process, ProcessKind, TargetGroup
from tests.kit.api_matrix import ADMIN, ApiCase, ApiMatrix
from tests.kit.clients import token_client
from tests.kit.organisation import Group, add_unit
from tests.kit.people import EVERYONE, build_cast
from tests.kit.worlds import ProcessesWorld, Scene, processes_world

pytestmark = pytest.mark.django_db

EDITORS = {"admin", "editor"}  # staff, and the process's owner (the editor)


@pytest.fixture
def world(group, cast) -> ProcessesWorld:
    return processes_world(group, cast)


def process_url(process):
    return reverse("api:process-detail", args=[process.slug])


def group_url(target_group):
    return reverse("api:target-group-detail", args=[target_group.slug])


def fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


API_CASES = [
    ApiCase("process-list", "get", EVERYONE, lambda w: reverse("api:process-list")),
    ApiCase("process-detail", "get", EVERYONE, lambda w: process_url(w.process)),
    ApiCase(
        "process-list",
        "post",
        ADMIN,
        lambda w: reverse("api:process-list"),
        lambda w: {"kind": "support", "name": "Ekonomi", "owning_unit": w.group.board.slug},
        lambda w: Process.objects.filter(name="Ekonomi").exists(),
    ),
    ApiCase(
        "process-detail",
        "put",
        EDITORS,
        lambda w: process_url(w.process),
        lambda w: {
            "kind": "main",
            "name": "Lärande",
            "purpose": "Nytt syfte",
            "owner": "lars",
            "owning_unit": w.group.committee.slug,
            "participants": [],
            "target_groups": ["invanare"],
            "is_active": True,
        },
        lambda w: fresh(w.process).purpose == "Nytt syfte",
    ),
    ApiCase(
        "process-detail",
        "patch",
        EDITORS,
        lambda w: process_url(w.process),
        lambda w: {"purpose": "Nytt syfte"},
        lambda w: fresh(w.process).purpose == "Nytt syfte",
    ),
    ApiCase("target-group-list", "get", EVERYONE, lambda w: reverse("api:target-group-list")),
    ApiCase("target-group-detail", "get", EVERYONE, lambda w: group_url(w.children)),
    ApiCase(
        "target-group-list",
        "post",
        ADMIN,
        lambda w: reverse("api:target-group-list"),
        lambda w: {"name": "Äldre", "parent": "invanare"},
        lambda w: TargetGroup.objects.filter(name="Äldre").exists(),
    ),
    ApiCase(
        "target-group-detail",
        "put",
        ADMIN,
        lambda w: group_url(w.children),
        lambda w: {"name": "Unga", "slug": "barn", "description": ""},
        lambda w: fresh(w.children).name == "Unga",
    ),
    ApiCase(
        "target-group-detail",
        "patch",
        ADMIN,
        lambda w: group_url(w.children),
        lambda w: {"description": "0–18 år"},
        lambda w: fresh(w.children).description == "0–18 år",
    ),
]


class TestTheCastOnEveryEndpoint(ApiMatrix):
    cases = API_CASES

    def build(self) -> Scene:
        group = Group()
        cast = build_cast(group)
        return Scene(cast, processes_world(group, cast))


# Processes -------------------------------------------------------------------------------------


def test_a_process_reads_as_its_fields_with_slugs(api, world):
    assert api.get(process_url(world.process)).json() == {
        "id": world.process.pk,
        "slug": "larande",
        "kind": "main",
        "name": "Lärande",
        "purpose": "",
        "owner": "lars",
        "owning_unit": "utbildningsnamnden",
        "participants": ["stadshus-ab"],
        "target_groups": ["barn"],
        "is_active": True,
    }


def names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["name"] for row in response.json()["results"]]


@pytest.mark.parametrize(
    ("query", "expected_names"),
    [
        ({}, ["Lärande", "Styrning", "Ekonomi"]),
        ({"kind": ["support", "management"]}, ["Styrning", "Ekonomi"]),
        ({"active": "false"}, ["Styrning"]),
        ({"unit": "vastra-skolan"}, ["Lärande"]),  # through the committee above it
        ({"unit": "bostader-ab"}, ["Lärande", "Ekonomi"]),  # a participant above it, and itself
        ({"unit": "omsorgsnamnden"}, []),
        ({"unit": "kommunfullmaktige"}, ["Lärande", "Styrning", "Ekonomi"]),  # the council: all
        ({"target_group": "barn"}, ["Lärande"]),
        ({"target_group": "invanare"}, ["Ekonomi"]),
        ({"unit": "stadshus-ab", "kind": "main"}, ["Lärande"]),
    ],
)
def test_process_filters(api, world, query, expected_names):
    Process.objects.create(
        kind=ProcessKind.MANAGEMENT, name="Styrning", owning_unit=world.group.board, is_active=False
    )
    finance = Process.objects.create(kind=ProcessKind.SUPPORT, name="Ekonomi", owning_unit=world.group.board)
    finance.participants.set([world.group.subsidiary])
    finance.target_groups.set([world.residents])
    assert names(api.get(reverse("api:process-list"), query)) == expected_names


def test_an_unknown_unit_in_the_filter_is_a_400(api, world):
    response = api.get(reverse("api:process-list"), {"unit": "ingenstans"})
    assert response.status_code == 400
    assert response.json()["errors"] == {"unit": ["No organisation unit has the slug or id “ingenstans”."]}


def test_staff_add_a_process_with_its_units_and_groups(cast, world):
    response = token_client(cast["admin"]).post(
        reverse("api:process-list"),
        {
            "kind": "support",
            "name": "Ekonomi",
            "owning_unit": world.group.board.slug,
            "participants": ["stadshus-ab", "raddningstjansten"],
            "target_groups": ["invanare"],
            "owner": "lars",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    process = Process.objects.get(name="Ekonomi")
    assert response.json()["slug"] == "ekonomi"
    assert {unit.slug for unit in process.participants.all()} == {"stadshus-ab", "raddningstjansten"}
    assert list(process.target_groups.values_list("slug", flat=True)) == ["invanare"]
    assert process.history.first().history_user == cast["admin"]


def test_a_process_needs_its_fields(cast, world):
    response = token_client(cast["admin"]).post(
        reverse("api:process-list"), {"kind": "side", "owning_unit": "ingenstans"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "kind": ['"side" is not a valid choice.'],
        "name": ["This field is required."],
        "owning_unit": ["Object with slug=ingenstans does not exist."],
    }


def test_the_owner_may_not_hand_the_process_to_someone_else(cast, world):
    # The rule is asked of the process as changed too: it would no longer be the caller's.
    response = token_client(cast["editor"]).patch(
        process_url(world.process), {"owner": "karin"}, format="json"
    )
    assert response.status_code == 403
    assert fresh(world.process).owner == cast["editor"]


def test_a_dissolved_unit_cannot_own_a_process(cast, world):
    unit = add_unit(Kind.UNIT, "Gamla skolan", world.group.department, is_active=False)
    response = token_client(cast["admin"]).patch(
        process_url(world.process), {"owning_unit": unit.slug}, format="json"
    )
    assert response.status_code == 400
    assert fresh(world.process).owning_unit == world.group.committee


@pytest.mark.parametrize("size", [3, 30])
def test_the_process_list_takes_a_fixed_number_of_queries(api, world, django_assert_num_queries, size):
    for number in range(size):
        process = Process.objects.create(
            kind=ProcessKind.SUPPORT, name=f"Stöd {number}", owning_unit=world.group.board
        )
        process.participants.set([world.group.company, world.group.school])
        process.target_groups.set([world.residents])
    # 1. the count, 2. the page with owners and owning units, 3. the participants, 4. the groups
    with django_assert_num_queries(4):
        response = api.get(reverse("api:process-list"), {"page_size": 500})
    assert response.json()["count"] == size + 1


# Target groups ---------------------------------------------------------------------------------


def test_target_groups_read_as_a_tree_by_slug(api, world):
    assert api.get(reverse("api:target-group-list")).json()["results"] == [
        {
            "id": world.residents.pk,
            "slug": "invanare",
            "name": "Invånare",
            "description": "",
            "parent": None,
            "depth": 1,
        },
        {
            "id": world.children.pk,
            "slug": "barn",
            "name": "Barn och unga",
            "description": "",
            "parent": "invanare",
            "depth": 2,
        },
    ]


def test_staff_place_a_target_group_through_the_tree(cast, world):
    admin = token_client(cast["admin"])
    response = admin.post(
        reverse("api:target-group-list"), {"name": "Företag", "parent": None}, format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json() | {"id": None} == {
        "id": None,
        "slug": "foretag",
        "name": "Företag",
        "description": "",
        "parent": None,
        "depth": 1,
    }
    response = admin.post(
        reverse("api:target-group-list"), {"name": "Små", "slug": "sma", "parent": "foretag"}, format="json"
    )
    assert response.json()["parent"] == "foretag"
    assert TargetGroup.objects.get_parent(TargetGroup.objects.get(slug="sma")).slug == "foretag"


def test_a_target_groups_slug_is_unique(cast, world):
    response = token_client(cast["admin"]).post(
        reverse("api:target-group-list"), {"name": "Barn", "slug": "barn", "parent": None}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"slug": ["target group with this slug already exists."]}


@pytest.mark.parametrize("size", [3, 30])
def test_the_target_group_list_takes_a_fixed_number_of_queries(api, world, django_assert_num_queries, size):
    for number in range(size):
        TargetGroup.objects.add_child(
            world.residents, instance=TargetGroup(name=f"G{number}", slug=f"g{number}")
        )
    # 1. the count, 2. the page, each group with its parent's slug
    with django_assert_num_queries(2):
        response = api.get(reverse("api:target-group-list"), {"page_size": 500})
    assert response.json()["count"] == size + 2
