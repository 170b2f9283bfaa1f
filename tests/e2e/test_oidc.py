"""Single sign-on through a real OpenID provider (oidc-provider, tests/oidc/provider.mjs) in
Chromium: the first sign-in creates the user, signing out ends the provider's session too, a later
sign-in updates the name, a staff group makes staff, and a provider that is down gets a Swedish
page instead of an error."""

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from signin.models import OidcIdentity
from tests.oidc.server import CLIENT_ID, CLIENT_SECRET, free_port, running_provider, write_accounts

PROVIDER_NAME = "Kommunens konto"

# Keyed by the login typed at the provider, which it gives as the subject id (`sub`).
KARIN = {
    "preferred_username": "karin.lind@kommun.example",
    "given_name": "Karin",
    "family_name": "Lind",
    "email": "karin.lind@kommun.example",
}
EVA = {
    "preferred_username": "eva.berg@kommun.example",
    "given_name": "Eva",
    "family_name": "Berg",
    "email": "eva.berg@kommun.example",
    "groups": ["alla-anstallda", "styrmodell-admin"],
}


@pytest.fixture(scope="session")
def oidc_provider(live_server, tmp_path_factory):
    accounts_file = tmp_path_factory.mktemp("oidc") / "accounts.json"
    write_accounts(accounts_file, {"karin": KARIN, "eva": EVA})
    with running_provider(
        redirect_uri=f"{live_server.url}/accounts/oidc/callback/",
        logout_uri=f"{live_server.url}/",
        accounts_file=accounts_file,
    ) as provider:
        yield provider


@pytest.fixture
def sso(settings, oidc_provider, console_errors):
    """The portal set up for the test provider, as docs/sign-in.md tells an administrator to."""
    # The provider's own development pages, not the portal's, ask for a Google font, which cannot
    # load without internet, and for an icon the provider does not have.
    console_errors.expect(r"net::ERR_NAME_NOT_RESOLVED \(https://fonts\.googleapis\.com/")
    console_errors.expect(rf"status of 404 .*\({re.escape(oidc_provider.issuer.rstrip('/'))}/favicon\.ico\)")
    settings.OIDC_ISSUER = oidc_provider.issuer
    settings.OIDC_DISCOVERY_URL = ""
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_PROVIDER_NAME = PROVIDER_NAME
    settings.OIDC_STAFF_CLAIM = "groups"
    settings.OIDC_STAFF_VALUE = "styrmodell-admin"
    oidc_provider.set_accounts({"karin": KARIN, "eva": EVA})
    return oidc_provider


@pytest.fixture
def page(browser, live_server, transactional_db):
    context = browser.new_context(locale="sv-SE", base_url=live_server.url)
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def sign_in_at_provider(page, login):
    """From the portal's sign-in page through the provider's development pages and back."""
    page.goto("/accounts/login/")
    page.get_by_role("link", name=f"Logga in med {PROVIDER_NAME}").click()
    page.locator("input[name=login]").fill(login)
    page.locator("input[name=password]").fill("vilket-lösenord-som-helst")
    page.get_by_role("button", name="Sign-in").click()
    page.get_by_role("button", name="Continue").click()  # the provider asks to share the profile


def test_the_first_sign_in_creates_the_user_and_a_later_one_updates_the_name(sso, page, live_server):
    sign_in_at_provider(page, "karin")
    expect(page.get_by_role("button", name="Logga ut Karin")).to_be_visible()
    identity = OidcIdentity.objects.select_related("user").get()
    karin = identity.user
    assert (identity.issuer, identity.subject) == (sso.issuer, "karin")
    assert (karin.username, karin.first_name, karin.last_name, karin.email, karin.is_staff) == (
        "karin.lind@kommun.example",
        "Karin",
        "Lind",
        "karin.lind@kommun.example",
        False,
    )
    assert not karin.has_usable_password()

    # Signing out of the portal ends the provider's session too: it asks, then sends her back.
    page.get_by_role("button", name="Logga ut Karin").click()
    page.get_by_role("button", name="Yes, sign me out").click()
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("link", name="Logga in")).to_be_visible()

    # She marries and changes her name and address at the provider; her subject id stays.
    sso.set_accounts(
        {"karin": {**KARIN, "family_name": "Lind Ek", "email": "karin.lind.ek@kommun.example"}, "eva": EVA}
    )
    # The provider asks for her password again: its session ended with the portal's.
    sign_in_at_provider(page, "karin")
    expect(page.get_by_role("button", name="Logga ut Karin")).to_be_visible()
    karin.refresh_from_db()
    assert (karin.first_name, karin.last_name, karin.email) == (
        "Karin",
        "Lind Ek",
        "karin.lind.ek@kommun.example",
    )
    assert list(get_user_model().objects.all()) == [karin]


def test_a_member_of_the_staff_group_becomes_staff(sso, page):
    sign_in_at_provider(page, "eva")
    expect(
        page.get_by_role("navigation").locator("a[href='/admin/']")
    ).to_be_visible()  # the menu's admin link
    eva = get_user_model().objects.get(oidc_identity__subject="eva")
    assert (eva.get_full_name(), eva.is_staff, eva.is_superuser) == ("Eva Berg", True, False)


def test_the_sign_in_page_offers_the_provider_and_passes_axe(sso, page, assert_accessible):
    page.goto("/accounts/login/")
    expect(page.get_by_role("link", name=f"Logga in med {PROVIDER_NAME}")).to_be_visible()
    expect(page.get_by_label("Lösenord")).to_be_visible()  # local accounts still sign in
    assert_accessible(page)


def test_a_provider_that_is_down_gets_a_swedish_page(sso, settings, page, assert_accessible, console_errors):
    console_errors.expect(r"status of 503 .*/accounts/oidc/start/")
    settings.OIDC_ISSUER = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    page.goto("/accounts/login/")
    with page.expect_response(lambda response: "/accounts/oidc/start/" in response.url) as started:
        page.get_by_role("link", name=f"Logga in med {PROVIDER_NAME}").click()
    assert started.value.status == 503
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Inloggning med {PROVIDER_NAME} fungerar inte just nu"
    )
    assert_accessible(page)
    assert not get_user_model().objects.exists()
