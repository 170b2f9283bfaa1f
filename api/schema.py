"""drf-spectacular's schema, in English whatever the language, with the error responses each operation can
give, in the one format."""

from __future__ import annotations

import uritemplate
from django.utils import translation
from django.utils.functional import Promise
from drf_spectacular.authentication import SessionScheme
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.generators import SchemaGenerator as SpectacularSchemaGenerator
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import extend_schema, extend_schema_view

from api.exceptions import ErrorSerializer
from api.permissions import PUBLIC, rule_for
from api.viewsets import RulesViewSet

# The schema's one language. Clients are generated from it, so a name, an enum's description or a
# field's title that followed the request's language would change the generated code with it.
SCHEMA_LANGUAGE = "en"


class SchemaGenerator(SpectacularSchemaGenerator):
    """The schema in English, the same bytes whatever language is active: the request's (its
    ``Accept-Language``, the language cookie, drf-spectacular's ``?lang=``) at ``/api/schema/``,
    the portal's default (Swedish) in ``manage.py spectacular``, with or without its ``--lang``."""

    def get_schema(self, request=None, public=False):
        with translation.override(SCHEMA_LANGUAGE):
            # The view renders the schema after it returns, outside this block: the lazily
            # translated texts (labels, help texts, choices) are turned into English here.
            return evaluated(super().get_schema(request=request, public=public))


def evaluated(value):
    """``value`` with every lazily translated string in it turned into a ``str`` in the active
    language, through nested dicts and lists."""
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, dict):
        return {evaluated(key): evaluated(inner) for key, inner in value.items()}
    if isinstance(value, list | tuple):
        return [evaluated(inner) for inner in value]
    return value


class BearerTokenScheme(OpenApiAuthenticationExtension):
    """``Authorization: Bearer <key>`` as the standard HTTP bearer scheme, which generated clients
    fill in from their ``token`` argument; drf-spectacular's own extension would describe it as a
    second ``tokenAuth`` with another prefix."""

    target_class = "api.authentication.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "The same token as `tokenAuth`, sent as `Authorization: Bearer <key>`.",
        }


class PortalSessionScheme(SessionScheme):
    """The portal's session (``api.authentication.SessionAuthentication``) as the session cookie,
    like the REST framework's, which drf-spectacular's extension names alone."""

    target_class = "api.authentication.SessionAuthentication"


class AutoSchema(SpectacularAutoSchema):
    """Adds to every operation the errors it can answer with (``api.exceptions``), so that clients
    and schema-driven tests know them without each view declaring them."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code in self.error_codes():
            if str(code) not in responses:
                responses[str(code)] = self._get_response_for_code(
                    ErrorSerializer, str(code), direction=direction
                )
        return responses

    def get_response_serializers(self):
        # A create with its own serializer (``ReadWriteViewSet.create_serializer_class``) answers
        # with the new object as it is read.
        if getattr(self.view, "action", None) == "create" and getattr(
            self.view, "create_serializer_class", None
        ):
            return self.view.serializer_class
        return super().get_response_serializers()

    def get_auth(self):
        # Anyone may call a public action: no credentials is one of its security requirements.
        auth = super().get_auth()
        if rule_for(self.view) == PUBLIC and {} not in auth:
            auth.append({})
        return auth

    def _resolve_path_parameters(self, variables):
        # The viewsets take any value but a slash where the lookup stands (``api.viewsets``), so that
        # a malformed id is the API's 404; drf-spectacular would describe every such lookup as a
        # string of that pattern. Read as DRF's default pattern, the lookup gets the type of its
        # model field instead: a goal's id an integer, a year a year, a slug a slug, as the bodies
        # say, so that a generated client's calls take the values its models hold.
        address = self.path_regex
        self.path_regex = address.replace(f">{RulesViewSet.lookup_value_regex})", ">[^/.]+)")
        try:
            return super()._resolve_path_parameters(variables)
        finally:
            self.path_regex = address

    def error_codes(self) -> list[int]:
        has_query = bool(self._get_filter_parameters() or self._get_pagination_parameters())
        codes = [401]  # a wrong token is refused everywhere, even where no sign-in is needed
        if self.method in ("POST", "PUT", "PATCH") or has_query:
            codes.append(400)
        if rule_for(self.view) != PUBLIC:
            codes.append(403)
        if uritemplate.variables(self.path) or has_query:
            codes.append(404)  # no such object, or no such page
        if self.method in ("POST", "PUT", "PATCH", "DELETE"):
            codes.append(409)  # someone else changed it first (orgunits.concurrency.Conflict)
            if uritemplate.variables(self.path):
                codes.append(412)  # If-Match names a version that is not the one saved now
        return sorted(codes)


def summaries(**by_action: str):
    """A viewset's decorator giving each named action its summary in the schema:
    ``@summaries(list="The goals, in chain order", create="Add a goal")``."""
    return extend_schema_view(**{name: extend_schema(summary=text) for name, text in by_action.items()})


def changes(thing: str, *, by: str) -> dict[str, str]:
    """The summaries of a whole and a partial change, for ``summaries``: ``changes("a unit",
    by="staff")`` gives "Change a unit (staff)" and "Change some of a unit's fields (staff)"."""
    return {"update": f"Change {thing} ({by})", "partial_update": f"Change some of {thing}'s fields ({by})"}
