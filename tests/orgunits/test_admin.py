"""The admin keeps the rule table: adding, editing, moving by form and by drag and drop."""

import pytest
from django.urls import reverse

from orgunits.kinds import Kind
from orgunits.models import OrgUnit
from tests.kit.admin_forms import admin_form_errors, drag_under, unit_admin_form
from tests.kit.people import member_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

ADD_URL = reverse("admin:orgunits_orgunit_add")


def test_the_changelist_shows_the_tree_and_finds_units_by_name(admin, group):
    response = admin.get(reverse("admin:orgunits_orgunit_changelist"))
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [group.council]
    response = admin.get(reverse("admin:orgunits_orgunit_changelist"), {"q": "skolan"})
    assert list(response.context["cl"].result_list) == [group.school]


def test_adding_a_unit_where_the_rules_allow(admin, group):
    response = admin.post(
        ADD_URL,
        unit_admin_form(
            name="Avdelning förskola", kind=Kind.DEPARTMENT, treebeard_ref_node=group.administration.pk
        ),
    )
    assert response.status_code == 302
    unit = OrgUnit.objects.get(name="Avdelning förskola")
    assert OrgUnit.objects.get_parent(unit) == group.administration
    assert unit.slug == "avdelning-forskola"


def test_adding_a_unit_beside_another_places_it_under_the_same_parent(admin, group):
    response = admin.post(
        ADD_URL,
        unit_admin_form(
            name="Byggnadsnämnden",
            kind=Kind.COMMITTEE,
            treebeard_ref_node=group.board.pk,
            treebeard_position="right",
        ),
    )
    assert response.status_code == 302
    children = [unit.name for unit in OrgUnit.objects.get_children(group.council)]
    assert children[:3] == ["Kommunstyrelsen", "Byggnadsnämnden", "Utbildningsnämnden"]


def test_adding_a_unit_where_the_rules_refuse_shows_the_rule_and_saves_nothing(admin, group):
    count = OrgUnit.objects.count()
    response = admin.post(
        ADD_URL,
        unit_admin_form(name="Fel nämnd", kind=Kind.COMMITTEE, treebeard_ref_node=group.administration.pk),
    )
    assert response.status_code == 200
    assert admin_form_errors(response) == [
        "“Fel nämnd” (committee) cannot be placed under “Utbildningsförvaltningen” (administration): "
        "“Committee” may be placed under: “Council”."
    ]
    assert OrgUnit.objects.count() == count


def test_changing_a_kind_the_children_do_not_fit_is_refused(admin, group):
    url = reverse("admin:orgunits_orgunit_change", args=[group.company.pk])
    response = admin.post(
        url, unit_admin_form(group.company, kind=Kind.FEDERATION, treebeard_ref_node=group.council.pk)
    )
    assert admin_form_errors(response) == [
        "“Bostäder AB” (company) cannot be placed under “Stadshus AB” (federation): "
        "“Company” may be placed under: “Council”, “Company”."
    ]
    assert OrgUnit.objects.get(pk=group.company.pk).kind == Kind.COMPANY


def test_moving_and_changing_kind_at_once_is_checked_at_the_new_place(admin, group):
    # A department may not stand under a committee, but a unit may stand under an administration.
    url = reverse("admin:orgunits_orgunit_change", args=[group.school.pk])
    response = admin.post(
        url, unit_admin_form(group.school, kind=Kind.UNIT, treebeard_ref_node=group.administration.pk)
    )
    assert response.status_code == 302
    group.refresh()
    assert OrgUnit.objects.get_parent(group.school) == group.administration
    response = admin.post(
        url, unit_admin_form(group.school, kind=Kind.DEPARTMENT, treebeard_ref_node=group.committee.pk)
    )
    assert admin_form_errors(response) == [
        "“Västra skolan” (department) cannot be placed under “Utbildningsnämnden” (committee): "
        "“Department” may be placed under: “Administration”, “Company”, “Federation”."
    ]


def test_moving_by_form_under_a_wrong_kind_is_refused(admin, group):
    url = reverse("admin:orgunits_orgunit_change", args=[group.administration.pk])
    response = admin.post(url, unit_admin_form(group.administration, treebeard_ref_node=group.federation.pk))
    assert admin_form_errors(response) == [
        "“Utbildningsförvaltningen” (administration) cannot be placed under “Räddningstjänsten” (federation): "
        "“Administration” may be placed under: “Executive board”, “Committee”, “Joint committee”."
    ]
    group.refresh()
    assert OrgUnit.objects.get_parent(group.administration) == group.committee


def test_the_move_form_offers_no_place_under_the_unit_itself(admin, group):
    response = admin.get(reverse("admin:orgunits_orgunit_change", args=[group.committee.pk]))
    choices = response.context["adminform"].form.fields["treebeard_ref_node"].queryset
    assert group.committee not in choices
    assert group.school not in choices
    assert group.board in choices


def test_drag_and_drop_where_the_rules_allow(admin, group):
    response = drag_under(admin, group.administration, group.board)
    assert response.status_code == 200
    group.refresh()
    assert OrgUnit.objects.get_parent(group.administration) == group.board


def test_drag_and_drop_where_the_rules_refuse_is_a_clear_message(admin, group):
    response = drag_under(admin, group.committee, group.company)
    assert response.status_code == 400
    assert response.content.decode() == (
        "“Utbildningsnämnden” (committee) cannot be placed under “Stadshus AB” (company): "
        "“Committee” may be placed under: “Council”."
    )
    shown = [str(message) for message in response.wsgi_request._messages]
    assert shown == [
        "“Utbildningsnämnden” (committee) cannot be placed under “Stadshus AB” (company): "
        "“Committee” may be placed under: “Council”."
    ]
    group.refresh()
    assert OrgUnit.objects.get_parent(group.committee) == group.council


def test_drag_and_drop_under_a_descendant_is_a_clear_message(admin, group):
    response = drag_under(admin, group.committee, group.department)
    assert response.status_code == 400
    assert (
        "“Utbildningsnämnden” cannot be moved under itself or under one of its own units"
        in response.content.decode()
    )


def test_the_dissolve_action_refuses_units_with_active_units_under_them(admin, group):
    changelist = reverse("admin:orgunits_orgunit_changelist")
    response = admin.post(
        changelist,
        {"action": "dissolve", "_selected_action": [group.administration.pk, group.department.pk]},
        follow=True,
    )
    shown = [str(message) for message in response.context["messages"]]
    assert shown == [
        "Dissolve or move the active units under “Avdelning grundskola” first: Västra skolan.",
        "Dissolve or move the active units under “Utbildningsförvaltningen” first: Avdelning grundskola.",
    ]
    response = admin.post(
        changelist,
        {
            "action": "dissolve",
            "_selected_action": [group.administration.pk, group.department.pk, group.school.pk],
        },
        follow=True,
    )
    assert [str(message) for message in response.context["messages"]] == ["3 units dissolved."]
    assert not OrgUnit.objects.filter(
        pk__in=[group.administration.pk, group.school.pk], is_active=True
    ).exists()


def test_the_restore_action_brings_back_a_branch(admin, group):
    for unit in (group.school, group.department):
        unit.is_active = False
        unit.save()
    response = admin.post(
        reverse("admin:orgunits_orgunit_changelist"),
        {"action": "restore", "_selected_action": [group.school.pk, group.department.pk]},
        follow=True,
    )
    assert [str(message) for message in response.context["messages"]] == ["2 units restored."]
    assert OrgUnit.objects.active().count() == OrgUnit.objects.count()


def test_the_admin_is_refused_to_non_staff(client, group, django_user_model):
    user = django_user_model.objects.create_user("karin", password="x")
    client.force_login(user)
    response = client.get(reverse("admin:orgunits_orgunit_changelist"))
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    response = drag_under(client, group.committee, group.board)
    assert response.status_code == 302
    group.refresh()
    assert OrgUnit.objects.get_parent(group.committee) == group.council


def test_a_unit_with_units_under_it_cannot_be_deleted(admin, group):
    response = admin.post(
        reverse("admin:orgunits_orgunit_delete", args=[group.administration.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert OrgUnit.objects.count() == 11
    response = admin.get(reverse("admin:orgunits_orgunit_changelist"))
    actions = [name for name, _label in response.context["action_form"].fields["action"].choices]
    assert actions == ["", "dissolve", "restore"]


def test_a_leaf_unit_made_by_mistake_can_be_deleted(admin, group):
    response = admin.post(reverse("admin:orgunits_orgunit_delete", args=[group.school.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not OrgUnit.objects.filter(pk=group.school.pk).exists()
    group.department.refresh_from_db()
    assert group.department.numchild == 0


def test_the_memberships_list_filters_by_position_and_names_it(admin, group):
    member_of(group.committee, "fia", role="politician", position="first_vice_chair")
    member_of(group.committee, "mona", role="politician", position="member")
    response = admin.get(reverse("admin:orgunits_membership_changelist"), {"position": "first_vice_chair"})
    shown = [str(membership.user) for membership in response.context["cl"].result_list]
    assert shown == ["fia"]
    assert "First vice chair" in response.content.decode()


def test_choosing_the_committees_an_administration_also_serves(admin, group):
    url = reverse("admin:orgunits_orgunit_change", args=[group.administration.pk])
    form = unit_admin_form(group.administration, treebeard_ref_node=group.committee.pk)
    response = admin.post(url, form | {"also_serves": [group.other_committee.pk]})
    assert response.status_code == 302
    assert list(OrgUnit.objects.get(pk=group.administration.pk).also_serves.all()) == [group.other_committee]
    response = admin.post(url, form | {"also_serves": []})
    assert response.status_code == 302
    assert not OrgUnit.objects.get(pk=group.administration.pk).also_serves.exists()
