"""Every error of the API speaks the request's language, the ``detail`` as well as the field
messages beside it, and every refusal says why in one sentence."""

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from api.permissions import PUBLIC, REFUSALS, SIGNED_IN
from api.urls import router
from goals.models import Goal
from orgunits.kinds import Kind
from orgunits.models import OrgUnit

pytestmark = pytest.mark.django_db


def calling(user, language: str, **options) -> APIClient:
    """A client asking in ``language``, as ``user`` with a token (None: anonymous)."""
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language, **options)
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {Token.objects.create(user=user).key}")
    return client


def error(response) -> dict:
    return {"status": response.status_code, **response.json()}


# 400 -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "sv",
            {
                "status": 400,
                "detail": "Ogiltiga uppgifter.",
                "errors": {
                    "name": ["Fältet får inte vara tomt."],
                    "kind": ['"nope" är inte ett giltigt val.'],
                },
            },
        ),
        (
            "en",
            {
                "status": 400,
                "detail": "Invalid input.",
                "errors": {
                    "name": ["This field may not be blank."],
                    "kind": ['"nope" is not a valid choice.'],
                },
            },
        ),
    ],
)
def test_field_errors_and_their_summary_are_in_one_language(cast, group, language, expected):
    units = OrgUnit.objects.count()
    response = calling(cast["admin"], language).post(
        reverse("api:orgunit-list"), {"name": "", "kind": "nope", "parent": group.council.slug}
    )
    assert error(response) == expected
    assert OrgUnit.objects.count() == units


@pytest.mark.parametrize(
    ("language", "detail"),
    [
        ("sv", "Förfrågans innehåll är inte giltig JSON (rad 2, kolumn 10)."),
        ("en", "The request's body is not valid JSON (line 2, column 10)."),
    ],
)
def test_a_body_that_is_not_json_is_refused_saying_where(cast, language, detail):
    body = '{"name": "Ny enhet",\n "kind": unit}'
    response = calling(cast["admin"], language).generic(
        "POST", reverse("api:orgunit-list"), body, content_type="application/json"
    )
    assert error(response) == {"status": 400, "detail": detail, "errors": {}}


@pytest.mark.parametrize(
    ("language", "detail"),
    [
        ("sv", "Förfrågans innehåll kunde inte läsas som JSON."),
        ("en", "The request's body could not be read as JSON."),
    ],
)
def test_a_body_with_a_number_json_cannot_hold_is_refused(cast, language, detail):
    response = calling(cast["admin"], language).generic(
        "POST", reverse("api:orgunit-list"), '{"name": NaN}', content_type="application/json"
    )
    assert error(response) == {"status": 400, "detail": detail, "errors": {}}


# 401 and 403 -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "detail"),
    [
        ("sv", "Autentiseringsuppgifter ej tillhandahållna."),
        ("en", "Authentication credentials were not provided."),
    ],
)
def test_an_anonymous_write_is_asked_to_sign_in(group, language, detail):
    response = calling(None, language).post(reverse("api:orgunit-list"), {"name": "X", "kind": Kind.UNIT})
    assert error(response) == {"status": 401, "detail": detail, "errors": {}}


@pytest.mark.parametrize(
    ("language", "detail"),
    [
        ("sv", "Bara portalens administratörer får göra detta."),
        ("en", "Only the portal's administrators may do this."),
    ],
)
def test_a_staff_only_write_says_that_only_administrators_may(cast, group, language, detail):
    units = OrgUnit.objects.count()
    response = calling(cast["manager_inside"], language).post(
        reverse("api:orgunit-list"), {"name": "X", "kind": Kind.UNIT, "parent": group.administration.slug}
    )
    assert error(response) == {"status": 403, "detail": detail, "errors": {}}
    assert OrgUnit.objects.count() == units


@pytest.mark.parametrize(
    ("language", "detail"),
    [
        (
            "sv",
            "Bara chefer och redaktörer för målets enhet, och de som bereder mål åt dess politiska "
            "instans, får ändra målet.",
        ),
        (
            "en",
            "Only the managers and editors of the goal's unit, and those who prepare its political "
            "body's goals, may change it.",
        ),
    ],
)
def test_a_goal_of_another_part_of_the_organisation_is_refused_saying_who_may_change_it(
    cast, draft_chain, language, detail
):
    goal = draft_chain.operational
    response = calling(cast["manager_outside"], language).patch(
        reverse("api:goal-detail", args=[goal.pk]), {"title": "Ändrad"}
    )
    assert error(response) == {"status": 403, "detail": detail, "errors": {}}
    assert Goal.objects.get(pk=goal.pk).title == goal.title


@pytest.mark.parametrize(
    ("language", "detail"),
    [
        (
            "sv",
            "En ändring genom portalens inloggning måste skicka med sin CSRF-token; ett program ska i "
            "stället skicka sin token i Authorization-huvudet.",
        ),
        (
            "en",
            "A write through the portal's session must send its CSRF token; a program should send its "
            "token in the Authorization header instead.",
        ),
    ],
)
def test_a_session_write_without_its_csrf_token_says_what_to_send(cast, group, language, detail):
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language, enforce_csrf_checks=True)
    client.force_login(cast["admin"])
    units = OrgUnit.objects.count()
    response = client.post(
        reverse("api:orgunit-list"), {"name": "X", "kind": Kind.UNIT, "parent": group.administration.slug}
    )
    assert error(response) == {"status": 403, "detail": detail, "errors": {}}
    assert OrgUnit.objects.count() == units


def stated_rules():
    """Every rule that some viewset of the API states for one of its actions."""
    for _prefix, viewset, _basename in router.registry:
        yield from getattr(viewset, "action_rules", {}).values()


def test_every_rule_says_why_it_refuses():
    # PUBLIC refuses nobody; SIGNED_IN refuses only the anonymous, who are asked to sign in (401).
    silent = {rule for rule in stated_rules() if rule not in (PUBLIC, SIGNED_IN) and rule not in REFUSALS}
    assert silent == set()


# 404, 405, 415 ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("language", "detail"), [("sv", "Hittades inte."), ("en", "Not found.")])
def test_no_such_object(group, language, detail):
    response = calling(None, language).get(reverse("api:orgunit-detail", args=["finns-inte"]))
    assert error(response) == {"status": 404, "detail": detail, "errors": {}}


@pytest.mark.parametrize(("language", "detail"), [("sv", "Ogiltig sida."), ("en", "Invalid page.")])
def test_no_such_page(group, language, detail):
    response = calling(None, language).get(reverse("api:orgunit-list"), {"page": 99})
    assert error(response) == {"status": 404, "detail": detail, "errors": {}}


@pytest.mark.parametrize(
    ("language", "detail"), [("sv", 'Metoden "DELETE" tillåts inte.'), ("en", 'Method "DELETE" not allowed.')]
)
def test_a_method_the_address_does_not_answer(cast, language, detail):
    response = calling(cast["admin"], language).delete(reverse("api:orgunit-list"))
    assert error(response) == {"status": 405, "detail": detail, "errors": {}}


@pytest.mark.parametrize(
    ("language", "detail"),
    [
        ("sv", 'Medietypen "application/x-www-form-urlencoded" stöds inte.'),
        ("en", 'Unsupported media type "application/x-www-form-urlencoded" in request.'),
    ],
)
def test_a_body_that_is_not_json_by_its_media_type(cast, language, detail):
    response = calling(cast["admin"], language).generic(
        "POST", reverse("api:orgunit-list"), "name=X", content_type="application/x-www-form-urlencoded"
    )
    assert error(response) == {"status": 415, "detail": detail, "errors": {}}


@pytest.mark.parametrize(
    ("language", "detail"),
    [
        ("sv", "Bara de som beslutar om målet får besluta om det eller återremittera det."),
        ("en", "Only those who decide this goal may decide it or send it back."),
    ],
)
def test_approving_a_goal_one_does_not_decide_says_who_decides_it(cast, draft_chain, language, detail):
    goal = draft_chain.operational
    response = calling(cast["other_politician"], language).post(
        reverse("api:goal-approve"), {"goals": [goal.pk], "meeting_date": "2026-05-01", "paragraph": "§ 12"}
    )
    assert error(response) == {"status": 403, "detail": detail, "errors": {}}
    assert Goal.objects.get(pk=goal.pk).status == goal.status
