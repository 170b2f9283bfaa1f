"""What the benchmark (``bench/``) needs inside the portal, switched on by ``STYRMODELL_BENCHMARK``.

- The floor view: the cheapest page the stack can serve, through the same middleware, with one
  trivial query. Every page's time is reported as a ratio to it, which cancels out the speed of
  the machine the benchmark happens to run on.
- A middleware that tells the client the server's own time and the number of queries of each
  request, in ``Server-Timing`` and ``X-Query-Count`` headers, so the benchmark measures over HTTP
  without instrumenting the views.

Both are off unless benchmarking is on: the floor view is a 404 and the middleware is not in the
stack (see ``settings.MIDDLEWARE``).
"""

import time

from django.conf import settings
from django.db import connection
from django.http import Http404, HttpResponse


def floor(request):
    if not settings.BENCHMARK:
        raise Http404
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return HttpResponse("ok", content_type="text/plain")


class ServerTimingMiddleware:
    """Outermost middleware: times the whole request inside Django and counts its queries."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        counter = _QueryCounter()
        started = time.perf_counter()
        with connection.execute_wrapper(counter):
            response = self.get_response(request)
        milliseconds = (time.perf_counter() - started) * 1000
        response["Server-Timing"] = f"app;dur={milliseconds:.3f}"
        response["X-Query-Count"] = str(counter.queries)
        return response


class _QueryCounter:
    def __init__(self):
        self.queries = 0

    def __call__(self, execute, sql, params, many, context):
        self.queries += 1
        return execute(sql, params, many, context)
