"""``bench.imports``: the imports' speed measured on a small ``seed_scale`` database, twice in a row."""

import pytest

from bench.imports import measure_imports
from demo.scale import seed_scale
from goals.models import Measurement, MeasurementImport

pytestmark = pytest.mark.django_db

SMALL = {"units": 40, "goals": 300, "indicators": 20, "measurements": 700, "processes": 6, "year": 2026}


def test_it_measures_both_imports_twice_in_a_row_and_their_values_are_stored():
    seed_scale(**SMALL)
    before = Measurement.objects.count()

    for _run in range(2):
        results = measure_imports(60)

        assert [(result["name"], result["rows"]) for result in results] == [
            ("CSV import", 60),
            ("Kolada import", 60),
        ]
        for result in results:
            assert set(result) == {"name", "rows", "seconds", "rows_per_second", "peak_memory_mb"}
            assert result["rows_per_second"] > 0 and result["seconds"] > 0 and result["peak_memory_mb"] > 0

    # Each import ran twice a run (timed, then for its memory), each time with other values.
    files = list(MeasurementImport.objects.filter(kind=MeasurementImport.Kind.FILE).order_by("pk"))
    koladas = list(MeasurementImport.objects.filter(kind=MeasurementImport.Kind.KOLADA).order_by("pk"))
    # The file: nine in ten values new, one in ten changed (the same seeded ones each time, so the
    # changed values belong to the last import).
    assert [(record.created, record.updated, record.unchanged) for record in files] == [(54, 6, 0)] * 4
    assert [record.measurements.count() for record in files] == [54, 54, 54, 60]
    # Kolada: the first import adds a value for each indicator of each key figure, the later change them.
    added = koladas[0].created
    assert added >= 60
    assert [(record.created, record.updated, record.unchanged, record.skipped) for record in koladas] == [
        (added, 0, 0, 0),
        (0, added, 0, 0),
        (0, added, 0, 0),
        (0, added, 0, 0),
    ]
    assert [record.measurements.count() for record in koladas] == [0, 0, 0, added]
    assert Measurement.objects.count() == before + 4 * 54 + added
