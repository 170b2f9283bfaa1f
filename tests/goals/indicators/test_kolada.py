"""Kolada's values become the yearly measurements of the indicators that name their key figures.

The replies under ``kolada/`` are in Kolada's form; a local HTTP server replays them, so the real
HTTP code (paging, timeouts, errors) runs.
"""

import json
import socket
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.core.management import CommandError, call_command
from django.db import IntegrityError
from django.urls import reverse
from django.utils import translation

from goals.indicators import kolada as kolada_module
from goals.indicators import upsert as measurement_upsert
from goals.indicators.kolada import KoladaError, kolada_import, kolada_import_reply
from goals.models import Indicator, IndicatorSource, Measurement, MeasurementImport

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

REPLIES = Path(__file__).resolve().parent / "kolada"
KOLADA = "https://api.kolada.se/v3"
PATH = "/v3/data/kpi/N00914,N00945/municipality/0780/year/2022,2023"

# Every value of n00914_n00945_0780_2022_2023.json, as (indicator, year, gender, value).
ALL_VALUES = [
    ("UF-BEH-01", 2022, "K", Decimal("87.9")),
    ("UF-BEH-01", 2022, "M", Decimal("84.6")),
    ("UF-BEH-01", 2022, "T", Decimal("86.2")),
    ("UF-BEH-01", 2023, "K", Decimal("86.4")),
    ("UF-BEH-01", 2023, "M", Decimal("83.9")),
    ("UF-BEH-01", 2023, "T", Decimal("85.1")),
    ("UF-KOST-01", 2022, "T", Decimal("112450")),
    ("UF-KOST-01", 2023, "T", Decimal("118903")),
]


def reply(name: str, server=None) -> str:
    """A recorded reply, its links pointing at the test server instead of Kolada."""
    text = (REPLIES / name).read_text(encoding="utf-8")
    return text.replace(KOLADA, server.url_for("/v3")) if server else text


@pytest.fixture
def kolada(httpserver, settings):
    settings.KOLADA_API_URL = httpserver.url_for("/v3")
    return httpserver


def serve(server, name: str, path: str = PATH, query_string: str = "") -> None:
    server.expect_request(path, query_string=query_string).respond_with_data(
        reply(name, server), content_type="application/json"
    )


@pytest.fixture
def proportion(chain):
    indicator = Indicator.objects.create(
        code="UF-BEH-01",
        name="Elever i åk 9 som är behöriga till ett yrkesprogram",
        unit_of_measure="%",
        decimals=1,
        source=IndicatorSource.KOLADA,
        kolada_kpi="N00914",
    )
    indicator.goals.add(chain.body)
    return indicator


@pytest.fixture
def cost():
    return Indicator.objects.create(
        code="UF-KOST-01",
        name="Nettokostnad grundskola per elev",
        unit_of_measure="kr",
        source=IndicatorSource.KOLADA,
        kolada_kpi="N00945",
    )


@pytest.fixture
def user():
    return get_user_model().objects.create_user("eva.berg", password="x")


def measurements() -> list[tuple]:
    return [
        (m.indicator.code, m.year, m.gender, m.value)
        for m in Measurement.objects.select_related("indicator").order_by("indicator__code", "year", "gender")
    ]


def run_import(by=None) -> MeasurementImport:
    return kolada_import(kpis=["N00914", "N00945"], municipality="0780", years=[2022, 2023], by=by)


def counts(batch: MeasurementImport) -> tuple[int, int, int, int]:
    return batch.created, batch.updated, batch.unchanged, batch.skipped


def test_the_values_land_as_yearly_measurements_of_the_indicators(kolada, proportion, cost, user):
    serve(kolada, "n00914_n00945_0780_2022_2023.json")
    batch = run_import(by=user)

    assert measurements() == ALL_VALUES
    assert {(m.reporting_period, m.source, m.entered_by, m.batch) for m in Measurement.objects.all()} == {
        (None, IndicatorSource.KOLADA, user, batch)
    }
    assert list(MeasurementImport.objects.all()) == [batch]
    assert (batch.kind, batch.description, batch.imported_by, batch.notes) == (
        MeasurementImport.Kind.KOLADA,
        "N00914, N00945 · 0780 · 2022, 2023",
        user,
        "",
    )
    assert counts(batch) == (8, 0, 0, 0)


def test_an_indicator_measuring_the_same_key_figure_gets_the_values_too(kolada, proportion, cost):
    Indicator.objects.create(
        code="KS-BEH-01", name="Behörighet till gymnasiet", source=IndicatorSource.KOLADA, kolada_kpi="N00914"
    )
    serve(kolada, "n00914_n00945_0780_2022_2023.json")
    batch = run_import()

    assert counts(batch) == (14, 0, 0, 0)
    assert [row[1:] for row in measurements() if row[0] == "KS-BEH-01"] == [
        row[1:] for row in ALL_VALUES if row[0] == "UF-BEH-01"
    ]


def test_every_page_of_the_reply_is_read(kolada, proportion, cost):
    serve(kolada, "paged_page_1.json")
    serve(kolada, "paged_page_2.json", query_string="page=2&per_page=2")
    batch = run_import()

    assert measurements() == ALL_VALUES
    assert counts(batch) == (8, 0, 0, 0)
    assert [request.query_string for request, _response in kolada.log] == [b"", b"page=2&per_page=2"]


def test_a_value_kolada_lacks_is_skipped_with_its_status(kolada, proportion):
    serve(kolada, "missing_value.json", path="/v3/data/kpi/N00914/municipality/0780/year/2022,2023")
    batch = kolada_import(kpis=["N00914"], municipality="0780", years=[2022, 2023], by=None)

    assert measurements() == [row for row in ALL_VALUES[:6] if row[:3] != ("UF-BEH-01", 2023, "K")]
    assert counts(batch) == (5, 0, 0, 1)
    assert batch.notes == "N00914 2023 K: no value (status Missing)"


def test_a_key_figure_no_indicator_uses_is_skipped_with_a_note(kolada, proportion):
    serve(kolada, "n00914_n00945_0780_2022_2023.json")
    batch = run_import()

    assert measurements() == ALL_VALUES[:6]
    assert counts(batch) == (6, 0, 0, 2)
    assert batch.notes == "N00945: no indicator from Kolada uses this key figure; 2 values skipped."


def test_an_indicator_entered_by_hand_takes_no_values_from_kolada(kolada, proportion, cost):
    cost.source = IndicatorSource.MANUAL
    cost.save()
    serve(kolada, "n00914_n00945_0780_2022_2023.json")
    batch = run_import()

    assert measurements() == ALL_VALUES[:6]
    assert batch.notes == "N00945: no indicator from Kolada uses this key figure; 2 values skipped."


def test_importing_the_same_reply_again_changes_nothing(kolada, proportion, cost):
    serve(kolada, "n00914_n00945_0780_2022_2023.json")
    first = run_import()
    stored = list(Measurement.objects.values_list("pk", "value", "batch", "entered_at"))
    history = Measurement.history.count()

    again = run_import()

    assert list(Measurement.objects.values_list("pk", "value", "batch", "entered_at")) == stored
    assert {batch for *_rest, batch, _at in stored} == {first.pk}
    assert Measurement.history.count() == history
    assert list(MeasurementImport.objects.all()) == [again, first]
    assert counts(again) == (0, 0, 8, 0)
    assert again.description == first.description


def test_a_value_kolada_revised_is_updated(kolada, proportion, cost, user):
    serve(kolada, "n00914_n00945_0780_2022_2023.json")
    first = run_import()
    kolada.clear()
    revised = reply("n00914_n00945_0780_2022_2023.json").replace('"value": 85.1', '"value": 85.4')
    kolada.expect_request(PATH).respond_with_data(revised, content_type="application/json")

    again = run_import(by=user)

    assert measurements() == [
        (*row[:3], Decimal("85.4")) if row[:3] == ("UF-BEH-01", 2023, "T") else row for row in ALL_VALUES
    ]
    revised_value = Measurement.objects.get(indicator=proportion, year=2023, gender="T")
    assert (revised_value.batch, revised_value.entered_by) == (again, user)
    assert Measurement.objects.exclude(pk=revised_value.pk).filter(batch=first).count() == 7
    assert counts(again) == (0, 1, 7, 0)


def test_a_value_stored_by_hand_is_replaced_by_kolada_s(kolada, proportion, cost):
    Measurement.objects.create(
        indicator=proportion, year=2022, gender="T", value=Decimal("80"), source=IndicatorSource.MANUAL
    )
    serve(kolada, "n00914_n00945_0780_2022_2023.json")
    batch = run_import()

    assert measurements() == ALL_VALUES
    assert counts(batch) == (7, 1, 0, 0)
    assert (
        Measurement.objects.get(indicator=proportion, year=2022, gender="T").source == IndicatorSource.KOLADA
    )


def nothing_written() -> bool:
    return not Measurement.objects.exists() and not MeasurementImport.objects.exists()


def test_an_http_error_is_a_clear_error_and_writes_nothing(kolada, proportion, cost):
    kolada.expect_request(PATH).respond_with_data("Internal Server Error", status=500)
    with pytest.raises(KoladaError) as error:
        run_import()
    assert str(error.value) == "Kolada answered with an error (HTTP 500 INTERNAL SERVER ERROR)."
    assert nothing_written()


def test_an_error_on_a_later_page_writes_nothing(kolada, proportion, cost):
    serve(kolada, "paged_page_1.json")
    kolada.expect_request(PATH, query_string="page=2&per_page=2").respond_with_data("", status=503)
    with pytest.raises(KoladaError) as error:
        run_import()
    assert str(error.value) == "Kolada answered with an error (HTTP 503 SERVICE UNAVAILABLE)."
    assert nothing_written()


def unused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_refused_connection_is_a_clear_error_and_writes_nothing(settings, proportion, cost):
    port = unused_port()
    settings.KOLADA_API_URL = f"http://127.0.0.1:{port}/v3"
    with pytest.raises(KoladaError) as error:
        run_import()
    assert str(error.value) == f"Kolada did not answer: no connection to 127.0.0.1:{port}."
    assert nothing_written()


def test_a_reply_that_is_not_json_is_a_clear_error_and_writes_nothing(kolada, proportion, cost):
    kolada.expect_request(PATH).respond_with_data(
        "<html><body>Planerat underhåll</body></html>", content_type="text/html"
    )
    with pytest.raises(KoladaError) as error:
        run_import()
    assert str(error.value) == "Kolada's reply could not be read: it is not JSON."
    assert nothing_written()


def test_json_not_in_kolada_s_form_is_a_clear_error_and_writes_nothing(kolada, proportion, cost):
    kolada.expect_request(PATH).respond_with_json({"values": [{"kpi": "N00914", "period": 2023}]})
    with pytest.raises(KoladaError) as error:
        run_import()
    assert str(error.value) == "Kolada's reply could not be read: row 1 is not a key figure's values."
    assert nothing_written()


def test_a_saved_reply_is_mapped_by_the_same_rules(proportion, cost):
    saved = json.loads(reply("missing_value.json"))
    batch = kolada_import_reply(reply=saved, municipality="0780", by=None)

    assert measurements() == [row for row in ALL_VALUES[:6] if row[:3] != ("UF-BEH-01", 2023, "K")]
    assert batch.description == "N00914 · 0780 · 2022, 2023"
    assert batch.notes == "N00914 2023 K: no value (status Missing)"


def test_a_saved_reply_of_another_municipality_is_not_imported(proportion, cost):
    saved = json.loads(reply("missing_value.json").replace('"0780"', '"0180"'))
    batch = kolada_import_reply(reply=saved, municipality="0780", by=None)

    assert measurements() == []
    assert counts(batch) == (0, 0, 0, 6)
    assert batch.notes.splitlines()[0] == "N00914 2022 K: a value of municipality 0180, not of 0780"


def test_the_command_imports_and_reports(kolada, proportion, cost):
    serve(kolada, "missing_value.json", path="/v3/data/kpi/N00914,N00945/municipality/0780/year/2022,2023")
    out = StringIO()
    call_command("import_kolada", "--kpi", "N00914,N00945", "--years", "2022,2023", stdout=out)

    assert out.getvalue().splitlines() == [
        "N00914, N00945 · 0780 · 2022, 2023: 5 new, 0 changed, 0 unchanged, 1 skipped.",
        "  N00914 2023 K: no value (status Missing)",
    ]
    assert len(measurements()) == 5


def test_the_command_reads_a_saved_reply_without_asking_kolada(kolada, proportion, cost):
    out = StringIO()
    call_command("import_kolada", "--file", str(REPLIES / "n00914_n00945_0780_2022_2023.json"), stdout=out)

    assert measurements() == ALL_VALUES
    assert out.getvalue().splitlines() == [
        "N00914, N00945 · 0780 · 2022, 2023 · n00914_n00945_0780_2022_2023.json: "
        "8 new, 0 changed, 0 unchanged, 0 skipped."
    ]
    assert kolada.log == []


def test_the_command_says_a_saved_page_is_not_the_whole_reply(proportion, cost):
    out = StringIO()
    call_command("import_kolada", "--file", str(REPLIES / "paged_page_1.json"), "--years", "2023", stdout=out)

    assert measurements() == [row for row in ALL_VALUES if row[1] == 2023 and row[0] == "UF-BEH-01"]
    assert out.getvalue().splitlines() == [
        "N00914 · 0780 · 2023 · paged_page_1.json: 3 new, 0 changed, 0 unchanged, 3 skipped.",
        "  The reply has further pages, which were not read: "
        "https://api.kolada.se/v3/data/kpi/N00914,N00945/municipality/0780/year/2022,2023?page=2&per_page=2",
        "  N00914 2022 K: not asked for",
        "  N00914 2022 M: not asked for",
        "  N00914 2022 T: not asked for",
    ]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--kpi", "N914", "--years", "2023"], "N914: A Kolada key figure id is N or U and five digits."),
        (["--kpi", "N00914", "--years", "2023,förra"], "A year is a number such as 2023, not “förra”."),
        (
            ["--kpi", "N00914", "--years", "2023", "--municipality", "780"],
            "A municipality code is four digits, such as 0780, not “780”.",
        ),
        (["--years", "2023"], "Give the key figures (--kpi) and the years (--years), or a --file."),
        (["--kpi", "N00914"], "Give the key figures (--kpi) and the years (--years), or a --file."),
    ],
)
def test_the_command_refuses_arguments_it_cannot_use(kolada, arguments, message):
    with pytest.raises(CommandError) as error:
        call_command("import_kolada", *arguments)
    assert str(error.value) == message
    assert kolada.log == []


def test_the_command_reports_kolada_s_error(kolada, proportion):
    kolada.expect_request("/v3/data/kpi/N00914/municipality/0780/year/2023").respond_with_data("", status=502)
    with pytest.raises(CommandError) as error:
        call_command("import_kolada", "--kpi", "N00914", "--years", "2023")
    assert str(error.value) == "Kolada answered with an error (HTTP 502 BAD GATEWAY)."
    assert nothing_written()


def test_the_command_reports_a_file_that_is_not_json(tmp_path):
    saved = tmp_path / "reply.json"
    saved.write_text("<html></html>", encoding="utf-8")
    with pytest.raises(CommandError) as error:
        call_command("import_kolada", "--file", str(saved))
    assert str(error.value).startswith(f"{saved} is not JSON: ")
    assert nothing_written()


# Many values, in batches


def values_of(years, *, kpi: str = "N00945", gender: str = "T", start: int = 0) -> list[dict]:
    """Kolada's rows for the key figure in ``years``, one value each."""
    return [
        {
            "kpi": kpi,
            "municipality": "0780",
            "period": year,
            "values": [{"gender": gender, "status": "", "value": start + index + 0.5, "count": 1}],
        }
        for index, year in enumerate(years)
    ]


@pytest.fixture
def small_batches(monkeypatch):
    monkeypatch.setattr(measurement_upsert, "BATCH_SIZE", 10)


@pytest.mark.parametrize(("count", "batches"), [(10, 1), (30, 3)])
def test_storing_takes_three_queries_a_batch(cost, small_batches, django_assert_num_queries, count, batches):
    reply = {"values": values_of(range(2000, 2000 + count)), "count": count, "next_page": None}
    # The savepoint, the import's record, the indicators, its counts, the release; and a batch: the
    # values stored (locked), the new values, their history.
    with django_assert_num_queries(5 + 3 * batches):
        batch = kolada_import_reply(reply=reply, municipality="0780", by=None)
    assert counts(batch) == (count, 0, 0, 0)


def test_many_values_over_many_pages_are_stored_in_batches_with_their_history(
    kolada, cost, user, monkeypatch
):
    monkeypatch.setattr(measurement_upsert, "BATCH_SIZE", 7)
    years = list(range(2000, 2060))
    pages = [years[:25], years[25:50], years[50:]]
    path = f"/v3/data/kpi/N00945/municipality/0780/year/{','.join(map(str, years))}"
    for number, page in enumerate(pages, start=1):
        following = f"{kolada.url_for(path)}?page={number + 1}" if number < len(pages) else None
        kolada.expect_request(path, query_string="" if number == 1 else f"page={number}").respond_with_json(
            {"values": values_of(page, start=page[0]), "count": len(years), "next_page": following}
        )

    batch = kolada_import(kpis=["N00945"], municipality="0780", years=years, by=user)

    assert counts(batch) == (60, 0, 0, 0)
    assert measurements() == [("UF-KOST-01", year, "T", Decimal(year) + Decimal("0.5")) for year in years]
    assert [
        (version.history_type, version.history_user, version.batch_id)
        for version in Measurement.history.order_by("year")
    ] == [("+", user, batch.pk)] * 60


def test_a_revised_value_gets_a_version_by_whoever_imported_it(kolada, proportion, cost, user):
    serve(kolada, "n00914_n00945_0780_2022_2023.json")
    run_import()
    kolada.clear()
    revised = reply("n00914_n00945_0780_2022_2023.json").replace('"value": 85.1', '"value": 85.4')
    kolada.expect_request(PATH).respond_with_data(revised, content_type="application/json")

    run_import(by=user)

    revised_value = Measurement.objects.get(indicator=proportion, year=2023, gender="T")
    assert [
        (version.history_type, version.value, version.history_user)
        for version in revised_value.history.order_by("history_date", "history_id")
    ] == [("+", Decimal("85.1"), None), ("~", Decimal("85.4"), user)]


def test_a_value_named_twice_in_a_reply_is_stored_as_the_later(cost, small_batches):
    rows = values_of([2022, 2023]) + values_of([2022], start=7)
    batch = kolada_import_reply(
        reply={"values": rows, "count": 3, "next_page": None}, municipality="0780", by=None
    )

    assert measurements() == [
        ("UF-KOST-01", 2022, "T", Decimal("7.5")),
        ("UF-KOST-01", 2023, "T", Decimal("1.5")),
    ]
    assert counts(batch) == (2, 1, 0, 0)


def test_the_notes_name_the_first_values_skipped_and_count_the_rest(cost, monkeypatch):
    monkeypatch.setattr(kolada_module, "MAX_NOTES", 2)
    rows = values_of(range(2000, 2005))
    for row in rows:
        row["values"][0].update(value=None, status="Missing")
    batch = kolada_import_reply(
        reply={"values": rows, "count": 5, "next_page": None}, municipality="0780", by=None
    )

    assert counts(batch) == (0, 0, 0, 5)
    assert batch.notes.splitlines() == [
        "N00945 2000 T: no value (status Missing)",
        "N00945 2001 T: no value (status Missing)",
        "… and 3 more.",
    ]


# The admin action asks for the four years before this one.


@pytest.fixture
def staff(client):
    user = get_user_model().objects.create_user("lars.holm", password="x", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="goals",
            codename__in=["view_indicator", "add_measurement", "change_measurement"],
        )
    )
    client.force_login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.user = user
    return client


def serve_four_years(server, this_year: int) -> list[int]:
    years = list(range(this_year - 4, this_year))
    rows = [
        {
            "kpi": "N00914",
            "municipality": "0780",
            "period": year,
            "values": [{"gender": "T", "status": "", "value": 84 + index / 2, "count": 1}],
        }
        for index, year in enumerate(years)
    ]
    rows[-1]["values"].append({"gender": "K", "status": "Missing", "value": None, "count": 0})
    server.expect_request(
        f"/v3/data/kpi/N00914/municipality/0780/year/{','.join(map(str, years))}"
    ).respond_with_json({"values": rows, "count": len(rows), "next_page": None})
    return years


def run_action(client, *indicators):
    return client.post(
        reverse("admin:goals_indicator_changelist"),
        {"action": "import_from_kolada", "_selected_action": [indicator.pk for indicator in indicators]},
    )


def messages_of(response) -> list[tuple[str, str]]:
    return [(message.level_tag, str(message)) for message in get_messages(response.wsgi_request)]


def test_staff_import_the_selected_indicators_from_kolada(kolada, staff, proportion, this_year):
    years = serve_four_years(kolada, this_year)
    response = run_action(staff, proportion)

    assert response.status_code == 302
    batch = MeasurementImport.objects.get()
    assert [(m.year, m.gender, m.value) for m in Measurement.objects.order_by("year")] == [
        (years[0], "T", Decimal("84")),
        (years[1], "T", Decimal("84.5")),
        (years[2], "T", Decimal("85")),
        (years[3], "T", Decimal("85.5")),
    ]
    assert batch.imported_by == staff.user
    description = f"N00914 · 0780 · {', '.join(map(str, years))}"
    assert messages_of(response) == [
        ("success", f"Imported from Kolada ({description}): 4 new, 0 changed, 0 unchanged, 1 skipped."),
        (
            "warning",
            f'<a href="{reverse("admin:goals_measurementimport_change", args=[batch.pk])}">'
            "1 value was skipped; the import&#x27;s notes say why.</a>",
        ),
    ]


def test_the_action_says_when_kolada_cannot_be_read(kolada, staff, proportion, this_year):
    years = ",".join(str(year) for year in range(this_year - 4, this_year))
    kolada.expect_request(f"/v3/data/kpi/N00914/municipality/0780/year/{years}").respond_with_data(
        "", status=500
    )
    response = run_action(staff, proportion)

    assert response.status_code == 302
    assert messages_of(response) == [
        ("error", "Kolada answered with an error (HTTP 500 INTERNAL SERVER ERROR).")
    ]
    assert nothing_written()


def test_the_action_refuses_indicators_not_from_kolada(kolada, staff, proportion):
    by_hand = Indicator.objects.create(code="UF-LAS-01", name="Läsförståelse åk 3")
    response = run_action(staff, proportion, by_hand)

    assert messages_of(response) == [
        (
            "error",
            "Only indicators from Kolada, with a key figure id, are imported from Kolada; "
            "these are not: UF-LAS-01.",
        )
    ]
    assert kolada.log == []
    assert nothing_written()


def action_names(client) -> list[str]:
    form = client.get(reverse("admin:goals_indicator_changelist")).context["action_form"]
    return [name for name, _label in form.fields["action"].choices if name] if form else []


def test_the_action_is_offered_only_to_those_who_may_store_measurements(staff, proportion):
    assert action_names(staff) == ["import_from_kolada"]
    staff.user.user_permissions.remove(Permission.objects.get(codename="change_measurement"))
    assert action_names(staff) == []


def test_a_value_stored_by_another_import_meanwhile_refuses_the_import_and_writes_nothing(monkeypatch, db):
    def collide(*args, **kwargs):
        raise IntegrityError("duplicate key value violates unique constraint")

    monkeypatch.setattr(kolada_module, "_store", collide)
    with pytest.raises(KoladaError) as excinfo, translation.override("en"):
        kolada_module.kolada_import_reply(
            reply={"values": [], "count": 0, "next_page": None}, municipality="0780", by=None
        )
    assert str(excinfo.value) == (
        "Some of these values were entered by someone else meanwhile. Nothing was imported; try again."
    )
