"""The authentication backends: the OpenID provider's, and Django's password check for local
accounts, which a setting switches off."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from signin.identities import user_from_claims
from signin.provider import sign_in_provider, sso_enabled


class PasswordBackend(ModelBackend):
    """Django's own backend; its password check answers only while ``PASSWORD_SIGN_IN`` is on,
    on the sign-in page and the admin's alike. Model permissions it answers always."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not settings.PASSWORD_SIGN_IN:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class OidcBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's code flow, with the endpoints from the provider's discovery document,
    the ID token's issuer and audience checked, and users keyed by their subject id
    (signin.identities.user_from_claims) instead of their e-mail address."""

    def __init__(self, *args, **kwargs):
        # The base reads the endpoints from the settings here; they are discovered in
        # authenticate() instead, so that a password sign-in never waits for the provider.
        self.UserModel = get_user_model()

    def authenticate(self, request, **kwargs):
        # Only the callback view passes a nonce; any other authenticate() call is not ours.
        if request is None or "nonce" not in kwargs or not sso_enabled():
            return None
        self.provider = sign_in_provider()
        self.OIDC_OP_TOKEN_ENDPOINT = self.provider.token_endpoint
        self.OIDC_OP_USER_ENDPOINT = self.provider.userinfo_endpoint
        self.OIDC_OP_JWKS_ENDPOINT = self.provider.jwks_uri
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_RP_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
        self.OIDC_RP_IDP_SIGN_KEY = None
        return super().authenticate(request, **kwargs)

    def verify_token(self, token, **kwargs):
        payload = super().verify_token(token, **kwargs)
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if payload.get("iss") != self.provider.issuer or self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("The ID token was issued by another provider or for another client.")
        return payload

    def get_userinfo(self, access_token, id_token, payload):
        """The ID token's claims with the userinfo endpoint's over them: Entra ID puts groups and
        app roles in the ID token only, other providers put the profile in userinfo only."""
        userinfo = super().get_userinfo(access_token, id_token, payload)
        if userinfo.get("sub") != payload.get("sub"):
            # OpenID Connect Core 5.3.2: the answer may be for someone else; it must not be used.
            raise SuspiciousOperation("The userinfo answer is about another subject than the ID token.")
        return {**payload, **userinfo}

    def get_user(self, user_id):
        # Django's rule, which mozilla-django-oidc's own get_user drops: a deactivated user's
        # session ends at their next request.
        return ModelBackend.get_user(self, user_id)

    def get_or_create_user(self, access_token, id_token, payload):
        claims = self.get_userinfo(access_token, id_token, payload)
        if not claims.get("sub"):
            raise SuspiciousOperation("The provider sent no subject id.")
        return user_from_claims(issuer=self.provider.issuer, claims=claims)
