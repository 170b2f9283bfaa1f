"""``GET /health/`` for the load balancer: 200 ``{"status": "ok"}`` while the database answers a
``SELECT 1``, 503 ``{"status": "unavailable"}`` when it does not, so that the balancer stops sending
visitors to an instance that would only show them errors.

A load balancer asks each instance by its address, over plain HTTP: the middleware answers first
in MIDDLEWARE, before the host is checked against ALLOWED_HOSTS (CommonMiddleware) and before the
redirect to HTTPS (SecurityMiddleware). A few lines of our own rather than django-health-check,
whose database check writes to a table of its own: a probe every few seconds needs no writes.
"""

from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache

PATH = "/health/"


def database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        return False


@never_cache
def health(request: HttpRequest) -> JsonResponse:
    if database_answers():
        return JsonResponse({"status": "ok"})
    return JsonResponse({"status": "unavailable"}, status=503)


class HealthCheckMiddleware:
    """Answers ``GET /health/`` itself, ahead of every other middleware (see the module's docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        if request.path_info == PATH and request.method in ("GET", "HEAD"):
            return health(request)
        return self.get_response(request)
