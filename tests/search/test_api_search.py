"""``?search=`` on the API's lists of goals, units, processes and indicators."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from goals.chain.levels import Level
from goals.chain.workflow import Status
from goals.models import Goal, Indicator
from processes.models import Process, ProcessKind
from tests.kit.chain import add_goal, grow_chain
from tests.kit.people import member_of

pytestmark = pytest.mark.django_db


def names(response, key="name") -> list[str]:
    assert response.status_code == 200, response.content
    return [row[key] for row in response.json()["results"]]


def test_goals_are_searched_best_first(api, chain):
    in_description = add_goal(
        Level.OPERATIONAL,
        "Trygg väg",
        chain.group.administration,
        chain.body,
        status=Status.APPROVED,
        description="Belysning vid simhallen.",
    )
    in_title = add_goal(
        Level.OPERATIONAL, "Fler simhallar", chain.group.administration, chain.body, status=Status.APPROVED
    )
    response = api.get("/api/v1/goals/", {"search": "simhall"})
    assert names(response, "title") == [in_title.title, in_description.title]


def test_anonymous_callers_find_no_drafts(api, draft_chain, group):
    assert names(api.get("/api/v1/goals/", {"search": "läsning"}), "title") == []
    api.force_login(member_of(group.administration, "karin"))
    assert names(api.get("/api/v1/goals/", {"search": "läsning"}), "title") == ["Tidiga insatser i läsning"]


def test_search_combines_with_the_other_filters(api, chain):
    response = api.get("/api/v1/goals/", {"search": "läsning", "level": Level.ACTIVITY})
    assert names(response, "title") == []
    response = api.get("/api/v1/goals/", {"search": "läsning", "level": Level.OPERATIONAL})
    assert names(response, "title") == ["Tidiga insatser i läsning"]


def test_units_processes_and_indicators_are_searched(api, group):
    process = Process.objects.create(
        kind=ProcessKind.MAIN,
        name="Skolskjuts",
        purpose="Resor till skolan",
        owning_unit=group.administration,
    )
    Indicator.objects.create(code="UF-1", name="Andel elever med skolskjuts")
    assert names(api.get("/api/v1/orgunits/", {"search": "västra"})) == ["Västra skolan"]
    assert names(api.get("/api/v1/processes/", {"search": "skolskjuts"})) == [process.name]
    assert names(api.get("/api/v1/indicators/", {"search": "skolskjuts"})) == ["Andel elever med skolskjuts"]


@pytest.mark.parametrize("text", ["&|!", "' & !(", "a:* | b", "x" * 300])
def test_any_words_are_answered_never_an_error(api, chain, text):
    assert api.get("/api/v1/goals/", {"search": text}).status_code == 200


def test_a_nul_character_is_refused_as_bad_input(api, chain):
    assert api.get("/api/v1/goals/", {"search": "skol\x00a"}).status_code == 400


def test_the_query_count_is_fixed(api, chain):
    def queries_at(size: int) -> int:
        grow_chain(chain, size)
        with CaptureQueriesContext(connection) as queries:
            response = api.get("/api/v1/goals/", {"search": "aktivitet"})
        assert response.json()["count"] == Goal.objects.filter(title__startswith="Aktivitet").count()
        return len(queries)

    assert queries_at(10) == queries_at(60)


def test_the_schema_documents_search_on_each_list(api):
    schema = api.get("/api/schema/", {"format": "json"}).json()
    for path in ("/api/v1/goals/", "/api/v1/orgunits/", "/api/v1/processes/", "/api/v1/indicators/"):
        parameters = {
            parameter["name"]: parameter for parameter in schema["paths"][path]["get"]["parameters"]
        }
        assert "best matches first" in parameters["search"]["description"], path
