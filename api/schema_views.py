"""The Swagger page's view (``api.schema`` makes the schema; this module serves what shows it).

Apart from ``api.schema`` because drf-spectacular's views read the REST framework's settings on
import, and those name ``api.schema.AutoSchema``.
"""

from __future__ import annotations

from drf_spectacular.views import SpectacularSwaggerSplitView


class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI, its start-up script served from its own address (no inline script, like every
    script of the portal), with names for the controls Swagger UI leaves unnamed."""

    template_name_js = "drf_spectacular/swagger_ui_accessible.js"
