"""How an API client says who it is, besides the portal's session.

A token goes in the ``Authorization`` header either as ``Token <key>`` (the REST framework's own
keyword) or as ``Bearer <key>`` (RFC 6750), which clients generated from the OpenAPI schema send
by default. Both name the same key, made in the admin (``Auth token``) or with ``manage.py
drf_create_token <username>``.

The portal's session serves a browser (the Swagger page): its writes need the CSRF token, and a
write without one is refused in the request's language, saying what to send instead.
"""

from __future__ import annotations

from django.utils.translation import gettext
from rest_framework import authentication, exceptions
from rest_framework.authentication import TokenAuthentication


class BearerTokenAuthentication(TokenAuthentication):
    """The REST framework's token, sent as ``Authorization: Bearer <key>``."""

    keyword = "Bearer"


class SessionAuthentication(authentication.SessionAuthentication):
    """The portal's session; a write without its CSRF token is refused with a sentence in the
    request's language (the REST framework's says "CSRF Failed: ..." in English)."""

    def enforce_csrf(self, request):
        try:
            super().enforce_csrf(request)
        except exceptions.PermissionDenied as refusal:
            raise exceptions.PermissionDenied(
                gettext(
                    "A write through the portal's session must send its CSRF token; a program should "
                    "send its token in the Authorization header instead."
                )
            ) from refusal
