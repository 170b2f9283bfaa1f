"""Follow-up's endpoints: indicators, targets, measurements (with the bulk upsert), reporting periods
and follow-ups with their workflow."""

from decimal import Decimal

import pytest
from django.urls import reverse

from goals.chain.levels import Level
from goals.follow_up.services import follow_up_review, follow_up_save, follow_up_submit
from goals.models import (
    FollowUp,
    Indicator,
    Measurement,
    MeasurementImport,
    ReportingPeriod,
    ReviewStatus,
    Target,
)
from orgunits.models import OrgUnit
from tests.kit.api_matrix import ADMIN, ApiCase, ApiMatrix
from tests.kit.chain import Chain, add_goal, grow_chain, this_year_number
from tests.kit.clients import token_client
from tests.kit.organisation import Group
from tests.kit.people import EVERYONE, build_cast, member_of
from tests.kit.worlds import FollowUpWorld, Scene, follow_up_world

pytestmark = pytest.mark.django_db

# An indicator's values are written by staff and by the managers and editors of the units whose goals
# it measures, or of a unit above them (``goals.write_indicator_values``): for the administration's
# goal its manager; for the school's activity also the editor of the department above the school.
ADMINISTRATION_WRITERS = {"admin", "manager_inside"}
SCHOOL_WRITERS = {"admin", "manager_inside", "editor"}
BODY_REPORTERS = {"admin", "manager_inside"}  # staff, and the administration under the committee
BODY_REVIEWERS = {"admin", "politician", "secretary"}  # staff, and the committee


@pytest.fixture
def world(chain, cast) -> FollowUpWorld:
    return follow_up_world(chain)


def url(name, *args):
    return reverse(f"api:{name}", args=args)


def fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


def submitted_url(w, action):
    follow_up_submit(follow_up=w.draft, by=None)
    return url(f"follow-up-{action}", w.draft.pk)


def bulk_rows(w):
    return {"rows": [{"indicator": "UF-LAS-01", "year": w.chain.period.year, "value": "75,5"}]}


def school_rows(w):
    """A row that would make 14 into 1, for an indicator of the school's activity."""
    indicator = Indicator.objects.create(code="VS-LAS-01", name="Läsning åk 1–3")
    indicator.goals.set([w.chain.activity])
    Measurement.objects.create(indicator=indicator, year=w.chain.period.year, value=14, source="manual")
    return {"rows": [{"indicator": "VS-LAS-01", "year": w.chain.period.year, "value": "1"}]}


def school_value(w) -> Decimal:
    return Measurement.objects.get(indicator__code="VS-LAS-01").value


API_CASES = [
    # Indicators and targets: public; staff change them.
    ApiCase("indicator-list", "get", EVERYONE, lambda w: url("indicator-list")),
    ApiCase("indicator-detail", "get", EVERYONE, lambda w: url("indicator-detail", w.indicator.pk)),
    ApiCase(
        "indicator-list",
        "post",
        ADMIN,
        lambda w: url("indicator-list"),
        lambda w: {"code": "UF-NY-01", "name": "Ny"},
        lambda w: Indicator.objects.filter(code="UF-NY-01").exists(),
    ),
    ApiCase(
        "indicator-detail",
        "put",
        ADMIN,
        lambda w: url("indicator-detail", w.indicator.pk),
        lambda w: {"code": "UF-LAS-01", "name": "Läsning"},
        lambda w: fresh(w.indicator).name == "Läsning",
    ),
    ApiCase(
        "indicator-detail",
        "patch",
        ADMIN,
        lambda w: url("indicator-detail", w.indicator.pk),
        lambda w: {"name": "Läsning"},
        lambda w: fresh(w.indicator).name == "Läsning",
    ),
    ApiCase("target-list", "get", EVERYONE, lambda w: url("target-list")),
    ApiCase("target-detail", "get", EVERYONE, lambda w: url("target-detail", w.target.pk)),
    ApiCase(
        "target-list",
        "post",
        ADMIN,
        lambda w: url("target-list"),
        lambda w: {"indicator": "UF-LAS-01", "year": w.chain.period.year + 1, "value": "85"},
        lambda w: Target.objects.filter(year=w.chain.period.year + 1).exists(),
    ),
    ApiCase(
        "target-detail",
        "put",
        ADMIN,
        lambda w: url("target-detail", w.target.pk),
        lambda w: {"indicator": "UF-LAS-01", "year": w.chain.period.year, "value": "90"},
        lambda w: fresh(w.target).value == 90,
    ),
    ApiCase(
        "target-detail",
        "patch",
        ADMIN,
        lambda w: url("target-detail", w.target.pk),
        lambda w: {"value": "90"},
        lambda w: fresh(w.target).value == 90,
    ),
    ApiCase(
        "target-detail",
        "delete",
        ADMIN,
        lambda w: url("target-detail", w.target.pk),
        happened=lambda w: not Target.objects.exists(),
    ),
    # Measurements: the published figures; those responsible for an indicator's goals upsert its
    # values in bulk, and a refused write leaves the value there as it was.
    ApiCase("measurement-list", "get", EVERYONE, lambda w: url("measurement-list")),
    ApiCase(
        "measurement-bulk",
        "post",
        ADMINISTRATION_WRITERS,
        lambda w: url("measurement-bulk"),
        bulk_rows,
        lambda w: Measurement.objects.filter(value=Decimal("75.5")).exists(),
    ),
    ApiCase(
        "measurement-bulk",
        "post",
        SCHOOL_WRITERS,
        lambda w: url("measurement-bulk"),
        school_rows,
        lambda w: school_value(w) == 1,
    ),
    # Reporting periods: public; staff set their dates and open or close them.
    ApiCase("reporting-period-list", "get", EVERYONE, lambda w: url("reporting-period-list")),
    ApiCase("reporting-period-detail", "get", EVERYONE, lambda w: url("reporting-period-detail", w.t1.pk)),
    ApiCase(
        "reporting-period-detail",
        "put",
        ADMIN,
        lambda w: url("reporting-period-detail", w.t1.pk),
        lambda w: {
            "starts": str(w.t1.starts),
            "ends": str(w.t1.ends),
            "deadline": str(w.t1.deadline),
            "is_open": False,
        },
        lambda w: not fresh(w.t1).is_open,
    ),
    ApiCase(
        "reporting-period-detail",
        "patch",
        ADMIN,
        lambda w: url("reporting-period-detail", w.t1.pk),
        lambda w: {"is_open": False},
        lambda w: not fresh(w.t1).is_open,
    ),
    # Follow-ups: reviewed ones are public; the goal's reporters report, its deciders review.
    ApiCase("follow-up-list", "get", EVERYONE, lambda w: url("follow-up-list")),
    ApiCase("follow-up-detail", "get", EVERYONE, lambda w: url("follow-up-detail", w.reviewed.pk)),
    ApiCase(
        "follow-up-list",
        "post",
        BODY_REPORTERS,
        lambda w: url("follow-up-list"),
        lambda w: {
            "goal": w.chain.body.pk,
            "reporting_period": w.t1.pk,
            "attainment": "partly",
            "commentary": "På väg.",
        },
        lambda w: FollowUp.objects.filter(reporting_period=w.t1).exists(),
    ),
    ApiCase(
        "follow-up-detail",
        "put",
        BODY_REPORTERS,
        lambda w: url("follow-up-detail", w.draft.pk),
        lambda w: {"attainment": "partly", "commentary": "Nästan.", "next_steps": "Mer läsning."},
        lambda w: fresh(w.draft).commentary == "Nästan.",
    ),
    ApiCase(
        "follow-up-detail",
        "patch",
        BODY_REPORTERS,
        lambda w: url("follow-up-detail", w.draft.pk),
        lambda w: {"commentary": "Nästan."},
        lambda w: fresh(w.draft).commentary == "Nästan.",
    ),
    ApiCase(
        "follow-up-submit",
        "post",
        BODY_REPORTERS,
        lambda w: url("follow-up-submit", w.draft.pk),
        happened=lambda w: fresh(w.draft).status == ReviewStatus.SUBMITTED,
    ),
    ApiCase(
        "follow-up-review",
        "post",
        BODY_REVIEWERS,
        lambda w: submitted_url(w, "review"),
        happened=lambda w: fresh(w.draft).status == ReviewStatus.REVIEWED,
    ),
    ApiCase(
        "follow-up-return",
        "post",
        BODY_REVIEWERS,
        lambda w: submitted_url(w, "return"),
        lambda w: {"comment": "Förklara betyget."},
        lambda w: fresh(w.draft).status == ReviewStatus.RETURNED,
    ),
]


class TestTheCastOnEveryEndpoint(ApiMatrix):
    cases = API_CASES

    def build(self) -> Scene:
        group = Group()
        cast = build_cast(group)
        return Scene(cast, follow_up_world(Chain(group, this_year_number())))


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


# Indicators and targets ------------------------------------------------------------------------


def test_an_indicator_reads_with_its_targets_and_the_goals_one_may_see(api, cast, world):
    draft_goal = world.chain.activity  # a leaf: no decided goal may stand under a draft
    draft_goal.status = "draft"
    draft_goal.save()
    world.indicator.goals.add(draft_goal)
    body = api.get(url("indicator-detail", world.indicator.pk)).json()
    assert body == {
        "id": world.indicator.pk,
        "code": "UF-LAS-01",
        "name": "Läsförmåga",
        "description": "",
        "unit_of_measure": "%",
        "direction": "higher",
        "decimals": 0,
        "source": "manual",
        "kolada_kpi": "",
        "baseline_year": None,
        "baseline_value": None,
        "goals": [world.chain.operational.pk],
        "targets": [{"year": world.chain.period.year, "value": "80.000"}],
    }
    signed_in = token_client(cast["editor"]).get(url("indicator-detail", world.indicator.pk)).json()
    assert sorted(signed_in["goals"]) == sorted([world.chain.operational.pk, draft_goal.pk])


def test_indicator_filters(api, world):
    kolada = Indicator.objects.create(code="KOL", name="Kolada", source="kolada", kolada_kpi="N00914")
    assert ids(api.get(url("indicator-list"), {"source": "kolada"})) == [kolada.pk]
    assert ids(api.get(url("indicator-list"), {"kolada_kpi": "N00914"})) == [kolada.pk]
    assert ids(api.get(url("indicator-list"), {"goal": world.chain.operational.pk})) == [world.indicator.pk]
    assert ids(api.get(url("indicator-list"), {"goal": world.chain.body.pk})) == []


def test_an_indicator_is_checked_as_the_model_says(cast, world, english):
    response = token_client(cast["admin"]).post(
        url("indicator-list"),
        {"code": "K-1", "name": "K", "source": "kolada", "baseline_year": 2020},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "kolada_kpi": ["An indicator from Kolada needs its key figure id."],
        "baseline_value": ["A baseline needs both its year and its value."],
    }


def test_one_target_per_indicator_and_year(cast, world):
    response = token_client(cast["admin"]).post(
        url("target-list"),
        {"indicator": "UF-LAS-01", "year": world.chain.period.year, "value": "1"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "non_field_errors": ["The fields indicator, year must make a unique set."]
    }


@pytest.mark.parametrize("size", [3, 30])
def test_the_indicator_list_takes_a_fixed_number_of_queries(api, world, django_assert_num_queries, size):
    for number in range(size):
        indicator = Indicator.objects.create(code=f"I-{number}", name=f"I {number}")
        indicator.goals.set([world.chain.operational, world.chain.body])
        Target.objects.create(indicator=indicator, year=2030, value=1)
    # 1. the count, 2. the page, 3. the targets, 4. the goals
    with django_assert_num_queries(4):
        assert api.get(url("indicator-list"), {"page_size": 500}).json()["count"] == size + 1


# Measurements ----------------------------------------------------------------------------------


def bulk(client, rows, **extra):
    return client.post(url("measurement-bulk"), {"rows": rows, **extra}, format="json")


def test_the_bulk_upsert_adds_then_changes_nothing_on_a_rerun(cast, world):
    year = world.chain.period.year
    rows = [
        {"indicator": "UF-LAS-01", "year": year, "value": 75.5, "comment": "Enkät"},
        {"indicator": "UF-LAS-01", "year": year, "reporting_period": "t1", "gender": "K", "value": "70"},
        {
            "indicator": "UF-LAS-01",
            "year": year,
            "reporting_period": None,
            "gender": "M",
            "value": "1 200,25",
        },
    ]
    client = token_client(cast["manager_inside"])
    response = bulk(client, rows)
    assert response.status_code == 200, response.content
    assert response.json() | {"rows": None} == {
        "dry_run": False,
        "created": 3,
        "updated": 0,
        "unchanged": 0,
        "rows": None,
    }
    assert sorted(
        Measurement.objects.values_list("gender", "value", "reporting_period__kind", "comment")
    ) == [
        ("K", Decimal("70.000"), "t1", ""),
        ("M", Decimal("1200.250"), None, ""),
        ("T", Decimal("75.500"), None, "Enkät"),
    ]
    assert Measurement.objects.filter(entered_by=cast["manager_inside"]).count() == 3
    entered = list(Measurement.objects.values_list("pk", "entered_at", "batch"))
    again = bulk(client, rows).json()
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 3)
    assert list(Measurement.objects.values_list("pk", "entered_at", "batch")) == entered
    changed = bulk(client, [{**rows[0], "value": "76"}]).json()
    assert (changed["created"], changed["updated"], changed["unchanged"]) == (0, 1, 0)
    assert changed["rows"] == [{"index": 0, "action": "changed", "before": "75.500", "after": "76.000"}]


def test_a_bad_row_rejects_the_whole_batch_with_each_reason(cast, world, english):
    year = world.chain.period.year
    rows = [
        {"indicator": "UF-LAS-01", "year": year, "value": "1"},
        {"indicator": "NOPE", "year": year, "value": "x"},
        {"indicator": "UF-LAS-01", "year": 1999, "value": "2"},
        {"indicator": "UF-LAS-01", "year": year, "value": "3"},
    ]
    response = bulk(token_client(cast["admin"]), rows)
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Invalid input.",
        "errors": {
            "rows.1": ["No indicator has the code “NOPE”.", "The value “x” is not a number."],
            "rows.2": ["The year 1999 is not between 2000 and 2100."],
            "rows.3": ["Line 0 already has a value for this indicator, year, reporting period and gender."],
        },
    }
    assert not Measurement.objects.exists()
    assert not MeasurementImport.objects.exists()


def test_a_row_is_checked_for_its_fields_first(cast, world):
    admin = token_client(cast["admin"])
    response = bulk(admin, [{"year": 2025, "value": "1", "gender": "X", "reporting_period": "q3"}])
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "rows.0.indicator": ["This field is required."],
        "rows.0.reporting_period": ['"q3" is not a valid choice.'],
        "rows.0.gender": ['"X" is not a valid choice.'],
    }
    assert bulk(admin, []).json()["errors"] == {"rows.non_field_errors": ["This list may not be empty."]}


def test_a_dry_run_returns_the_plan_and_writes_nothing(cast, world):
    year = world.chain.period.year
    Measurement.objects.create(indicator=world.indicator, year=year, value=10, source="manual")
    rows = [
        {"indicator": "UF-LAS-01", "year": year, "value": "10"},
        {"indicator": "UF-LAS-01", "year": year, "gender": "K", "value": "12"},
    ]
    response = bulk(token_client(cast["admin"]), rows, dry_run=True)
    assert response.json() == {
        "dry_run": True,
        "created": 1,
        "updated": 0,
        "unchanged": 1,
        "rows": [
            {"index": 0, "action": "unchanged", "before": "10.000", "after": "10.000"},
            {"index": 1, "action": "new", "before": None, "after": "12.000"},
        ],
    }
    assert Measurement.objects.count() == 1
    assert not MeasurementImport.objects.exists()


@pytest.fixture
def elder_care(group, chain, cast):
    """An elder-care indicator measuring a goal of Omsorgsförvaltningen, whose 2025 value is 14."""
    care = OrgUnit.objects.get(name="Omsorgsförvaltningen")
    body = add_goal(Level.BODY, "En trygg äldreomsorg", group.other_committee, chain.strategic)
    goal = add_goal(Level.OPERATIONAL, "Nöjda brukare i äldreboendet", care, body)
    indicator = Indicator.objects.create(code="OF-NKI-01", name="Nöjd kundindex äldreboende")
    indicator.goals.set([goal])
    Measurement.objects.create(indicator=indicator, year=2025, value=14, source="manual")
    return indicator


def values_of(indicator) -> list[tuple]:
    return list(indicator.measurements.values_list("year", "gender", "value", "entered_by"))


@pytest.mark.parametrize("dry_run", [False, True])
def test_a_school_manager_may_not_overwrite_an_elder_care_value(group, elder_care, english, dry_run):
    school_manager = member_of(group.school, "sara")
    response = bulk(
        token_client(school_manager),
        [{"indicator": "OF-NKI-01", "year": 2025, "value": "1"}],
        dry_run=dry_run,
    )
    assert response.status_code == 403
    assert response.json() == {
        "detail": "You may not enter values for these indicators: OF-NKI-01.",
        "errors": {},
    }
    assert values_of(elder_care) == [(2025, "T", Decimal(14), None)]
    assert not MeasurementImport.objects.exists()
    assert elder_care.measurements.get().history.count() == 1  # only its making


def test_the_care_manager_writes_the_elder_care_value(cast, elder_care):
    response = bulk(
        token_client(cast["manager_outside"]), [{"indicator": "OF-NKI-01", "year": 2025, "value": "1"}]
    )
    assert response.status_code == 200, response.content
    assert values_of(elder_care) == [(2025, "T", Decimal(1), cast["manager_outside"].pk)]


def test_one_refused_indicator_refuses_the_whole_batch(cast, world, elder_care, english):
    year = world.chain.period.year
    rows = [
        {"indicator": "UF-LAS-01", "year": year, "value": "75"},
        {"indicator": "OF-NKI-01", "year": 2025, "value": "1"},
        {"indicator": "OF-NKI-01", "year": 2024, "value": "x"},  # bad too, but refused first
        {"indicator": "NOPE", "year": year, "value": "1"},
    ]
    response = bulk(token_client(cast["manager_inside"]), rows)
    assert response.status_code == 403
    assert response.json()["detail"] == "You may not enter values for these indicators: OF-NKI-01."
    assert values_of(world.indicator) == []
    assert values_of(elder_care) == [(2025, "T", Decimal(14), None)]
    assert not MeasurementImport.objects.exists()


def test_every_refused_indicator_is_named(cast, world, elder_care, english):
    other = Indicator.objects.create(code="KS-EKO-01", name="Resultat")  # measures no goal: staff only
    rows = [
        {"indicator": "OF-NKI-01", "year": 2025, "value": "1"},
        {"indicator": "KS-EKO-01", "year": 2025, "value": "1"},
        {"indicator": "OF-NKI-01", "year": 2024, "value": "2"},
    ]
    response = bulk(token_client(cast["editor"]), rows)
    assert response.json()["detail"] == "You may not enter values for these indicators: OF-NKI-01, KS-EKO-01."
    assert not other.measurements.exists()
    admin = bulk(token_client(cast["admin"]), rows)
    assert (admin.status_code, admin.json()["created"], admin.json()["updated"]) == (200, 2, 1)


@pytest.mark.parametrize("size", [3, 30])
def test_the_bulk_upsert_takes_a_fixed_number_of_queries(cast, world, django_assert_num_queries, size):
    year = world.chain.period.year
    goals = [world.chain.operational, world.chain.activity]
    rows = []
    for number in range(size):
        indicator = Indicator.objects.create(code=f"UF-{number}", name=f"Indikator {number}")
        indicator.goals.set([goals[number % 2]])
        # The first value is there already, and changes; the rest are new.
        if number == 0:
            Measurement.objects.create(indicator=indicator, year=year, value=-1, source="manual")
        rows.append({"indicator": indicator.code, "year": year, "value": str(number)})
    client = token_client(cast["manager_inside"])
    # 1. the token and its user, 2. the user's memberships; the plan: 3. the indicators with whether
    # the user may write them, 4. the reporting periods, 5. the values there; the import: 6. the
    # savepoint, 7. its record, 8.-10. the plan again (the values locked), 11. the new values,
    # 12. their history, 13. the changed value, 14. its history, 15. the counts, 16. the release
    with django_assert_num_queries(16):
        response = bulk(client, rows)
    assert (response.json()["created"], response.json()["updated"]) == (size - 1, 1)


def test_measurements_read_with_codes_and_filter(api, world):
    year = world.chain.period.year
    other = Indicator.objects.create(code="OTHER", name="Annan")
    whole = Measurement.objects.create(indicator=world.indicator, year=year, value=10, source="manual")
    t1 = Measurement.objects.create(
        indicator=world.indicator, year=year, reporting_period=world.t1, gender="K", value=11, source="manual"
    )
    earlier = Measurement.objects.create(indicator=other, year=year - 1, value=12, source="manual")
    body = api.get(url("measurement-list"), {"reporting_period": "t1"}).json()
    assert body["results"] == [
        {
            "id": t1.pk,
            "indicator": "UF-LAS-01",
            "year": year,
            "reporting_period": "t1",
            "gender": "K",
            "value": "11.000",
            "comment": "",
            "source": "manual",
            "entered_at": body["results"][0]["entered_at"],
        }
    ]
    assert ids(api.get(url("measurement-list"), {"reporting_period": "year"})) == [earlier.pk, whole.pk]
    assert ids(api.get(url("measurement-list"), {"indicator": "UF-LAS-01"})) == [whole.pk, t1.pk]
    assert ids(api.get(url("measurement-list"), {"year": year - 1})) == [earlier.pk]
    assert ids(api.get(url("measurement-list"), {"gender": "K"})) == [t1.pk]


@pytest.mark.parametrize("size", [3, 30])
def test_the_measurement_list_takes_a_fixed_number_of_queries(api, world, django_assert_num_queries, size):
    for number in range(size):
        Measurement.objects.create(
            indicator=world.indicator,
            year=2000 + number,
            reporting_period=None,
            value=number,
            source="manual",
        )
    # 1. the count, 2. the page with indicators and reporting periods
    with django_assert_num_queries(2):
        assert api.get(url("measurement-list"), {"page_size": 500}).json()["count"] == size


# Reporting periods -----------------------------------------------------------------------------


def test_reporting_periods_filter_by_year_and_are_checked(api, cast, world, english):
    year = world.chain.period.year
    body = api.get(url("reporting-period-list"), {"year": year}).json()
    assert [row["kind"] for row in body["results"]] == ["t1", "interim", "annual"]
    assert body["results"][0] | {"id": None} == {
        "id": None,
        "year": year,
        "kind": "t1",
        "starts": f"{year}-01-01",
        "ends": f"{year}-04-30",
        "deadline": f"{year}-05-20",
        "is_open": True,
    }
    assert api.get(url("reporting-period-list"), {"year": year + 1}).json()["count"] == 0
    response = token_client(cast["admin"]).patch(
        url("reporting-period-detail", world.t1.pk),
        {"ends": f"{year - 1}-12-31", "kind": "annual"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"ends": ["The period ends before it starts."]}
    assert fresh(world.t1).kind == "t1"


# Follow-ups ------------------------------------------------------------------------------------


def test_the_public_reads_reviewed_follow_ups_only(api, cast, world):
    assert ids(api.get(url("follow-up-list"))) == [world.reviewed.pk]
    assert api.get(url("follow-up-detail", world.draft.pk)).status_code == 404
    signed_in = token_client(cast["other_politician"])
    assert sorted(ids(signed_in.get(url("follow-up-list")))) == sorted([world.reviewed.pk, world.draft.pk])


def test_follow_up_filters(cast, world):
    client = token_client(cast["editor"])
    year = world.chain.period.year
    assert ids(client.get(url("follow-up-list"), {"goal": world.chain.body.pk})) == [world.draft.pk]
    assert ids(client.get(url("follow-up-list"), {"status": "reviewed"})) == [world.reviewed.pk]
    assert ids(client.get(url("follow-up-list"), {"reporting_period": world.t1.pk})) == []
    assert len(ids(client.get(url("follow-up-list"), {"year": year}))) == 2
    assert ids(client.get(url("follow-up-list"), {"year": year - 1})) == []


def test_a_follow_up_reads_with_the_suggested_grade_and_the_roll_up(api, world):
    year = world.chain.period.year
    Measurement.objects.create(indicator=world.indicator, year=year, value=85, source="manual")
    below = follow_up_save(
        version=None,
        goal=world.chain.department_goal,
        reporting_period=world.annual,
        by=None,
        attainment="not_achieved",
        commentary="Nej.",
    )
    follow_up_submit(follow_up=below, by=None)
    follow_up_review(follow_up=below, by=None)
    body = api.get(url("follow-up-detail", world.reviewed.pk)).json()
    assert body | {"reviewed_at": None} == {
        "id": world.reviewed.pk,
        "goal": world.chain.operational.pk,
        "reporting_period": world.annual.pk,
        "year": year,
        "attainment": "partly",
        "commentary": "Bättre.",
        "next_steps": "",
        "status": "reviewed",
        "return_comment": "",
        "reported_by": None,
        "submitted_by": None,
        "reviewed_by": None,
        "reviewed_at": None,
        "suggested": "achieved",
        "roll_up": "not_achieved",
        "below": [{"grade": "not_achieved", "count": 1}],
        "indicators": [
            {
                "indicator": "UF-LAS-01",
                "value": "85.000",
                "target": "80.000",
                "reference": None,
                "grade": "achieved",
            }
        ],
    }


def test_the_follow_up_workflow(cast, world, english):
    reporter = token_client(cast["manager_inside"])
    reviewer = token_client(cast["politician"])
    response = reporter.post(
        url("follow-up-list"),
        {
            "goal": world.chain.body.pk,
            "reporting_period": world.t1.pk,
            "attainment": "partly",
            "commentary": "På väg.",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    follow_up = FollowUp.objects.get(reporting_period=world.t1)
    assert (response.json()["status"], response.json()["reported_by"]) == ("draft", "karin")

    assert reporter.post(url("follow-up-submit", follow_up.pk)).json()["status"] == "submitted"
    response = reviewer.post(url("follow-up-return", follow_up.pk), {"comment": ""}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"comment": ["This field may not be blank."]}
    response = reviewer.post(url("follow-up-return", follow_up.pk), {"comment": " Varför? "}, format="json")
    assert (response.json()["status"], response.json()["return_comment"]) == ("returned", "Varför?")

    response = reporter.patch(url("follow-up-detail", follow_up.pk), {"commentary": "Så här."}, format="json")
    assert (response.json()["status"], response.json()["commentary"]) == ("returned", "Så här.")
    assert reporter.post(url("follow-up-submit", follow_up.pk)).json()["return_comment"] == ""
    response = reviewer.post(url("follow-up-review", follow_up.pk))
    assert (response.json()["status"], response.json()["reviewed_by"]) == ("reviewed", "eva")
    assert token_client(None).get(url("follow-up-detail", follow_up.pk)).status_code == 200
    assert fresh(follow_up).history.first().history_user == cast["politician"]


@pytest.mark.parametrize(
    ("setup", "call", "message"),
    [
        (None, ("review", None), "Only a submitted follow-up can be reviewed."),
        (None, ("return", {"comment": "Nej."}), "Only a submitted follow-up can be sent back."),
        (
            "submit",
            ("submit", None),
            "Only a draft follow-up or one sent back can be submitted; this one is submitted for review.",
        ),
        (
            "submit",
            ("patch", {"commentary": "Ändrat."}),
            "The follow-up is submitted for review and cannot be changed now.",
        ),
    ],
)
def test_an_illegal_transition_is_a_409_with_the_reason(cast, world, english, setup, call, message):
    if setup == "submit":
        follow_up_submit(follow_up=world.draft, by=None)
    status = fresh(world.draft).status
    action, data = call
    client = token_client(cast["admin"])
    if action == "patch":
        response = client.patch(url("follow-up-detail", world.draft.pk), data, format="json")
    else:
        response = client.post(url(f"follow-up-{action}", world.draft.pk), data, format="json")
    assert response.status_code == 409
    assert response.json() == {"detail": message, "errors": {"non_field_errors": [message]}}
    assert fresh(world.draft).status == status
    assert fresh(world.draft).commentary == "Klart."


def test_a_follow_up_is_refused_for_an_undecided_goal_or_a_closed_period(cast, world, english):
    world.chain.body.__class__.objects.filter(pk=world.chain.body.pk).update(status="draft")
    ReportingPeriod.objects.filter(pk=world.t1.pk).update(is_open=False)
    response = token_client(cast["admin"]).post(
        url("follow-up-list"),
        {
            "goal": world.chain.body.pk,
            "reporting_period": world.t1.pk,
            "attainment": "partly",
            "commentary": "x",
        },
        format="json",
    )
    assert response.status_code == 400
    year = world.chain.period.year
    assert response.json()["errors"] == {
        "non_field_errors": [
            "Only a decided goal is followed up; “Fler elever klarar kunskapskraven” is not decided.",
            f"Four-month report {year} is closed for reporting.",
        ]
    }


@pytest.mark.parametrize("size", [10, 40])
def test_the_follow_up_list_takes_a_fixed_number_of_queries(cast, world, django_assert_num_queries, size):
    grow_chain(world.chain, size)
    for goal in world.chain.period.goals.exclude(pk__in=[world.chain.body.pk, world.chain.operational.pk]):
        follow_up_save(
            version=None,
            goal=goal,
            reporting_period=world.annual,
            by=cast["editor"],
            attainment="partly",
            commentary="x",
        )
    client = token_client(cast["editor"])
    # 1. the token and its user, 2. the count, 3. the page with goals, periods and people
    with django_assert_num_queries(3):
        response = client.get(url("follow-up-list"), {"page_size": 500})
    assert response.json()["count"] == size


@pytest.mark.parametrize("submitter", ["admin", "manager_inside"])
def test_whoever_submitted_a_follow_up_may_not_review_it_or_send_it_back(cast, world, submitter):
    # The admin is a superuser and decides everything; separation of duties holds for them too.
    client = token_client(cast[submitter])
    response = client.post(url("follow-up-submit", world.draft.pk))
    assert response.json()["submitted_by"] == cast[submitter].username
    for action, data in (("review", None), ("return", {"comment": "Förtydliga."})):
        response = client.post(url(f"follow-up-{action}", world.draft.pk), data, format="json")
        assert response.status_code == 403
    assert fresh(world.draft).status == ReviewStatus.SUBMITTED
    response = token_client(cast["politician"]).post(url("follow-up-review", world.draft.pk))
    assert (response.status_code, response.json()["reviewed_by"]) == (200, "eva")
