"""Every admin page of the portal's models opens, with the demo data in place."""

from decimal import Decimal

import pytest
from django.urls import reverse

from demo.seeding import seed_demo
from goals.follow_up.grading import Attainment
from goals.indicators.kolada import kolada_import_reply
from goals.models import (
    Decision,
    FollowUp,
    Goal,
    Indicator,
    IndicatorSource,
    Measurement,
    MeasurementImport,
    Period,
    ReportingPeriod,
    Target,
)
from orgunits.models import Membership, OrgUnit
from processes.models import Process, TargetGroup
from tests.kit.once import SharedWorld

pytestmark = pytest.mark.django_db


def admin_url(model, page: str, *args) -> str:
    meta = model._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{page}", args=args)


def assert_the_pages_open(client, instance) -> None:
    """The list, the add page and the instance's change page open, and the last shows it."""
    model = type(instance)
    for url in (admin_url(model, "changelist"), admin_url(model, "add")):
        assert client.get(url).status_code == 200, url
    response = client.get(admin_url(model, "change", instance.pk))
    assert response.status_code == 200
    assert str(instance) in response.content.decode()


def assert_looked_up_but_not_edited(client, instance) -> None:
    """A record the admin shows but never changes or adds: what the portal's actions write."""
    model = type(instance)
    assert client.get(admin_url(model, "changelist")).status_code == 200
    response = client.get(admin_url(model, "change", instance.pk))
    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    assert client.get(admin_url(model, "add")).status_code == 403


@pytest.mark.usefixtures("scene")
class TestWithTheDemo(SharedWorld):
    """The demo is seeded once for the class; what a test writes (its admin user, its session) is
    rolled back after it (tests/kit/once.py)."""

    def build(self):
        seed_demo()

    @pytest.mark.parametrize(
        "model", [OrgUnit, Goal, Period, ReportingPeriod, Process, TargetGroup, Membership]
    )
    def test_the_list_the_add_page_and_a_change_page_open(self, admin_client, model):
        assert_the_pages_open(admin_client, model.objects.first())

    def test_decisions_are_looked_up_but_not_edited_in_the_admin(self, admin_client):
        assert_looked_up_but_not_edited(admin_client, Decision.objects.first())


@pytest.fixture
def followed_up(admin_user, chain):
    """An indicator from Kolada measuring a goal of the chain, its values and a follow-up."""
    goal = chain.operational
    indicator = Indicator.objects.create(
        code="UF-BEH-01", name="Behöriga till gymnasiet", source=IndicatorSource.KOLADA, kolada_kpi="N00914"
    )
    indicator.goals.add(goal)
    Target.objects.create(indicator=indicator, year=goal.period.year, value=Decimal("88"))
    reply = {
        "values": [
            {
                "kpi": "N00914",
                "municipality": "0780",
                "period": goal.period.year,
                "values": [{"gender": "T", "status": "", "value": 86.2, "count": 1}],
            }
        ],
        "count": 1,
        "next_page": None,
    }
    kolada_import_reply(reply=reply, municipality="0780", by=admin_user)
    FollowUp.objects.create(
        goal=goal,
        reporting_period=goal.period.reporting_periods.first(),
        attainment=Attainment.PARTLY,
        commentary="Behörigheten ökar men når inte målet.",
    )


@pytest.mark.parametrize("model", [Indicator, Measurement, FollowUp])
def test_the_pages_of_indicators_measurements_and_follow_ups_open(admin, followed_up, model):
    assert_the_pages_open(admin, model.objects.get())


def test_measurement_imports_are_looked_up_but_not_edited_in_the_admin(admin, followed_up):
    assert_looked_up_but_not_edited(admin, MeasurementImport.objects.get())
