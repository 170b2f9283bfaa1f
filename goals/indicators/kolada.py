"""Values of key figures from Kolada (https://www.kolada.se), the Swedish municipalities' open
database, as measurements of the indicators that name them.

Asking Kolada (``kolada_pages``) and mapping a reply onto measurements are separate steps, so a
reply saved to a file (``kolada_import_reply``) is imported by the same rules as a fresh one
(``kolada_import``). The values are stored through ``goals.indicators.upsert``, as a file's are,
page by page: an import of 100 000 values holds one page at a time.
"""

from __future__ import annotations

import logging
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urljoin, urlsplit

import requests
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.text import Truncator
from django.utils.translation import gettext, ngettext

from goals.indicators.models import Gender, Indicator, IndicatorSource, MeasurementImport
from goals.indicators.upsert import (
    LARGEST_VALUE,
    Action,
    MeasurementValue,
    and_more,
    measurement_rounded,
    measurements_upsert,
)

logger = logging.getLogger(__name__)

KPI_ID = re.compile(r"^[NU]\d{5}$")
MUNICIPALITY_CODE = re.compile(r"^\d{4}$")

# Seconds to wait for the connection, and then for each part of the reply.
TIMEOUT = (10, 30)
# Kolada pages at 5,000 values; a reply that pages on beyond this is taken for a loop.
MAX_PAGES = 100
# The skipped values an import's notes name one by one; the rest are counted.
MAX_NOTES = 1000


class KoladaError(Exception):
    """Kolada could not be asked, or its reply could not be read; the message says why, for the
    person who asked. Raised before anything is written."""


@dataclass(frozen=True)
class KoladaValue:
    """One value of Kolada's reply: a key figure in a municipality, a year and a gender."""

    kpi: str
    municipality: str
    year: int
    gender: str
    value: Decimal | None
    status: str

    def __str__(self) -> str:
        return f"{self.kpi} {self.year} {self.gender}"


def kolada_url(*, kpis: Iterable[str], municipality: str, years: Iterable[int]) -> str:
    """The address of Kolada's values of the key figures, in the municipality, in the years."""
    kpis, years = list(kpis), [int(year) for year in years]
    if not kpis or not years:
        raise ValueError("Ask Kolada for at least one key figure and one year.")
    if not all(KPI_ID.match(kpi) for kpi in kpis) or not MUNICIPALITY_CODE.match(municipality):
        raise ValueError(f"Not a Kolada question: {kpis}, {municipality!r}")
    base = settings.KOLADA_API_URL.rstrip("/")
    return (
        f"{base}/data/kpi/{','.join(kpis)}/municipality/{municipality}"
        f"/year/{','.join(str(year) for year in years)}"
    )


def kolada_pages(
    *, kpis: Iterable[str], municipality: str, years: Iterable[int]
) -> Iterator[list[KoladaValue]]:
    """The values Kolada has for the key figures in the municipality and the years, a page of its
    reply at a time (each page names the next, until one names none), asked for as they are read.

    Raises ``KoladaError``, when it reaches the page, if Kolada does not answer, answers with an
    HTTP error, or with something other than its usual JSON.
    """
    url: str | None = kolada_url(kpis=kpis, municipality=municipality, years=years)
    read: set[str] = set()
    with requests.Session() as session:
        while url:
            if url in read or len(read) >= MAX_PAGES:
                raise KoladaError(_unreadable(f"its pages do not end (page {len(read) + 1}: {url})"))
            read.add(url)
            page = _get(session, url)
            yield _values_of(page)
            next_page = _next_page_of(page)
            url = urljoin(url, next_page) if next_page else None


def kolada_import(*, kpis: Iterable[str], municipality: str, years: Iterable[int], by) -> MeasurementImport:
    """Fetch the key figures' values for the municipality and years from Kolada and store each as
    the value of the whole year of every indicator from Kolada that names the key figure.

    What ``kolada_import_reply`` says of a reply holds here too, for all the pages of the reply.
    The pages are read and stored one after the other in one transaction, so when one cannot be
    read (``KoladaError``) nothing is written.
    """
    kpis, years = list(kpis), sorted(int(year) for year in years)
    return _import(
        kolada_pages(kpis=kpis, municipality=municipality, years=years),
        municipality=municipality,
        kpis=kpis,
        years=years,
        by=by,
        description=_describe(kpis, municipality, years),
        notes=[],
    )


def kolada_import_reply(
    *,
    reply: dict,
    municipality: str,
    by,
    kpis: Iterable[str] | None = None,
    years: Iterable[int] | None = None,
    name: str = "",
) -> MeasurementImport:
    """Store the values of one reply of Kolada's (read from a saved file, ``name``) as the values
    of the whole year of every indicator from Kolada that names their key figure, in one
    transaction, recorded as one ``MeasurementImport`` with what it created, updated, left
    unchanged and skipped.

    - A value that differs from the stored one replaces it; an equal one is left alone, so
      importing the same reply again changes nothing (and is recorded with all values unchanged).
    - Skipped, each with a note: a value Kolada does not have (null, with Kolada's status), a key
      figure no indicator from Kolada uses, another municipality's value, and, when ``kpis`` or
      ``years`` are given, a value of another key figure or year.
    - A reply is one page: when it names a next page, a note says the further pages were not read.
    - The notes name the first 1,000 values skipped for a reason of their own and count the rest.

    Values are stored as ``goals.indicators.upsert`` says (as a file's are), with their history,
    in batches. Raises ``KoladaError``, writing nothing, when the reply is not in Kolada's form.
    """
    values = _values_of(reply)
    notes = []
    if next_page := _next_page_of(reply):
        notes.append(
            gettext("The reply has further pages, which were not read: %(url)s") % {"url": next_page}
        )
    kpis = list(kpis) if kpis else None
    years = sorted(int(year) for year in years) if years else None
    description = _describe(
        kpis or sorted({value.kpi for value in values}),
        municipality,
        years or sorted({value.year for value in values}),
    )
    return _import(
        [values],
        municipality=municipality,
        kpis=kpis,
        years=years,
        by=by,
        description=f"{description} · {name}" if name else description,
        notes=notes,
        reply_kpis={value.kpi for value in values},
    )


def summary_of(batch: MeasurementImport) -> str:
    """An import's counts in one sentence, for the admin's message and the command's output."""
    return gettext("%(created)d new, %(updated)d changed, %(unchanged)d unchanged, %(skipped)d skipped.") % {
        "created": batch.created,
        "updated": batch.updated,
        "unchanged": batch.unchanged,
        "skipped": batch.skipped,
    }


def _get(session: requests.Session, url: str) -> dict:
    try:
        response = session.get(url, timeout=TIMEOUT, headers={"Accept": "application/json"})
    except requests.Timeout as error:
        logger.warning("Kolada did not answer in time: %s", error)
        raise KoladaError(
            gettext("Kolada did not answer within %(seconds)d seconds.") % {"seconds": sum(TIMEOUT)}
        ) from error
    except requests.ConnectionError as error:
        logger.warning("Kolada could not be reached: %s", error)
        raise KoladaError(
            gettext("Kolada did not answer: no connection to %(host)s.") % {"host": urlsplit(url).netloc}
        ) from error
    except requests.RequestException as error:
        logger.warning("Kolada could not be asked: %s", error)
        raise KoladaError(gettext("Kolada could not be asked: %(error)s") % {"error": error}) from error
    if response.status_code >= 400:
        logger.warning("Kolada answered %s for %s", response.status_code, url)
        raise KoladaError(
            gettext("Kolada answered with an error (HTTP %(status)s).")
            % {"status": f"{response.status_code} {response.reason or ''}".strip()}
        )
    try:
        # Decimals straight from the text, so 12.3 is stored as 12.3 and not as a binary float.
        return response.json(parse_float=Decimal)
    except ValueError as error:
        logger.warning("Kolada's reply for %s is not JSON: %s", url, error)
        raise KoladaError(gettext("Kolada's reply could not be read: it is not JSON.")) from error


def _unreadable(problem: str) -> str:
    return gettext("Kolada's reply could not be read: %(problem)s.") % {"problem": problem}


def _next_page_of(reply) -> str | None:
    next_page = reply.get("next_page") if isinstance(reply, dict) else None
    if next_page is not None and not isinstance(next_page, str):
        raise KoladaError(_unreadable("next_page is not an address"))
    return next_page or None


def _values_of(reply) -> list[KoladaValue]:
    """The reply's values, checked for Kolada's form before anything is written."""
    if not isinstance(reply, dict) or not isinstance(reply.get("values"), list):
        raise KoladaError(_unreadable("it has no list of values"))
    values = []
    for number, row in enumerate(reply["values"], start=1):
        try:
            kpi, municipality, year, items = row["kpi"], row["municipality"], row["period"], row["values"]
            if not (isinstance(kpi, str) and isinstance(municipality, str) and isinstance(items, list)):
                raise TypeError
            if isinstance(year, bool) or not isinstance(year, int | str):
                raise TypeError
            year = int(year)
            for item in items:
                value = item["value"]
                if isinstance(value, bool) or not isinstance(value, int | float | Decimal | None):
                    raise TypeError
                values.append(
                    KoladaValue(
                        kpi=kpi,
                        municipality=municipality,
                        year=year,
                        gender=str(item.get("gender") or Gender.TOTAL),
                        value=None if value is None else Decimal(str(value)),
                        status=str(item.get("status") or ""),
                    )
                )
        except (KeyError, TypeError, ValueError) as error:
            raise KoladaError(_unreadable(f"row {number} is not a key figure's values")) from error
    return values


def _describe(kpis: Iterable[str], municipality: str, years: Iterable[int]) -> str:
    text = f"{', '.join(kpis)} · {municipality} · {', '.join(str(year) for year in years)}"
    return Truncator(text).chars(MeasurementImport._meta.get_field("description").max_length)


def _import(pages: Iterable[list[KoladaValue]], **how) -> MeasurementImport:
    try:
        return _store(pages, **how)
    except IntegrityError as error:  # another import stored one of these values in the meantime
        raise KoladaError(
            gettext(
                "Some of these values were entered by someone else meanwhile. Nothing was imported; try again."
            )
        ) from error


@transaction.atomic
def _store(
    pages: Iterable[list[KoladaValue]],
    *,
    municipality: str,
    kpis: list[str] | None,
    years: list[int] | None,
    by,
    description: str,
    notes: list[str],
    reply_kpis: Iterable[str] = (),
) -> MeasurementImport:
    """Store the values of ``pages`` as they are read: a page's values that are kept, as values of
    each indicator naming their key figure, through ``measurements_upsert``."""
    batch = MeasurementImport.objects.create(
        kind=MeasurementImport.Kind.KOLADA, description=description, imported_by=by
    )
    indicators = defaultdict(list)
    for indicator in Indicator.objects.filter(
        source=IndicatorSource.KOLADA, kolada_kpi__in=set(kpis or ()) | set(reply_kpis)
    ):
        indicators[indicator.kolada_kpi].append(indicator)
    counts = Counter()
    unused = Counter({kpi: 0 for kpi in kpis or () if kpi not in indicators})
    # The values skipped for a reason of their own: how many, and the first MAX_NOTES named.
    skipped, named = 0, []
    for page in pages:
        kept = []
        for value in page:
            problem = _problem_with(value, municipality=municipality, kpis=kpis, years=years)
            if problem is None and value.kpi not in indicators:
                unused[value.kpi] += 1
            elif problem is not None:
                skipped += 1
                if len(named) < MAX_NOTES:
                    named.append(f"{value}: {problem}")
            else:
                kept.append(value)
        counts.update(
            measurements_upsert(
                values=(
                    MeasurementValue(
                        indicator=indicator,
                        year=value.year,
                        gender=value.gender,
                        value=measurement_rounded(value.value),
                    )
                    for value in kept
                    for indicator in indicators[value.kpi]
                ),
                record=batch,
                by=by,
            )
        )
    notes.extend(named)
    if skipped > len(named):
        notes.append(and_more(skipped - len(named)))
    for kpi, count in sorted(unused.items()):
        notes.append(
            ngettext(
                "%(kpi)s: no indicator from Kolada uses this key figure; %(count)d value skipped.",
                "%(kpi)s: no indicator from Kolada uses this key figure; %(count)d values skipped.",
                count,
            )
            % {"kpi": kpi, "count": count}
        )
    batch.created, batch.updated = counts[Action.NEW], counts[Action.CHANGED]
    batch.unchanged, batch.skipped = counts[Action.UNCHANGED], skipped + sum(unused.values())
    batch.notes = "\n".join(notes)
    batch.save(update_fields=["created", "updated", "unchanged", "skipped", "notes"])
    return batch


def _problem_with(value: KoladaValue, *, municipality: str, kpis, years) -> str | None:
    """Why the value is not stored, or None when it is."""
    if (kpis is not None and value.kpi not in kpis) or (years is not None and value.year not in years):
        return gettext("not asked for")
    if value.municipality != municipality:
        return gettext("a value of municipality %(municipality)s, not of %(asked)s") % {
            "municipality": value.municipality,
            "asked": municipality,
        }
    if value.gender not in Gender.values:
        return gettext("a gender Kolada does not use")
    if value.value is None:
        if value.status:
            return gettext("no value (status %(status)s)") % {"status": value.status}
        return gettext("no value")
    if not value.value.is_finite() or abs(value.value) >= LARGEST_VALUE:
        return gettext("the value %(value)s cannot be stored") % {"value": value.value}
    return None
