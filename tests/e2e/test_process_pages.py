"""Processes across the organisations, in a real browser, with axe-core on every page."""

import csv
import io
import re

from playwright.sync_api import expect


def test_a_main_process_shows_goals_from_several_organisations(page, assert_accessible):
    page.goto("/")
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Processer").click()
    expect(page.get_by_role("heading", level=2, name="Huvudprocess")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Lärande", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lärande")
    expect(page.get_by_role("link", name="Barn och unga", exact=True)).to_be_visible()
    organisations = page.locator("h3.cascade-unit")
    for name in (
        "Utbildningsförvaltningen",
        "Förvaltningen för arbete och välfärd",
        "Sjöstads Kommunfastigheter AB",
        "Räddningstjänsten Storsjöbygden",
    ):
        expect(organisations.filter(has_text=name)).to_have_count(1)
    expect(page.get_by_role("link", name="Läsveckor i årskurs 1–3")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Barn och unga", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Barn och unga")
    expect(page.get_by_role("link", name="Kultur och fritid")).to_be_visible()
    assert_accessible(page)


def test_the_matrix_shows_who_contributes_to_what_and_downloads_as_csv(page, assert_accessible):
    page.goto("/processes/")
    page.get_by_role("link", name="Vem bidrar till vilken process").click()
    table = page.get_by_role("table", name=re.compile("^Mål per process och organisation"))
    expect(table.get_by_role("columnheader", name="Räddningstjänsten Storsjöbygden")).to_be_visible()
    expect(table.get_by_role("rowheader", name=re.compile("^Trygghet och säkerhet"))).to_be_visible()
    assert_accessible(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Ladda ned som CSV").click()
    with open(download_info.value.path(), encoding="utf-8-sig") as downloaded:
        rows = list(csv.reader(io.StringIO(downloaded.read()), delimiter=";"))
    assert rows[0][:3] == ["Process", "Typ", "Fullmäktige, styrelse och nämnder"]
    assert [row[0] for row in rows[1:8]] == [
        "Arbete och företagande",
        "Boende och livsmiljö",
        "Hållbar samhällsbyggnad",
        "Kultur och fritid",
        "Lärande",
        "Omsorg och stöd",
        "Trygghet och säkerhet",
    ]
