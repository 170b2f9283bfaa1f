"""The portal's error pages, and the API's errors in its own JSON format.

Django's handlers (``handler400`` ... ``handler500`` in ``styrmodell.urls``) answer with a page in
the portal's layout and the request's language, saying what went wrong and where to go on from
there; under ``/api/`` they answer with the API's ``{"detail": ..., "errors": {}}`` instead, so that
an address the router does not know is a JSON 404 like every other. Django has no handler for 405:
``MethodNotAllowedMiddleware`` renders the page for the bare ``HttpResponseNotAllowed`` of
``require_POST`` and the class-based views.
"""

from __future__ import annotations

from django.core.exceptions import BadRequest, PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template import loader
from rest_framework import exceptions as api_exceptions

from api.exceptions import error_response

API_PREFIX = "/api/"


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """400. A view's ``BadRequest`` says what the request lacks; a ``SuspiciousOperation`` (a forged
    host, a broken session) keeps its reason to the log."""
    reason = str(exception) if isinstance(exception, BadRequest) else ""
    if _is_api(request):
        return error_response(400, reason or api_exceptions.ParseError.default_detail)
    return render(request, "400.html", {"reason": reason}, status=400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """403, with the rule's reason when the view gave one (``PermissionDenied("...")``)."""
    reason = str(exception) if isinstance(exception, PermissionDenied) else ""
    if _is_api(request):
        return error_response(403, reason or api_exceptions.PermissionDenied.default_detail)
    return render(request, "403.html", {"reason": reason}, status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """404. The exception's message is not shown: Django's names a model and a query, in English."""
    if _is_api(request):
        return error_response(404, api_exceptions.NotFound.default_detail)
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """500, rendered without the context processors and without the signed-in user: the database
    may be what failed, so the page must not need it. The CSRF token comes from the cookie, so the
    header's language switch and search still work."""
    if _is_api(request):
        return error_response(500, api_exceptions.APIException.default_detail)
    template = loader.get_template("500.html")
    return HttpResponse(template.render({"request": request, "csrf_token": get_token(request)}), status=500)


def method_not_allowed(request: HttpRequest, allowed: str) -> HttpResponse:
    if _is_api(request):
        response = error_response(
            405, api_exceptions.MethodNotAllowed.default_detail.format(method=request.method)
        )
    else:
        response = render(request, "405.html", status=405)
    response["Allow"] = allowed
    return response


class MethodNotAllowedMiddleware:
    """Renders the 405 page (or the API's JSON) for the empty ``HttpResponseNotAllowed`` that
    ``require_POST`` and the class-based views answer with; DRF's own 405 is JSON already."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if isinstance(response, HttpResponseNotAllowed) and not response.content:
            return method_not_allowed(request, response["Allow"])
        return response
