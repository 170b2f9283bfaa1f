"""The organisation's endpoints: units (public to read, staff to change) and memberships."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator

from goals.chain.levels import Level
from orgunits.kinds import Kind
from orgunits.models import Membership, OrgUnit
from orgunits.services import orgunit_dissolve
from tests.kit.api_matrix import ADMIN, ApiCase, ApiMatrix
from tests.kit.chain import add_goal
from tests.kit.clients import token_client
from tests.kit.organisation import Group, build_group
from tests.kit.people import CAST, EVERYONE, build_cast, member_of
from tests.kit.worlds import MembershipsWorld, Scene, memberships_world

pytestmark = pytest.mark.django_db

MEMBERSHIP_MANAGERS = {"admin", "manager_inside"}


@pytest.fixture
def world(group, cast) -> MembershipsWorld:
    return memberships_world(group, cast)


def unit_url(unit, action="detail"):
    return reverse(f"api:orgunit-{action}", args=[unit.slug])


def membership_url(w):
    return reverse("api:membership-detail", args=[w.lars.pk])


def fresh(unit) -> OrgUnit:
    return OrgUnit.objects.get(pk=unit.pk)


def lars(w):
    return Membership.objects.filter(pk=w.lars.pk).first()


def dissolved_federation_url(w):
    orgunit_dissolve(unit=w.group.federation)
    return unit_url(w.group.federation, "restore")


API_CASES = [
    # The organisation is public.
    ApiCase("orgunit-list", "get", EVERYONE, lambda w: reverse("api:orgunit-list")),
    ApiCase("orgunit-detail", "get", EVERYONE, lambda w: unit_url(w.group.department)),
    ApiCase("orgunit-children", "get", EVERYONE, lambda w: unit_url(w.group.committee, "children")),
    ApiCase("orgunit-ancestors", "get", EVERYONE, lambda w: unit_url(w.group.school, "ancestors")),
    ApiCase("orgunit-subtree", "get", EVERYONE, lambda w: unit_url(w.group.committee, "subtree")),
    # Staff place, change and move units.
    ApiCase(
        "orgunit-list",
        "post",
        ADMIN,
        lambda w: reverse("api:orgunit-list"),
        lambda w: {"parent": w.group.department.slug, "name": "Östra skolan", "kind": Kind.UNIT},
        lambda w: OrgUnit.objects.filter(name="Östra skolan").exists(),
    ),
    ApiCase(
        "orgunit-detail",
        "put",
        ADMIN,
        lambda w: unit_url(w.group.school),
        lambda w: {"name": "Västra skolan F–9", "kind": Kind.UNIT},
        lambda w: fresh(w.group.school).name == "Västra skolan F–9",
    ),
    ApiCase(
        "orgunit-detail",
        "patch",
        ADMIN,
        lambda w: unit_url(w.group.school),
        lambda w: {"short_name": "VS"},
        lambda w: fresh(w.group.school).short_name == "VS",
    ),
    ApiCase(
        "orgunit-move",
        "post",
        ADMIN,
        lambda w: unit_url(w.group.school, "move"),
        lambda w: {"target": w.group.administration.slug, "position": "last-child"},
        lambda w: OrgUnit.objects.get_parent(fresh(w.group.school)) == w.group.administration,
    ),
    ApiCase(
        "orgunit-dissolve",
        "post",
        ADMIN,
        lambda w: unit_url(w.group.school, "dissolve"),
        happened=lambda w: not fresh(w.group.school).is_active,
    ),
    ApiCase(
        "orgunit-restore",
        "post",
        ADMIN,
        dissolved_federation_url,
        happened=lambda w: fresh(w.group.federation).is_active,
    ),
    # Memberships: staff, and a manager within their part of the organisation.
    ApiCase(
        "membership-list",
        "get",
        MEMBERSHIP_MANAGERS,
        lambda w: reverse("api:membership-list"),
        shows=lambda w, body: w.lars.pk in {row["id"] for row in body["results"]},
    ),
    ApiCase("membership-detail", "get", MEMBERSHIP_MANAGERS, membership_url),
    ApiCase(
        "membership-list",
        "post",
        MEMBERSHIP_MANAGERS,
        lambda w: reverse("api:membership-list"),
        lambda w: {"user": "nils", "org_unit": w.group.department.slug, "role": "editor"},
        lambda w: Membership.objects.filter(user__username="nils").exists(),
    ),
    ApiCase(
        "membership-detail",
        "put",
        MEMBERSHIP_MANAGERS,
        membership_url,
        lambda w: {"user": "lars", "org_unit": w.group.department.slug, "role": "viewer", "position": ""},
        lambda w: lars(w).role == "viewer",
    ),
    ApiCase(
        "membership-detail",
        "patch",
        MEMBERSHIP_MANAGERS,
        membership_url,
        lambda w: {"role": "manager"},
        lambda w: lars(w).role == "manager",
    ),
    ApiCase(
        "membership-detail",
        "delete",
        MEMBERSHIP_MANAGERS,
        membership_url,
        happened=lambda w: lars(w) is None,
    ),
]


class TestTheCastOnEveryEndpoint(ApiMatrix):
    cases = API_CASES

    def build(self) -> Scene:
        group = Group()
        cast = build_cast(group)
        return Scene(cast, memberships_world(group, cast))


def test_a_wrong_token_is_refused_even_where_no_sign_in_is_needed(api):
    api.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    response = api.get(reverse("api:orgunit-list"))
    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid token.", "errors": {}}
    assert response["WWW-Authenticate"] == "Token"


def test_an_anonymous_write_is_told_to_authenticate(api, group):
    response = api.post(reverse("api:orgunit-list"), {"name": "X", "kind": Kind.UNIT, "parent": None})
    assert response.status_code == 401
    assert response.json() == {"detail": "Authentication credentials were not provided.", "errors": {}}


# Units -----------------------------------------------------------------------------------------


def slugs(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["slug"] for row in response.json()["results"]]


def test_a_unit_reads_as_its_fields_and_its_parents_slug(api, group):
    response = api.get(unit_url(group.school))
    assert response.json() == {
        "id": group.school.pk,
        "slug": "vastra-skolan",
        "name": "Västra skolan",
        "short_name": "",
        "kind": "unit",
        "description": "",
        "partner_municipalities": "",
        "is_active": True,
        "parent": "avdelning-grundskola",
        "also_serves": [],
        "depth": 5,
    }
    assert api.get(unit_url(group.council)).json()["parent"] is None


def test_the_list_is_in_tree_order_and_paginated(api, group):
    response = api.get(reverse("api:orgunit-list"), {"page_size": 3})
    body = response.json()
    assert body["count"] == 11
    assert [row["name"] for row in body["results"]] == [
        "Kommunfullmäktige",
        "Kommunstyrelsen",
        "Utbildningsnämnden",
    ]
    assert body["next"].endswith("?page=2&page_size=3")
    assert api.get(reverse("api:orgunit-list"), {"page": 9}).json() == {
        "detail": "Invalid page.",
        "errors": {},
    }


@pytest.mark.parametrize(
    ("query", "expected_slugs"),
    [
        ({"kind": "company"}, ["stadshus-ab", "bostader-ab"]),
        (
            {"kind": ["committee", "federation"]},
            ["utbildningsnamnden", "omsorgsnamnden", "raddningstjansten"],
        ),
        (
            {"subtree": "utbildningsforvaltningen"},
            ["utbildningsforvaltningen", "avdelning-grundskola", "vastra-skolan"],
        ),
        ({"subtree": "stadshus-ab", "kind": "company"}, ["stadshus-ab", "bostader-ab"]),
        ({"active": "false"}, ["raddningstjansten"]),
    ],
)
def test_filters(api, group, query, expected_slugs):
    orgunit_dissolve(unit=group.federation)
    assert slugs(api.get(reverse("api:orgunit-list"), query)) == expected_slugs


def test_the_subtree_filter_takes_an_id_too(api, group):
    response = api.get(reverse("api:orgunit-list"), {"subtree": group.department.pk})
    assert slugs(response) == ["avdelning-grundskola", "vastra-skolan"]


def test_a_filter_value_that_names_nothing_is_a_400(api, group):
    response = api.get(reverse("api:orgunit-list"), {"subtree": "ingenstans", "kind": "castle"})
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Invalid input.",
        "errors": {
            "kind": ["Select a valid choice. castle is not one of the available choices."],
            "subtree": ["No organisation unit has the slug or id “ingenstans”."],
        },
    }


def test_children_ancestors_and_subtree(api, group):
    assert slugs(api.get(unit_url(group.council, "children"), {"kind": "committee"})) == [
        "utbildningsnamnden",
        "omsorgsnamnden",
    ]
    assert slugs(api.get(unit_url(group.school, "children"))) == []
    assert slugs(api.get(unit_url(group.school, "ancestors"))) == [
        "kommunfullmaktige",
        "utbildningsnamnden",
        "utbildningsforvaltningen",
        "avdelning-grundskola",
    ]
    assert slugs(api.get(unit_url(group.council, "ancestors"))) == []
    assert slugs(api.get(unit_url(group.company, "subtree"))) == ["stadshus-ab", "bostader-ab"]


def test_a_client_may_ask_for_pages_of_up_to_500(cast, group, django_user_model):
    people = django_user_model.objects.bulk_create(
        django_user_model(username=f"person{number}") for number in range(510)
    )
    Membership.objects.bulk_create(
        Membership(user=user, org_unit=group.school, role="viewer") for user in people
    )
    admin = token_client(cast["admin"])
    assert len(admin.get(reverse("api:membership-list")).json()["results"]) == 50
    assert len(admin.get(reverse("api:membership-list"), {"page_size": 1000}).json()["results"]) == 500


@pytest.mark.parametrize("slug", ["ingenstans", "östra", "9999999999999999999999"])
def test_an_unknown_unit_is_a_404_in_the_error_format(api, group, slug):
    response = api.get(reverse("api:orgunit-detail", args=[slug]))
    assert (response.status_code, response.json()) == (404, {"detail": "Not found.", "errors": {}})


def test_an_unknown_unit_in_a_filter_is_a_400_whatever_it_looks_like(api, group):
    for value in ["²", "9999999999999999999999"]:
        assert api.get(reverse("api:orgunit-list"), {"subtree": value}).status_code == 400


def test_staff_place_a_unit_where_the_rule_table_allows(api, cast, group):
    response = token_client(cast["admin"]).post(
        reverse("api:orgunit-list"),
        {"parent": group.administration.slug, "name": "Avdelning förskola", "kind": Kind.DEPARTMENT},
        format="json",
    )
    assert response.status_code == 201, response.content
    created = OrgUnit.objects.get(name="Avdelning förskola")
    assert response.json() == {
        "id": created.pk,
        "slug": "avdelning-forskola",
        "name": "Avdelning förskola",
        "short_name": "",
        "kind": "department",
        "description": "",
        "partner_municipalities": "",
        "is_active": True,
        "parent": "utbildningsforvaltningen",
        "also_serves": [],
        "depth": 4,
    }
    assert OrgUnit.objects.get_parent(created) == group.administration


@pytest.mark.parametrize(
    ("parent", "kind", "message"),
    [
        (
            "department",
            Kind.COMMITTEE,
            "“Fel” (committee) cannot be placed under “Avdelning grundskola” (department): "
            "“Committee” may be placed under: “Council”.",
        ),
        (
            None,
            Kind.UNIT,
            "“Fel” (unit) cannot be placed at the top of the organisation: "
            "“Unit” may be placed under: “Administration”, “Department”, “Company”, “Federation”.",
        ),
    ],
)
def test_a_wrong_placement_is_refused_with_a_message_naming_the_units(
    cast, group, english, parent, kind, message
):
    count = OrgUnit.objects.count()
    response = token_client(cast["admin"]).post(
        reverse("api:orgunit-list"),
        {"parent": getattr(group, parent).slug if parent else None, "name": "Fel", "kind": kind},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"detail": message, "errors": {"non_field_errors": [message]}}
    assert OrgUnit.objects.count() == count


def test_a_new_unit_needs_its_fields(cast, group):
    response = token_client(cast["admin"]).post(
        reverse("api:orgunit-list"), {"kind": "castle"}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Invalid input.",
        "errors": {
            "name": ["This field is required."],
            "kind": ['"castle" is not a valid choice.'],
            "parent": ["This field is required."],
        },
    }


def test_an_update_runs_the_models_checks(cast, group, english):
    # A committee may not stand under the administration's department, so the department may not
    # become one where it stands.
    response = token_client(cast["admin"]).patch(
        unit_url(group.department), {"kind": Kind.COMMITTEE}, format="json"
    )
    assert response.status_code == 400
    assert (
        "“Avdelning grundskola” (committee) cannot be placed under “Utbildningsförvaltningen” "
        "(administration): “Committee” may be placed under: “Council”."
    ) in response.json()["errors"]["non_field_errors"]
    assert fresh(group.department).kind == Kind.DEPARTMENT


def test_staff_choose_the_committees_an_administration_also_serves(cast, group):
    response = token_client(cast["admin"]).patch(
        unit_url(group.administration), {"also_serves": [group.other_committee.slug]}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["also_serves"] == ["omsorgsnamnden"]
    assert list(fresh(group.administration).also_serves.all()) == [group.other_committee]
    assert token_client(None).get(unit_url(group.administration)).json()["also_serves"] == ["omsorgsnamnden"]


def test_a_new_administration_serves_the_committees_it_is_created_with(cast, group):
    response = token_client(cast["admin"]).post(
        reverse("api:orgunit-list"),
        {
            "name": "Samhällsbyggnadsförvaltningen",
            "kind": Kind.ADMINISTRATION,
            "parent": group.committee.slug,
            "also_serves": [group.other_committee.slug],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["also_serves"] == [group.other_committee.slug]
    unit = OrgUnit.objects.get(name="Samhällsbyggnadsförvaltningen")
    assert list(unit.also_serves.all()) == [group.other_committee]


def test_only_what_the_rule_table_allows_is_served(cast, group, english):
    response = token_client(cast["admin"]).patch(
        unit_url(group.department), {"also_serves": [group.other_committee.slug]}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"]["also_serves"] == [
        "“Avdelning grundskola” (department) cannot serve “Omsorgsnämnden” (committee): only these kinds of"
        " unit serve a body they do not stand under: “Administration”."
    ]
    assert not fresh(group.department).also_serves.exists()


def test_a_unit_moves_with_everything_under_it(cast, group):
    response = token_client(cast["admin"]).post(
        unit_url(group.department, "move"),
        {"target": group.company.slug, "position": "first-child"},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["parent"] == "stadshus-ab"
    group.refresh()
    assert slugs(token_client(None).get(unit_url(group.company, "subtree"))) == [
        "stadshus-ab",
        "avdelning-grundskola",
        "vastra-skolan",
        "bostader-ab",
    ]
    assert group.department.history.first().history_change_reason == "moved"


UNDER_ITSELF = (
    "“Utbildningsförvaltningen” cannot be moved under itself or under one of its own units (“Västra skolan”)."
)


@pytest.mark.parametrize(
    ("moved", "target", "position", "messages"),
    [
        (
            "committee",
            "other_committee",
            "last-child",
            [
                "“Utbildningsnämnden” (committee) cannot be placed under “Omsorgsnämnden” (committee): "
                "“Committee” may be placed under: “Council”."
            ],
        ),
        (
            "school",
            "council",
            "left",
            [
                "“Västra skolan” (unit) cannot be placed at the top of the organisation: "
                "“Unit” may be placed under: “Administration”, “Department”, “Company”, “Federation”."
            ],
        ),
        (
            "administration",
            "school",
            "first-child",
            [
                "“Utbildningsförvaltningen” (administration) cannot be placed under “Västra skolan” (unit): "
                "“Administration” may be placed under: “Executive board”, “Committee”, “Joint committee”.",
                UNDER_ITSELF,
            ],
        ),
    ],
)
def test_a_refused_move_is_a_400_with_the_rules_messages(
    cast, group, english, moved, target, position, messages
):
    paths = dict(OrgUnit.objects.values_list("pk", "path"))
    response = token_client(cast["admin"]).post(
        unit_url(getattr(group, moved), "move"), {"target": getattr(group, target).slug, "position": position}
    )
    assert response.status_code == 400
    assert response.json() == {"detail": " ".join(messages), "errors": {"non_field_errors": messages}}
    assert dict(OrgUnit.objects.values_list("pk", "path")) == paths


def test_a_move_needs_a_target_and_a_position(cast, group):
    response = token_client(cast["admin"]).post(
        unit_url(group.school, "move"), {"target": "ingenstans", "position": "above"}, format="json"
    )
    assert response.json() == {
        "detail": "Invalid input.",
        "errors": {
            "target": ["Object with slug=ingenstans does not exist."],
            "position": ['"above" is not a valid choice.'],
        },
    }


def test_dissolving_a_unit_with_active_units_under_it_is_refused(cast, group, english):
    response = token_client(cast["admin"]).post(unit_url(group.department, "dissolve"))
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "non_field_errors": [
            "Dissolve or move the active units under “Avdelning grundskola” first: Västra skolan."
        ]
    }
    assert fresh(group.department).is_active


# Query counts ----------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [5, 40])
@pytest.mark.parametrize("action", ["list", "children", "subtree"])
def test_unit_lists_take_a_fixed_number_of_queries(api, db, django_assert_num_queries, size, action):
    council = build_group(size)
    url = reverse("api:orgunit-list") if action == "list" else unit_url(council, action)
    # 1. the unit (for an action on one), 2. the count, 3. the page, each unit with its parent's
    # slug, 4. the slugs of the bodies the page's units also serve
    with django_assert_num_queries(3 if action == "list" else 4):
        response = api.get(url, {"page_size": 500})
    assert response.status_code == 200


def test_the_subtree_filter_adds_one_query(api, db, django_assert_num_queries):
    council = build_group(20)
    # 1. the unit named, 2. the count, 3. the page, 4. the bodies its units also serve
    with django_assert_num_queries(4):
        assert api.get(reverse("api:orgunit-list"), {"subtree": council.slug}).json()["count"] == 20


# Memberships -----------------------------------------------------------------------------------


def membership_rows(client, **query) -> set[int]:
    response = client.get(reverse("api:membership-list"), query)
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


@pytest.mark.parametrize("who", sorted(set(CAST) - {"anonymous"}))
def test_a_list_shows_exactly_the_memberships_the_rule_lets_one_manage(cast, world, who):
    user = cast[who]
    manageable = {
        m.pk for m in Membership.objects.all() if user.has_perm("orgunits.manage_memberships", m.org_unit)
    }
    assert membership_rows(token_client(user)) == manageable


def test_a_membership_reads_as_its_person_unit_and_role(cast, world):
    response = token_client(cast["manager_inside"]).get(membership_url(world))
    assert response.json() == {
        "id": world.lars.pk,
        "user": "lars",
        "user_name": "lars",
        "org_unit": "avdelning-grundskola",
        "role": "editor",
        "position": "",
    }


def test_membership_filters(cast, world):
    admin = token_client(cast["admin"])
    assert membership_rows(admin, org_unit="avdelning-grundskola") == {world.lars.pk}
    assert membership_rows(admin, user="eva", role="politician") == {
        Membership.objects.get(user__username="eva").pk
    }


def test_a_manager_cannot_move_a_membership_out_of_their_part_of_the_organisation(cast, world):
    care = OrgUnit.objects.get(name="Omsorgsförvaltningen")
    response = token_client(cast["manager_inside"]).patch(
        membership_url(world), {"org_unit": care.slug}, format="json"
    )
    assert response.status_code == 403
    assert lars(world).org_unit == world.group.department


def test_a_manager_cannot_add_a_membership_outside_their_part(cast, world):
    response = token_client(cast["manager_inside"]).post(
        reverse("api:membership-list"),
        {"user": "nils", "org_unit": world.group.committee.slug, "role": "secretary"},
        format="json",
    )
    assert response.status_code == 403
    assert not Membership.objects.filter(user__username="nils").exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"user": "lars", "role": "editor"}, "lars already has that role here."),
        ({"user": "nils", "role": "politician", "position": "chair"}, None),
    ],
)
def test_a_membership_is_checked_as_on_the_web(cast, world, english, data, message):
    message = (
        message
        or "“Avdelning grundskola” is not a political body: politicians and secretaries belong to one."
    )
    count = Membership.objects.count()
    response = token_client(cast["manager_inside"]).post(
        reverse("api:membership-list"), {**data, "org_unit": world.group.department.slug}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"detail": message, "errors": {"non_field_errors": [message]}}
    assert Membership.objects.count() == count


def test_a_change_through_a_token_is_recorded_as_the_tokens_user(cast, world):
    token_client(cast["manager_inside"]).patch(membership_url(world), {"role": "viewer"}, format="json")
    assert lars(world).history.first().history_user == cast["manager_inside"]


@pytest.mark.parametrize("size", [3, 30])
def test_the_membership_list_takes_a_fixed_number_of_queries(group, django_assert_num_queries, size):
    manager = member_of(group.administration, "karin")
    for number in range(size):
        member_of(group.school, f"person{number}", role="viewer")
    client = token_client(manager)
    # 1. the token and its user, 2. the user's memberships (for the rule), 3. the count,
    # 4. the page, with each membership's person and unit
    with django_assert_num_queries(4):
        response = client.get(reverse("api:membership-list"))
    assert response.json()["count"] == size + 1


def test_an_inactive_user_cannot_be_given_a_role(cast, world):
    get_user_model().objects.filter(username="nils").update(is_active=False)
    response = token_client(cast["admin"]).post(
        reverse("api:membership-list"),
        {"user": "nils", "org_unit": world.group.department.slug, "role": "editor"},
        format="json",
    )
    assert response.json()["errors"] == {"user": ["Object with username=nils does not exist."]}


def test_a_unit_changed_since_it_was_read_is_not_overwritten(cast, world):
    admin = token_client(cast["admin"])
    unit = world.group.school
    read = admin.get(unit_url(unit))
    assert admin.patch(unit_url(unit), {"description": "Ny"}, HTTP_IF_MATCH=read["ETag"]).status_code == 200
    response = admin.patch(unit_url(unit), {"description": "Gammal"}, HTTP_IF_MATCH=read["ETag"])
    assert response.status_code == 412
    assert response.json() == {
        "detail": "The record has changed since the version named in If-Match; read it again.",
        "errors": {},
    }
    assert fresh(unit).description == "Ny"


@pytest.mark.parametrize("position", ["first_vice_chair", "second_vice_chair"])
def test_a_vice_chair_is_a_position_of_the_api(cast, world, position):
    response = token_client(cast["admin"]).post(
        reverse("api:membership-list"),
        {"user": "nils", "org_unit": world.group.committee.slug, "role": "politician", "position": position},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert (response.json()["role"], response.json()["position"]) == ("politician", position)
    assert Membership.objects.get(user__username="nils").position == position


def test_the_schema_lists_the_five_positions_in_their_order():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    positions = schema["components"]["schemas"]["MembershipPositionEnum"]["enum"]
    assert positions == ["chair", "first_vice_chair", "second_vice_chair", "member", "deputy"]


def test_an_administration_keeps_serving_a_committee_its_goals_break_down(cast, group, chain, english):
    group.administration.also_serves.add(group.other_committee)
    care_goal = add_goal(Level.BODY, "Trygg omsorg", group.other_committee, chain.strategic)
    add_goal(Level.OPERATIONAL, "Skolsköterskor i omsorgen", group.administration, care_goal)
    response = token_client(cast["admin"]).patch(
        unit_url(group.administration), {"also_serves": []}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"]["also_serves"] == [
        "“Utbildningsförvaltningen” cannot stop serving these bodies while its goals break down their goals:"
        f" “Skolsköterskor i omsorgen” ({chain.period})."
    ]
    assert list(fresh(group.administration).also_serves.all()) == [group.other_committee]
