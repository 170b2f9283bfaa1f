"""The chain's health: where a year's steering chain is broken, for the group or a part of it."""

from functools import partial

from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from goals.chain.chosen_period import selected_period
from goals.chain.models import Period
from goals.health.export import health_workbook_response
from goals.health.findings import chain_health
from goals.views.follow_up import _chosen, _slug_of
from orgunits import page_cache
from orgunits.models import OrgUnit

# How many findings of one kind the page lists; the counts are always complete, and the Excel export
# (or a part of the group) has the rest.
SHOWN_PER_KIND = 100


def chain_health_page(request: HttpRequest) -> HttpResponse:
    """The findings of the year (``?period=<year>``, else the year the visitor looks at) in the group
    or a unit's part of it (``?unit=<slug>``), counted per kind and per organisation, then listed per
    kind, each linking to where it is mended. Anonymous visitors see the findings about decided goals."""
    periods = list(Period.objects.all())
    period = _period(request, periods)
    units = list(OrgUnit.objects.filter(Q(is_active=True, depth__lte=3) | _slug_of(request, "unit")))
    unit = _chosen(request, "unit", units, "slug")
    context = {
        "period": period,
        "periods": periods,
        "unit": unit,
        "units": [each for each in units if each.is_active and each.depth <= 3],
    }
    if period is not None:
        # The findings' part of the page from the shared cache of whole-group pages: the same for
        # every visitor of a class (anonymous or signed in), and costly to find and to render.
        count, findings = page_cache.cached(
            ("chain-health-page", period.pk, unit.pk if unit else None, timezone.localdate().isoformat()),
            partial(_findings, period, unit, request.user),
            user=request.user,
        )
        context |= {
            "count": count,
            "findings": mark_safe(findings),  # rendered by a template, which escaped what it shows
            "export_url": _export_url(period, unit),
        }
    return render(request, "goals/health.html", context)


def _findings(period: Period, unit: OrgUnit | None, user) -> tuple[int, str]:
    """How many findings there are, and the page's part that shows them: counted per kind and per
    organisation, then listed per kind, each linking to where it is mended."""
    health = chain_health(period=period, user=user, unit=unit)
    per_kind = health.count_per_kind
    # The organisations' table has a column for each kind found, not for all of them.
    columns = [index for index, kind in enumerate(health.kinds) if per_kind[kind.code]]
    context = {
        "health": health,
        "export_url": _export_url(period, unit),
        "sections": [
            (kind, findings[:SHOWN_PER_KIND], max(len(findings) - SHOWN_PER_KIND, 0))
            for kind, findings in health.by_kind
            if findings
        ],
        "clear_kinds": [kind for kind in health.kinds if not per_kind[kind.code]],
        "found_kinds": [health.kinds[index] for index in columns],
        "organisation_rows": [
            (row.organisation, [row.counts[index] for index in columns], row.total)
            for row in health.by_organisation
        ],
    }
    return health.count, render_to_string("goals/_health_findings.html", context)


def _period(request: HttpRequest, periods: list[Period]) -> Period | None:
    """The year asked for by ``?period=<year>`` (a 404 for a year the portal does not hold), else the
    year the visitor looks at elsewhere."""
    year = request.GET.get("period")
    if not year:
        return selected_period(request)
    for period in periods:
        if str(period.year) == year:
            return period
    raise Http404(gettext("The portal holds no goals for the year %(year)s.") % {"year": year[:10]})


def _export_url(period: Period, unit: OrgUnit | None) -> str:
    """The address of the workbook of what the page shows: the same year and part of the group."""
    query = {"period": period.year} | ({"unit": unit.slug} if unit else {})
    return f"{reverse('goals:health-export')}?{urlencode(query)}"


def chain_health_export(request: HttpRequest) -> HttpResponse:
    """The page's findings as an Excel workbook, for the same year, part of the group and visitor:
    every finding, however many the page lists, with the counts per organisation and kind."""
    period = _period(request, list(Period.objects.all()))
    if period is None:
        raise Http404(gettext("The portal holds no year of goals yet."))
    unit = _chosen(request, "unit", list(OrgUnit.objects.filter(_slug_of(request, "unit"))), "slug")
    # Not from the cache: an export is asked for now and then, and reads every finding anyway.
    health = chain_health(period=period, user=request.user, unit=unit)
    return health_workbook_response(health, link=request.build_absolute_uri)
