"""The OpenID provider, found by its discovery document.

mozilla-django-oidc wants the provider's endpoints as settings; the portal asks only for the
issuer (or the discovery document's address) and reads the endpoints from the document on first
use. A success is kept for an hour, a failure not at all, so that a provider that was down is
found again as soon as it answers.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

import requests
from django.conf import settings

logger = logging.getLogger(__name__)

DISCOVERY_PATH = "/.well-known/openid-configuration"
KEPT_FOR_SECONDS = 60 * 60


class ProviderUnreachable(Exception):
    """The provider's discovery document could not be read, or does not describe the provider
    the settings name."""


@dataclass(frozen=True)
class Provider:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    userinfo_endpoint: str
    jwks_uri: str
    end_session_endpoint: str  # "" when the provider has no sign-out to send the browser to


_discovered: dict[str, tuple[float, Provider]] = {}


def discovery_url() -> str:
    if settings.OIDC_DISCOVERY_URL:
        return settings.OIDC_DISCOVERY_URL
    if settings.OIDC_ISSUER:
        return settings.OIDC_ISSUER.rstrip("/") + DISCOVERY_PATH
    return ""


def sso_enabled() -> bool:
    """Whether single sign-on is set up: a client id and a provider to find."""
    return bool(settings.OIDC_RP_CLIENT_ID and discovery_url())


def sign_in_provider() -> Provider:
    """The configured provider's endpoints, read from its discovery document.

    Raises ProviderUnreachable when the document cannot be read or names another issuer than the
    settings do (the ID tokens would then be checked against the wrong issuer)."""
    url = discovery_url()
    kept = _discovered.get(url)
    if kept and time.monotonic() - kept[0] < KEPT_FOR_SECONDS:
        return kept[1]
    try:
        response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        document = response.json()
        provider = Provider(
            issuer=document["issuer"],
            authorization_endpoint=document["authorization_endpoint"],
            token_endpoint=document["token_endpoint"],
            userinfo_endpoint=document["userinfo_endpoint"],
            jwks_uri=document["jwks_uri"],
            end_session_endpoint=document.get("end_session_endpoint") or "",
        )
    except (requests.RequestException, ValueError, KeyError, TypeError) as error:
        logger.error("The OpenID provider's discovery document %s could not be read: %r", url, error)
        raise ProviderUnreachable(url) from error
    expected = settings.OIDC_ISSUER.rstrip("/")
    if expected and provider.issuer.rstrip("/") != expected:
        logger.error("The discovery document %s names the issuer %s, not %s", url, provider.issuer, expected)
        raise ProviderUnreachable(url)
    _discovered[url] = (time.monotonic(), provider)
    return provider
