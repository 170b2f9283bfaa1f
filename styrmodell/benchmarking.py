"""What the benchmark (``bench/``) needs inside the portal, switched on by ``STYRMODELL_BENCHMARK``.

- The floor view: the cheapest page the stack can serve, through the same middleware, with one
  trivial query. Every page's time is reported as a ratio to it, which cancels out the speed of
  the machine the benchmark happens to run on.
- A middleware that tells the client the server's own time, the number of queries of each
  request and the time they took, in ``Server-Timing`` (``app;dur=…, sql;dur=…``),
  ``X-Query-Count`` and ``X-Slowest-Query-Ms`` headers, so the benchmark measures over HTTP
  without instrumenting the views. The SQL time is the database driver's round trips as Django
  sees them (the query's execution, the network and the fetching of the rows).

- An endpoint that empties the shared cache of the whole-group pages (``POST /bench/invalidate/``),
  so that the benchmark can time those pages as the first visitor after a change sees them.

All are off unless benchmarking is on: the views are a 404 and the middleware is not in the
stack (see ``settings.MIDDLEWARE``).
"""

import time

from django.conf import settings
from django.db import connection
from django.http import Http404, HttpResponse
from django.utils.module_loading import import_string
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

# What empties the cache of the pages that show the whole group, as any change of the data does.
WHOLE_GROUP_CACHE_INVALIDATION = "orgunits.page_cache.invalidate_whole_group_pages"


def floor(request):
    if not settings.BENCHMARK:
        raise Http404
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return HttpResponse("ok", content_type="text/plain")


@csrf_exempt  # Called by the benchmark's own client, never by a browser; a 404 unless benchmarking.
@require_POST
def invalidate(request):
    """Empty the whole-group pages' cache: 204, or 404 where the portal has no such cache."""
    if not settings.BENCHMARK:
        raise Http404
    try:
        invalidate_whole_group_pages = import_string(WHOLE_GROUP_CACHE_INVALIDATION)
    except ImportError:
        raise Http404("This build caches no whole-group pages.") from None
    invalidate_whole_group_pages()
    return HttpResponse(status=204)


class ServerTimingMiddleware:
    """Outermost middleware: times the whole request inside Django, counts its queries and times them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        timer = _QueryTimer()
        started = time.perf_counter()
        with connection.execute_wrapper(timer):
            response = self.get_response(request)
        milliseconds = (time.perf_counter() - started) * 1000
        response["Server-Timing"] = f"app;dur={milliseconds:.3f}, sql;dur={timer.total_ms:.3f}"
        response["X-Query-Count"] = str(timer.queries)
        response["X-Slowest-Query-Ms"] = f"{timer.slowest_ms:.3f}"
        return response


class _QueryTimer:
    """Counts a request's queries and adds up their time, keeping the slowest."""

    def __init__(self):
        self.queries = 0
        self.total_ms = 0.0
        self.slowest_ms = 0.0

    def __call__(self, execute, sql, params, many, context):
        self.queries += 1
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            milliseconds = (time.perf_counter() - started) * 1000
            self.total_ms += milliseconds
            self.slowest_ms = max(self.slowest_ms, milliseconds)
