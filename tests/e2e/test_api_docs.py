"""The API's Swagger page (/api/docs/), as an integrator's browser shows it."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def docs_page(browser, live_server):
    # The page needs no data: it reads the schema, which describes the API and none of its rows.
    context = browser.new_context(locale="sv-SE", base_url=live_server.url)
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def test_the_swagger_page_shows_the_api_and_passes_axe(docs_page, assert_accessible):
    docs_page.goto(reverse("api:docs"))
    # Swagger UI builds the page from the schema: wait until the operations are there.
    docs_page.get_by_role("heading", name="Styrmodell API").wait_for()
    docs_page.locator(".opblock").first.wait_for()
    # The page and the schema it shows are in English, whatever the browser prefers.
    assert docs_page.locator("html").get_attribute("lang") == "en"
    assert docs_page.locator(".opblock-tag", has_text="goals").count() == 1
    assert_accessible(docs_page)


def test_the_dialog_that_takes_a_token_passes_axe(docs_page, assert_accessible):
    docs_page.goto(reverse("api:docs"))
    docs_page.get_by_role("button", name="Authorize").click()
    dialog = docs_page.locator(".modal-ux")
    # Each way to send a token, the bearer scheme that generated clients use first.
    assert dialog.locator("h4").all_inner_texts() == [
        "bearerAuth\u00a0 (http, Bearer)",
        "cookieAuth\u00a0(apiKey)",
        "tokenAuth\u00a0(apiKey)",
    ]
    assert_accessible(docs_page)
