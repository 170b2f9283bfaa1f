"""How an API client says who it is, besides the portal's session.

A token goes in the ``Authorization`` header either as ``Token <key>`` (the REST framework's own
keyword) or as ``Bearer <key>`` (RFC 6750), which clients generated from the OpenAPI schema send
by default. Both name the same key, made in the admin (``Auth token``) or with ``manage.py
drf_create_token <username>``.
"""

from __future__ import annotations

from rest_framework.authentication import TokenAuthentication


class BearerTokenAuthentication(TokenAuthentication):
    """The REST framework's token, sent as ``Authorization: Bearer <key>``."""

    keyword = "Bearer"
