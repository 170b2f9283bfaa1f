"""Writing cells of the portal's downloads (CSV and Excel) so that spreadsheets show text as text.

A goal title, a commentary or a unit name is typed by people; a spreadsheet program takes a cell
that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return for a formula, which can
fetch an address, leak the sheet or run a command when a controller opens the file (CSV or formula
injection). Every export writes its rows through ``csv_row`` or ``append_row``, which follow OWASP's
advice: such text gets a leading single quote in CSV, and is stored as text (never as a formula) in
a workbook. Numbers, dates and anything else not text stay as they are: -3 is a number, not text.

No kept library fits: defusedcsv covers CSV only, writes -3 as text and rewrites ``|`` inside the
text, and tablib would replace openpyxl for the report; these few lines keep what the user typed.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from openpyxl.cell import Cell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def starts_like_formula(value: Any) -> bool:
    """Whether a spreadsheet would read ``value`` as a formula: text beginning with a formula sign."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def csv_row(values: Iterable[Any]) -> list[Any]:
    """The values for ``csv.writer().writerow``, each text that looks like a formula behind a single
    quote, which spreadsheets read as "this is text"."""
    return [f"'{value}" if starts_like_formula(value) else value for value in values]


def append_row(sheet: Worksheet, values: Iterable[Any]) -> None:
    """Append the values as a row of an openpyxl worksheet, every text as text.

    openpyxl stores text beginning with ``=`` as a formula and text like ``#N/A`` as an error; this
    writes each text as a string cell, and marks those that look like a formula with Excel's own
    "typed with a leading quote" flag (``quotePrefix``), so they stay text when a user edits them.
    The text itself is kept whole: the quote is a style, not part of the value.
    """
    sheet.append([_text_cell(sheet, value) if isinstance(value, str) else value for value in values])


def _text_cell(sheet: Worksheet, text: str) -> Cell:
    # Control characters (a pasted \x01, say) have no place in the workbook's XML: openpyxl refuses
    # the whole file for one. They show as nothing anyway, so they are left out.
    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    cell = Cell(sheet, value=text)
    cell.data_type = "s"  # after the value, which would have made it a formula or an error
    if starts_like_formula(text):
        cell.quotePrefix = True
    return cell


def append_headings(sheet: Worksheet, headings: Iterable[Any]) -> None:
    """Append a row in bold (column headings, a row of totals), every text as text."""
    append_row(sheet, headings)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)


def fit_columns(sheet: Worksheet) -> None:
    """Wide enough for the text, wrapping long text (a commentary) instead of a column a screen wide."""
    for index, column in enumerate(sheet.iter_cols(), start=1):
        longest = max((len(str(cell.value)) for cell in column if cell.value is not None), default=8)
        sheet.column_dimensions[get_column_letter(index)].width = min(max(longest + 2, 10), 60)
        for cell in column:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
