"""The search page: everything the visitor may read that matches their words, grouped by kind."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from goals.chain.levels import Level
from goals.chain.workflow import Status
from goals.models import Period
from search.queries import Kind, search

# Hits a page; the groups by kind continue across pages.
HITS_PER_PAGE = 25


def _choice(request: HttpRequest, name: str, allowed) -> str:
    """The filter's value if it is one of ``allowed``; anything else is ignored, never an error."""
    value = request.GET.get(name, "")
    return value if value in allowed else ""


def search_page(request: HttpRequest) -> HttpResponse:
    """``?q=`` with the filters ``year``, ``kind``, ``level`` and ``status``; see ``search.queries``."""
    text = request.GET.get("q", "")[:200]
    periods = list(Period.objects.order_by("-year"))
    year = _choice(request, "year", {str(period.year) for period in periods})
    kind = _choice(request, "kind", {code for code, _label in Kind.CHOICES})
    level = _choice(request, "level", Level.values)
    status = _choice(request, "status", Status.values)
    found = search(
        text=text,
        user=request.user,
        kinds=[kind] if kind else [],
        year=int(year) if year else None,
        level=level,
        status=status,
    )
    hits = [hit for group in found.values() for hit in group]
    page_obj = Paginator(hits, HITS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "q": text,
        "searched": bool(text.strip()),
        "page_obj": page_obj,
        "hit_count": len(hits),
        "counts": [(code, label, len(found.get(code, []))) for code, label in Kind.CHOICES if code in found],
        "kinds": Kind.CHOICES,
        "levels": Level.choices,
        "statuses": Status.choices,
        "periods": periods,
        "chosen": {"year": year, "kind": kind, "level": level, "status": status},
    }
    return render(request, "search/search.html", context)
