"""How fast measurements are imported: a CSV file and a Kolada reply of ``rows`` values each, run
through the real services against the configured database, as ``manage.py seed_scale`` filled it.

Each import runs twice, on other values each time: once timed, for its rows per second, and once
with ``tracemalloc`` on, for its peak memory (Python's allocations while it runs). Tracing makes
Python several times slower, so it is kept out of the timed run.

- The CSV file (a temporary file) holds mostly new values, in years after an indicator's last, and
  one row in ten changes a value already there. It is planned and imported as the import page and
  ``manage.py import_measurements`` do.
- Kolada's reply is served by a local HTTP server in a thread, in pages of about 5,000 values that
  name the next page, as Kolada does: the values of the key figures that the indicators from
  Kolada name, for the last years up to 2100. ``kolada_import`` asks it as it asks Kolada.

What they write stays. The values differ on every run, so a later run changes values where an
earlier one added them.
"""

from __future__ import annotations

import csv
import json
import math
import random
import tempfile
import threading
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.db.models import Max
from django.test import override_settings

from goals.indicators.file_import import FIRST_YEAR, LAST_YEAR, measurements_import, measurements_plan_file
from goals.indicators.kolada import kolada_import
from goals.models import Indicator, IndicatorSource, Measurement, MeasurementImport

GENDERS = ("T", "K", "M")
# Kolada's rows (a key figure's year, with a value for each gender) a page of the reply holds.
ROWS_PER_PAGE = 5000 // len(GENDERS)

# An import of ``rows`` values made ready (its file written, its server started): the call that runs it.
Prepared = Callable[[int], AbstractContextManager[Callable[[], object]]]


def measure_imports(rows: int) -> list[dict]:
    """Import ``rows`` values from a CSV file, then ``rows`` values from Kolada, and say how it went:
    ``{"name", "rows", "seconds", "rows_per_second", "peak_memory_mb"}`` for each."""
    return [_measured("CSV import", rows, _csv_import), _measured("Kolada import", rows, _kolada_import)]


def _measured(name: str, rows: int, prepared: Prepared) -> dict:
    with prepared(rows) as run:
        started = time.perf_counter()
        run()
        seconds = time.perf_counter() - started
    with prepared(rows) as run:
        tracemalloc.start()
        try:
            run()
            _now, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    return {
        "name": name,
        "rows": rows,
        "seconds": round(seconds, 3),
        "rows_per_second": round(rows / seconds, 1),
        "peak_memory_mb": round(peak / 2**20, 1),
    }


def _run_number() -> int:
    """Another number for every import, so that each writes other values."""
    return MeasurementImport.objects.count()


# The CSV file -----------------------------------------------------------------------------------


@contextmanager
def _csv_import(rows: int) -> Iterator[Callable[[], object]]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.csv"
        _write_csv(path, rows, _run_number())

        def run() -> None:
            with path.open("rb") as file:
                plan = measurements_plan_file(file=file, by=None)
                if not plan.is_valid:
                    raise RuntimeError("\n".join(plan.messages()[:5]))
                measurements_import(plan=plan, by=None, file_name=path.name)

        yield run


def _write_csv(path: Path, rows: int, run: int) -> None:
    """``rows`` whole-year values: nine in ten new, after each indicator's last year, one in ten a
    change of a value already there (more when the years up to 2100 are taken)."""
    news = _new_values(rows - rows // 10)
    changes = _changes(rows - len(news))
    if len(news) + len(changes) < rows:
        raise RuntimeError(f"The database has too few indicators and values for {rows} rows.")
    rng = random.Random(run)
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file, delimiter=";")
        writer.writerow(["indicator", "year", "reporting period", "gender", "value"])
        changes_left = iter(changes)
        for number, (code, year, gender) in enumerate(news, start=1):
            writer.writerow([code, year, "", gender, f"{rng.randint(0, 100_000) / 10}"])
            if number % 9 == 0 and (change := next(changes_left, None)):
                writer.writerow(change)
        writer.writerows(changes_left)


def _new_values(count: int) -> list[tuple[str, int, str]]:
    """Places for ``count`` new values: (code, year, gender) after each indicator's last year,
    the years in order, so that a batch of rows names few years."""
    last = dict(
        Measurement.objects.order_by()
        .values("indicator")
        .annotate(last=Max("year"))
        .values_list("indicator", "last")
    )
    indicators = list(Indicator.objects.order_by("pk").values_list("pk", "code"))
    first = min((last.get(pk, FIRST_YEAR - 1) for pk, _code in indicators), default=LAST_YEAR) + 1
    news = []
    for year in range(first, LAST_YEAR + 1):
        for pk, code in indicators:
            if year > last.get(pk, FIRST_YEAR - 1):
                news += [(code, year, gender) for gender in GENDERS]
                if len(news) >= count:
                    return news[:count]
    return news


def _changes(count: int) -> list[list]:
    """Rows that change ``count`` whole-year values already there."""
    stored = (
        Measurement.objects.filter(reporting_period__isnull=True)
        .order_by("indicator_id", "year", "gender")
        .values_list("indicator__code", "year", "gender", "value")[:count]
    )
    return [[code, year, "", gender, f"{value + Decimal(1):f}"] for code, year, gender, value in stored]


# Kolada -----------------------------------------------------------------------------------------


@contextmanager
def _kolada_import(rows: int) -> Iterator[Callable[[], object]]:
    kpis = sorted(
        set(
            Indicator.objects.filter(source=IndicatorSource.KOLADA)
            .exclude(kolada_kpi="")
            .values_list("kolada_kpi", flat=True)
        )
    )
    if not kpis:
        raise RuntimeError("No indicator from Kolada names a key figure: seed the database with seed_scale.")
    years = _kolada_years(rows, kpis)
    with _KoladaServer(rows, kpis, years, _run_number()) as url, override_settings(KOLADA_API_URL=url):
        yield lambda: kolada_import(
            kpis=kpis, municipality=settings.KOLADA_MUNICIPALITY, years=years, by=None
        )


def _kolada_years(rows: int, kpis: list[str]) -> list[int]:
    count = math.ceil(rows / (len(kpis) * len(GENDERS)))
    if count > LAST_YEAR - FIRST_YEAR + 1:
        raise RuntimeError(f"{len(kpis)} key figures from Kolada cannot have {rows} values in 2000–2100.")
    return list(range(LAST_YEAR - count + 1, LAST_YEAR + 1))


class _KoladaServer:
    """A local HTTP server answering as Kolada, with ``rows`` values of the key figures in the years,
    each page made when it is asked for; its address (for ``KOLADA_API_URL``) while it runs."""

    def __init__(self, rows: int, kpis: list[str], years: list[int], run: int):
        self.rows, self.kpis, self.years, self.run = rows, kpis, years, run

    def __enter__(self) -> str:
        reply = self.page

        class Kolada(BaseHTTPRequestHandler):
            def do_GET(self):
                url = urlsplit(self.path)
                page = int(parse_qs(url.query).get("page", ["1"])[0])
                body = json.dumps(reply(page, f"{base}{url.path.removeprefix('/v3')}")).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Kolada)
        base = f"http://127.0.0.1:{self.server.server_port}/v3"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return base

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()

    def page(self, number: int, url: str) -> dict:
        """Page ``number`` of the reply, in Kolada's form (tests/goals/indicators/kolada/ holds real ones)."""
        entries = math.ceil(self.rows / len(GENDERS))
        first = (number - 1) * ROWS_PER_PAGE
        values = []
        for entry in range(first, min(first + ROWS_PER_PAGE, entries)):
            genders = GENDERS[: self.rows - entry * len(GENDERS)]
            values.append(
                {
                    "kpi": self.kpis[entry % len(self.kpis)],
                    "municipality": settings.KOLADA_MUNICIPALITY,
                    "period": self.years[entry // len(self.kpis)],
                    "values": [
                        {"gender": gender, "status": "", "value": self._value(entry, index), "count": 1}
                        for index, gender in enumerate(genders)
                    ],
                }
            )
        more = first + ROWS_PER_PAGE < entries
        return {
            "values": values,
            "count": entries,
            "next_page": f"{url}?page={number + 1}&per_page={ROWS_PER_PAGE}" if more else None,
        }

    def _value(self, entry: int, gender: int) -> float:
        return ((entry * 7919 + gender * 104_729 + self.run * 31) % 100_000) / 10
