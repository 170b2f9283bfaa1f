{% comment %}
Swagger UI's start-up script (drf-spectacular's), and a name for what Swagger UI draws without one:
the close button of its dialogs is an icon alone, which a screen reader cannot name (axe:
button-name). Served by api.schema_views.DocsView; tests/e2e/test_api_docs.py runs axe on the dialog.
{% endcomment %}{% include "drf_spectacular/swagger_ui.js" %}

new MutationObserver(() => {
  for (const button of document.querySelectorAll("button.close-modal:not([aria-label])")) {
    button.setAttribute("aria-label", "Close");
  }
}).observe(document.getElementById("swagger-ui"), { childList: true, subtree: true });
