"""Excel in and out: reading what real files contain, and writing lists that print well.

Reading forgives what offices' files hold: title rows above the header, columns in any order,
header variants, dates as Excel serials or dd/mm/yyyy text, extra spaces, decomposed Unicode.
Writing neutralises cells that a spreadsheet would run as formulas.
"""

import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from io import BytesIO
from typing import IO, Any

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel

from .vietnamese import fold, normalize_name

MAX_BYTES = 20 * 1024 * 1024
HEADER_SEARCH_ROWS = 20
FORMULA_STARTS = ("=", "+", "-", "@")


class SpreadsheetError(Exception):
    """The file cannot be read as a spreadsheet of the expected kind; the message is for the user."""


def check_xlsx(data: IO[bytes], *, size: int, max_bytes: int = MAX_BYTES) -> None:
    """Refuse files that are too large or are not real XLSX workbooks (a ZIP with a workbook part)."""
    if size > max_bytes:
        raise SpreadsheetError(
            _("The file is too large (%(size)d MB; at most %(max)d MB).")
            % {"size": size // (1024 * 1024), "max": max_bytes // (1024 * 1024)}
        )
    start = data.tell()
    try:
        if data.read(4) != b"PK\x03\x04":
            raise SpreadsheetError(_("This is not an Excel (.xlsx) file."))
        data.seek(start)
        with zipfile.ZipFile(data) as archive:
            if "xl/workbook.xml" not in archive.namelist():
                raise SpreadsheetError(_("This is not an Excel (.xlsx) file."))
    except zipfile.BadZipFile as exc:
        raise SpreadsheetError(_("This is not an Excel (.xlsx) file.")) from exc
    finally:
        data.seek(start)


def open_rows(data: IO[bytes] | str) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """(row number, values) of the first sheet, streamed (read-only mode)."""
    try:
        workbook = load_workbook(data, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise SpreadsheetError(_("The workbook cannot be read: it may be damaged.")) from exc
    try:
        sheet = workbook.worksheets[0]
        yield from enumerate(sheet.iter_rows(values_only=True), start=1)
    finally:
        workbook.close()


def header_key(text: Any) -> str:
    """How a header is compared: folded, without punctuation or spaces ('Họ và tên' -> 'hovaten')."""
    return "".join(ch for ch in fold(str(text or "")) if ch.isalnum())


@dataclass(frozen=True)
class HeaderMatch:
    row: int
    columns: dict[int, str]  # column index -> field name


def find_header(
    rows: Iterator[tuple[int, Sequence[Any]]], aliases: dict[str, str], required: dict[str, str]
) -> HeaderMatch:
    """The first row (among the first 20) naming the required columns; the iterator then stands
    just past it. `aliases` maps a header_key to a field, `required` a field to its header; title
    rows above are skipped."""
    needed = set(required)
    for number, values in rows:
        columns = {i: aliases[header_key(v)] for i, v in enumerate(values) if header_key(v) in aliases}
        if needed <= set(columns.values()):
            return HeaderMatch(number, columns)
        if number >= HEADER_SEARCH_ROWS:
            break
    raise SpreadsheetError(
        _("No header row was found in the first %(n)d rows. The header must name at least: %(cols)s.")
        % {"n": HEADER_SEARCH_ROWS, "cols": ", ".join(required.values())}
    )


def text(value: Any) -> str:
    """A cell as clean text: NFC, single spaces; 12.0 -> '12'; None -> ''."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime | date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, str) and _clean(value):
        return value  # most cells: already one NFC line without extra spaces
    cleaned = normalize_name(str(value))
    if cleaned.startswith("'") and cleaned[1:2] in FORMULA_STARTS:
        cleaned = cleaned[1:]  # neutralised on export
    return cleaned


# What makes a text cell need cleaning: a tab, a line break, a no-break space, an apostrophe (a
# neutralised formula) or a double space; leading and trailing spaces are checked apart.
_UNCLEAN = re.compile("[\t\n\r\xa0']|  ")


def _clean(value: str) -> bool:
    return (
        _UNCLEAN.search(value) is None
        and value == value.strip()
        and (value.isascii() or unicodedata.is_normalized("NFC", value))  # ASCII is always NFC
    )


def name(value: Any) -> str:
    """A person's name: clean text, and an all-capitals name ('NGUYỄN VĂN AN') in title case."""
    cleaned = text(value)  # already NFC
    if cleaned and cleaned == cleaned.upper():
        cleaned = unicodedata.normalize("NFC", " ".join(w.capitalize() for w in cleaned.split(" ")))
    return cleaned


def to_date(value: Any) -> date | None:
    """A date from an Excel date, an Excel serial number, or dd/mm/yyyy (also d/m/yyyy, dd-mm-yyyy,
    dd.mm.yyyy, yyyy-mm-dd) text. Raises ValueError with a Vietnamese message."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and 1 <= value < 2958466:
        return from_excel(value).date()
    raw = text(value)
    for separator in ("/", "-", "."):
        parts = raw.split(separator)
        if len(parts) == 3 and all(p.isdigit() for p in parts):
            day, month, year = (parts[2], parts[1], parts[0]) if len(parts[0]) == 4 else parts
            try:
                return date(int(year), int(month), int(day))
            except ValueError:
                break
    raise ValueError(_("“%(value)s” is not a date (dd/mm/yyyy).") % {"value": raw})


def neutralise(value: Any) -> Any:
    """A text that a spreadsheet would run as a formula (= + - @) is written with a leading
    apostrophe, so it stays text; `text()` removes that apostrophe again on import."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_table(
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    widths: Sequence[int] | None = None,
    notes: Sequence[tuple[str, str]] = (),
) -> bytes:
    """An XLSX of one table, formatted to print (see add_table); an optional second sheet
    explaining the columns."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    add_table(workbook, title, headers, rows, widths=widths)
    if notes:
        guide = workbook.create_sheet(_("Guide")[:31])
        guide.append([_("Column"), _("What to write")])
        for cell in guide[1]:
            cell.font = Font(bold=True)
        for header, note in notes:
            guide.append([header, note])
        guide.column_dimensions["A"].width = 30
        guide.column_dimensions["B"].width = 90
    return _saved(workbook)


def write_tables(tables: Iterable[tuple[str, Sequence[str], Iterable[Sequence[Any]]]]) -> bytes:
    """An XLSX of several tables (title, headers, rows), one sheet each, formatted as add_table."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, headers, rows in tables:
        add_table(workbook, title, headers, rows)
    return _saved(workbook)


def add_table(
    workbook: Workbook,
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    widths: Sequence[int] | None = None,
) -> None:
    """A sheet formatted to print: bold frozen header repeated on each page, column widths,
    dd/mm/yyyy, landscape A4 fitting the width; every text a spreadsheet would run as a formula
    neutralised."""
    sheet = workbook.create_sheet(re.sub(r"[\[\]:*?/\\]", "-", title)[:31])  # characters Excel refuses
    sheet.append(list(headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        sheet.append([neutralise(v) for v in row])
    for index, header in enumerate(headers, start=1):
        width = widths[index - 1] if widths else max(12, min(40, len(str(header)) + 4))
        sheet.column_dimensions[get_column_letter(index)].width = width
    for column in sheet.iter_cols(min_row=2):
        for cell in column:
            if isinstance(cell.value, date):
                cell.number_format = "DD/MM/YYYY"
    sheet.freeze_panes = "A2"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"


def _saved(workbook: Workbook) -> bytes:
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()
