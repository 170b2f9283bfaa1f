"""Every admin page of the portal's models opens, with the demo data in place."""

import pytest
from django.urls import reverse

from demo.seeding import seed_demo
from goals.models import Goal, Period
from orgunits.models import OrgUnit
from processes.models import Process, TargetGroup

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", [OrgUnit, Goal, Period, Process, TargetGroup])
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
