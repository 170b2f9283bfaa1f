"""The chain's health from the shared cache of whole-group pages (``orgunits.page_cache``): the page,
the API and the export read the same findings, which a whole group's year takes a query per kind over
thousands of goals to find, and which change only when the group's data does (or the day does)."""

from __future__ import annotations

import datetime
from functools import partial

from django.utils import timezone

from goals.chain.models import Period
from goals.health.findings import ChainHealth, chain_health
from orgunits import page_cache
from orgunits.models import OrgUnit


def cached_chain_health(
    *, period: Period, user, unit: OrgUnit | None = None, today: datetime.date | None = None
) -> ChainHealth:
    """``chain_health`` for the same arguments, kept per period, part of the group, day, language and
    visibility class (the kinds and goals an anonymous visitor sees differ from a signed-in user's,
    and nothing else of the user enters the findings)."""
    today = today or timezone.localdate()
    parts = ("chain-health", period.pk, unit.pk if unit else None, today.isoformat())
    return page_cache.cached(
        parts, partial(chain_health, period=period, user=user, unit=unit, today=today), user=user
    )
