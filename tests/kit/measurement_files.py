"""Files of measurements for the import's tests (``csv_file``, ``xlsx_file``), and a preview kept as an
upload would keep it, for the import's rows of the web's matrix (``measurement_import_staged``, ...)."""

import io
from importlib import import_module

import openpyxl
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from goals.indicators.file_import import MeasurementRow
from goals.models import Indicator, Measurement
from goals.views.measurement_import import preview_keep


def csv_file(text: str, name: str = "matt.csv", *, bom: bool = False) -> SimpleUploadedFile:
    data = text.encode("utf-8")
    return SimpleUploadedFile(name, (b"\xef\xbb\xbf" if bom else b"") + data, content_type="text/csv")


def xlsx_file(rows: list[list], name: str = "matt.xlsx") -> SimpleUploadedFile:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    data = io.BytesIO()
    workbook.save(data)
    return SimpleUploadedFile(
        name,
        data.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def measurement_import_staged(world) -> str:
    """The import page's URL, with a preview of one new value kept in the session of whoever the
    test client signed in (an anonymous visitor has no session), as a real upload keeps it. The
    value is of an indicator measuring the administration's operational goal."""
    return _staged(world, world.chain.operational)


def measurement_import_staged_at_school(world) -> str:
    """As ``measurement_import_staged``, for an indicator measuring the school's activity."""
    return _staged(world, world.chain.activity)


def _staged(world, goal) -> str:
    Indicator.objects.create(code="MATRIS-01", name="Matrisens indikator").goals.set([goal])
    session = Session.objects.first()
    if session is not None:
        # The configured engine's store, so that a cached session is written through its cache.
        store = import_module(settings.SESSION_ENGINE).SessionStore(session_key=session.session_key)
        rows = [MeasurementRow(line=2, indicator="MATRIS-01", year="2025", value="1")]
        world.measurement_import_token = preview_keep(session=store, rows=rows, file_name="matris.csv")
        store.save()
    return reverse("goals:import-measurements")


def measurement_import_confirmed(world) -> dict:
    return {"token": getattr(world, "measurement_import_token", "none")}


def measurements_imported(world) -> bool:
    return Measurement.objects.filter(indicator__code="MATRIS-01").exists()
