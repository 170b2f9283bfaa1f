"""A unit's and a process's history in a real browser: reachable from their pages, readable on a
phone (no sideways scrolling however long the changed text), and axe clean."""

from playwright.sync_api import expect

from processes.models import Process, ProcessKind
from tests.e2e.browser import sign_in

# A name with no space to break at, as someone pasting a long word might write.
UNBROKEN = "Arbetsmarknadsinsatser" * 12


def test_a_process_history_reads_on_a_phone(page, assert_accessible):
    process = Process.objects.get(slug="arbete-och-foretagande")
    process.kind, process.purpose = ProcessKind.MANAGEMENT, UNBROKEN
    process.save()
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, "karin.lind")
    page.goto(process.get_absolute_url())
    page.get_by_role("link", name="Historik: vem ändrade vad och när").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Historik för ”Arbete och företagande”")
    changes = page.get_by_role("table", name="Vad som ändrades")
    expect(changes.get_by_role("row", name="Typ Huvudprocess Ledningsprocess")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(page)


def test_a_unit_history_is_linked_from_the_unit_page(page, assert_accessible):
    sign_in(page, "karin.lind")
    page.goto("/organisation/utbildningsforvaltningen/")
    page.get_by_role("link", name="Historik: vem ändrade vad och när").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Historik för ”Utbildningsförvaltningen”")
    expect(page.get_by_role("heading", level=2, name="Skapat")).to_be_visible()
    assert_accessible(page)
