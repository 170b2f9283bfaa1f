"""Signing in and out: the sign-in page, the way to the provider and back, and signing out of
both the portal and the provider."""

from __future__ import annotations

import logging
from urllib.parse import urlencode

import requests
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render, resolve_url
from django.utils.translation import gettext as _
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from signin.provider import ProviderUnreachable, sign_in_provider, sso_enabled

logger = logging.getLogger(__name__)


def provider_name() -> str:
    return str(settings.OIDC_PROVIDER_NAME)


def provider_unreachable(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "registration/sign_in_failed.html",
        {
            "heading": _("Sign-in with %(provider)s is not working right now")
            % {"provider": provider_name()},
            "message": _(
                "The portal got no answer from the sign-in service. Try again in a few minutes, and "
                "contact IT support if it still does not work."
            ),
        },
        status=503,
    )


def sign_in_refused(request: HttpRequest, message: str) -> HttpResponse:
    return render(
        request,
        "registration/sign_in_failed.html",
        {"heading": _("You were not signed in"), "message": message},
        status=403,
    )


class SignInView(auth_views.LoginView):
    """Django's sign-in page, offering the provider when single sign-on is set up and the
    password form while password sign-in is on."""

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            sso=sso_enabled(),
            provider_name=provider_name(),
            password_sign_in=settings.PASSWORD_SIGN_IN,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if not settings.PASSWORD_SIGN_IN:
            return sign_in_refused(
                request,
                _("Signing in with a password is switched off: sign in with %(provider)s.")
                % {"provider": provider_name()},
            )
        return super().post(request, *args, **kwargs)


class ProviderSignInView(OIDCAuthenticationRequestView):
    """Sends the browser to the provider (authorization code flow with PKCE)."""

    def __init__(self, *args, **kwargs):
        # The base reads the authorization endpoint from the settings here; it is discovered in get().
        super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)

    def get(self, request):
        if not sso_enabled():
            raise Http404
        try:
            provider = sign_in_provider()
        except ProviderUnreachable:
            return provider_unreachable(request)
        self.OIDC_OP_AUTH_ENDPOINT = provider.authorization_endpoint
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        return super().get(request)


class ProviderCallbackView(OIDCAuthenticationCallbackView):
    """Where the provider sends the browser back: the code is exchanged for tokens
    (signin.backends.OidcBackend) and the user signed in."""

    def get(self, request):
        if not sso_enabled():
            raise Http404
        try:
            return super().get(request)
        except (ProviderUnreachable, requests.ConnectionError, requests.Timeout):
            return provider_unreachable(request)
        except (requests.RequestException, SuspiciousOperation) as error:
            logger.warning("A sign-in through the OpenID provider failed: %s", error)
            return self.login_failure()

    def login_failure(self):
        user = getattr(self, "user", None)
        if user is not None and not user.is_active:
            return sign_in_refused(
                self.request,
                _("Your account in the portal is deactivated. Contact the portal's administrator."),
            )
        return sign_in_refused(
            self.request,
            _("The sign-in service did not confirm who you are, or the sign-in was cancelled. Try again."),
        )


class SignOutView(auth_views.LogoutView):
    """Signs out of the portal and, for a user who came through the provider, out of the
    provider too, where it offers that (its end_session_endpoint); it then sends the browser back
    to the portal's start page."""

    def post(self, request, *args, **kwargs):
        provider_sign_out = self.provider_sign_out_url(request)  # read before the session is emptied
        response = super().post(request, *args, **kwargs)
        return HttpResponseRedirect(provider_sign_out) if provider_sign_out else response

    @staticmethod
    def provider_sign_out_url(request: HttpRequest) -> str:
        id_token = request.session.get("oidc_id_token")
        if not (id_token and sso_enabled()):
            return ""
        try:
            endpoint = sign_in_provider().end_session_endpoint
        except ProviderUnreachable:
            return ""  # signed out of the portal all the same
        if not endpoint:
            return ""
        query = urlencode(
            {
                "id_token_hint": id_token,
                "client_id": settings.OIDC_RP_CLIENT_ID,
                "post_logout_redirect_uri": request.build_absolute_uri(
                    resolve_url(settings.LOGOUT_REDIRECT_URL)
                ),
            }
        )
        return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"
