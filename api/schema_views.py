"""The views that serve the schema (``api.schema`` describes the API; this module serves it):
the OpenAPI document and its Swagger UI page.

Apart from ``api.schema`` because drf-spectacular's views read the REST framework's settings on
import, and those name ``api.schema.AutoSchema``.
"""

from __future__ import annotations

from django.utils import translation
from django.utils.functional import Promise
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.response import Response

# The schema's one language. Clients are generated from it, so a name, an enum's description or a
# field's title that followed the request's language would change the generated code with it.
SCHEMA_LANGUAGE = "en"


class SchemaView(SpectacularAPIView):
    """The OpenAPI schema, the same bytes whatever language the request asks for (its
    ``Accept-Language``, the language cookie, drf-spectacular's ``?lang=``): its texts are in
    English, the language of the code its names come from."""

    def _get_schema_response(self, request):
        with translation.override(SCHEMA_LANGUAGE):
            response = super()._get_schema_response(request)
            # The response is rendered after the view returns, outside this block: the lazily
            # translated texts (labels, help texts, choices) are turned into English here.
            return Response(data=evaluated(response.data), headers=dict(response.headers))


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


class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI, its start-up script served from its own address (no inline script, like every
    script of the portal), with names for the controls Swagger UI leaves unnamed."""

    template_name_js = "drf_spectacular/swagger_ui_accessible.js"
