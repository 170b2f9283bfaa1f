"""The error pages: in the portal's layout and the reader's language, saying why and where to go on;
under /api/ the API's JSON error format instead.

This module is also the URLconf of its tests (``pytest.mark.urls``): the portal's addresses plus
views that refuse with a reason or fail, and the portal's own error handlers.
"""

import json

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import path, reverse

from styrmodell.urls import handler400, handler403, handler404, handler500  # noqa: F401 (the URLconf's)
from styrmodell.urls import urlpatterns as portal_urlpatterns
from tests.kit.people import member_of


def refuse_with_reason(request):
    raise PermissionDenied("Bara nämndens sekreterare får publicera protokollet.")


def fail(request):
    raise RuntimeError("a bug")


urlpatterns = [
    path("test/refuse/", refuse_with_reason),
    path("test/fail/", fail),
    path("api/test/fail/", fail),
    *portal_urlpatterns,
]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

SWEDISH, ENGLISH = "sv", "en"


def get(client, url, language, method="get"):
    return getattr(client, method)(url, HTTP_ACCEPT_LANGUAGE=language)


def page(response) -> str:
    return response.content.decode()


def assert_in_layout(response):
    """The page has the portal's header and menu, and a way onward to the start page."""
    html = page(response)
    assert 'class="site-header"' in html
    assert 'class="main-nav"' in html
    assert f'href="{reverse("home")}"' in html


@pytest.mark.parametrize(
    ("language", "title", "html_lang"),
    [(SWEDISH, "Sidan finns inte", 'lang="sv"'), (ENGLISH, "Page not found", 'lang="en"')],
)
def test_an_unknown_address_is_the_404_page_in_the_readers_language(client, language, title, html_lang):
    response = get(client, "/ingen-sida-har/", language)
    assert response.status_code == 404
    assert f"<h1>{title}</h1>" in page(response)
    assert html_lang in page(response)
    assert_in_layout(response)


@pytest.mark.parametrize(
    ("language", "message"),
    [
        (SWEDISH, "Välj en enhet eller ett mål att bryta ned."),
        (ENGLISH, "Choose a unit or a goal to break down."),
    ],
)
def test_a_new_goal_without_a_unit_or_goal_is_the_styled_400_page_saying_what_to_choose(
    client, group, language, message
):
    client.force_login(member_of(group.administration, "karin"))
    response = get(client, reverse("goals:create"), language)
    assert response.status_code == 400
    assert f'<p class="lead">{message}</p>' in page(response)
    assert_in_layout(response)
    # The way to choose a unit: the organisation.
    assert f'href="{reverse("orgunits:tree")}"' in page(response)


@pytest.mark.parametrize(
    ("language", "title"), [(SWEDISH, "Du har inte behörighet till detta"), (ENGLISH, "You may not do this")]
)
def test_a_refusal_is_the_403_page_in_the_readers_language(client, group, language, title):
    outsider = member_of(group.school, "olle")
    client.force_login(outsider)
    response = get(client, reverse("goals:create") + f"?unit={group.administration.slug}", language)
    assert response.status_code == 403
    assert f"<h1>{title}</h1>" in page(response)
    assert_in_layout(response)


def test_the_403_page_says_the_rules_reason_when_the_view_gives_one(client):
    response = get(client, "/test/refuse/", SWEDISH)
    assert response.status_code == 403
    assert '<p class="lead">Bara nämndens sekreterare får publicera protokollet.</p>' in page(response)


def test_the_403_page_offers_an_anonymous_visitor_to_sign_in(client):
    response = get(client, "/test/refuse/", ENGLISH)
    assert f'href="{reverse("login")}?next=/test/refuse/"' in page(response)


@pytest.mark.parametrize(
    ("language", "title"),
    [
        (SWEDISH, "Adressen kan inte användas på det sättet"),
        (ENGLISH, "This address cannot be used that way"),
    ],
)
def test_opening_a_form_only_address_is_the_405_page(client, language, title):
    response = get(client, reverse("goals:choose-period"), language)
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert f"<h1>{title}</h1>" in page(response)
    assert_in_layout(response)


@pytest.mark.parametrize(
    ("language", "title"), [(SWEDISH, "Något gick fel"), (ENGLISH, "Something went wrong")]
)
def test_a_failing_page_is_the_500_page_without_touching_the_database(
    client, settings, django_assert_num_queries, language, title
):
    settings.DEBUG = False
    client.raise_request_exception = False
    # The database may be what failed: the page needs none of it.
    with django_assert_num_queries(0):
        response = get(client, "/test/fail/", language)
    assert response.status_code == 500
    assert f"<h1>{title}</h1>" in page(response)
    assert_in_layout(response)


@pytest.mark.parametrize(("language", "detail"), [(SWEDISH, "Hittades inte."), (ENGLISH, "Not found.")])
def test_an_unknown_api_address_is_a_json_404(client, language, detail):
    response = get(client, "/api/v1/nothing/", language)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == {"detail": detail, "errors": {}}


@pytest.mark.parametrize(
    ("language", "detail"),
    [(SWEDISH, 'Metoden "DELETE" tillåts inte.'), (ENGLISH, 'Method "DELETE" not allowed.')],
)
def test_a_method_the_api_does_not_take_is_a_json_405(client, language, detail):
    response = get(client, "/api/v1/", language, method="delete")
    assert response.status_code == 405
    assert json.loads(response.content) == {"detail": detail, "errors": {}}


@pytest.mark.parametrize(
    ("language", "detail"), [(SWEDISH, "Ett serverfel inträffade."), (ENGLISH, "A server error occurred.")]
)
def test_a_failure_under_the_api_is_a_json_500(client, settings, language, detail):
    settings.DEBUG = False
    client.raise_request_exception = False
    response = get(client, "/api/test/fail/", language)
    assert response.status_code == 500
    assert json.loads(response.content) == {"detail": detail, "errors": {}}


@pytest.mark.parametrize(
    ("language", "title"), [(SWEDISH, "Inloggningen är pausad"), (ENGLISH, "Signing in is paused")]
)
def test_too_many_failed_sign_ins_is_the_429_page_in_the_readers_language(
    client, django_user_model, language, title
):
    django_user_model.objects.create_user("karin.lind", password="rätt-lösenord")
    for _attempt in range(5):
        client.post(reverse("login"), {"username": "karin.lind", "password": "fel"}, REMOTE_ADDR="10.0.0.9")
    response = client.post(
        reverse("login"),
        {"username": "karin.lind", "password": "rätt-lösenord"},
        REMOTE_ADDR="10.0.0.9",
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert response.status_code == 429
    assert f"<h1>{title}</h1>" in page(response)
    assert_in_layout(response)


@pytest.mark.parametrize(
    ("language", "title"),
    [(SWEDISH, "Formuläret kunde inte skickas"), (ENGLISH, "The form could not be sent")],
)
def test_a_form_sent_without_its_csrf_token_is_the_styled_403_page(language, title):
    client = Client(enforce_csrf_checks=True)
    response = get(client, reverse("goals:choose-period"), language, method="post")
    assert response.status_code == 403
    assert f"<h1>{title}</h1>" in page(response)
    assert_in_layout(response)
