"""Every admin page of the portal's models opens, with the demo data in place."""

import pytest
from django.urls import reverse

from demo.seeding import seed_demo
from goals.models import Decision, Goal, Period
from orgunits.models import Membership, OrgUnit
from processes.models import Process, TargetGroup

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", [OrgUnit, Goal, Period, Process, TargetGroup, Membership])
def test_the_list_the_add_page_and_a_change_page_open(admin_client, model):
    seed_demo()
    meta = model._meta
    instance = model.objects.first()
    for url in (
        reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"),
        reverse(f"admin:{meta.app_label}_{meta.model_name}_add"),
    ):
        assert admin_client.get(url).status_code == 200, url
    response = admin_client.get(
        reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[instance.pk])
    )
    assert response.status_code == 200
    assert str(instance) in response.content.decode()


def test_decisions_are_looked_up_but_not_edited_in_the_admin(admin_client):
    seed_demo()
    decision = Decision.objects.first()
    assert admin_client.get(reverse("admin:goals_decision_changelist")).status_code == 200
    response = admin_client.get(reverse("admin:goals_decision_change", args=[decision.pk]))
    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    assert admin_client.get(reverse("admin:goals_decision_add")).status_code == 403
