"""The browser's side of the portal's security: the Content-Security-Policy and the
Permissions-Policy, set in settings.py, and what of them depends on the settings at each request.

The policy allows scripts, styles, images and fonts from the portal's own address only, and no
inline script or style anywhere: every script is a file under static/, and the data a script needs
travels in ``json_script`` blocks or data attributes. One thing lies outside the portal: signing
out of single sign-on posts the sign-out form to the portal, which redirects the browser to the
provider's sign-out page (signin/views.py, ``SignOutView``). Browsers check a form's redirects
against ``form-action`` too, so the provider's address is added to it while sign-on is set up.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from csp.middleware import CSPMiddleware, PolicyParts
from django.http import HttpRequest, HttpResponseBase

from signin.provider import discovery_url, sso_enabled


def sign_in_provider_origin() -> str:
    """The scheme, host and port of the OpenID provider, or "" when single sign-on is off. Its
    sign-out page is on the issuer's host with every provider we know (Entra ID, Keycloak, AD FS)."""
    if not sso_enabled():
        return ""
    address = urlsplit(discovery_url())
    return f"{address.scheme}://{address.netloc}"


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the sign-in provider's address in ``form-action``. Read from the
    settings at each response, not once at start-up, so that a changed setting needs no restart."""

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        provider = sign_in_provider_origin()
        if provider:
            parts.update = {**(parts.update or {}), "form-action": [provider]}
        return parts
