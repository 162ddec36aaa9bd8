"""The Party's document format as pure functions (rules.md §8): numbers, dates, letterheads, figures.

Nothing here reads the database; the services and builders pass in what they know.
"""

import re
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from .choices import DocType, Numbering

# rules.md §8.4. BC, CTr and TTr were seen in documents; BB (biên bản) and GM (giấy mời) are common
# practice, UNCONFIRMED as prescribed, so the office may change every symbol (DocumentSettings).
TYPE_SYMBOLS: dict[str, str] = {
    DocType.ANNUAL_REPORT: "BC",
    DocType.MIDYEAR_REPORT: "BC",
    DocType.INVITATION: "GM",
    DocType.MINUTES: "BB",
    DocType.INSPECTION_PROGRAMME: "CTr",
    DocType.BADGE_LIST: "TTr",
}

# The document type's name, written in capitals above the subject (rules.md §8.2).
TYPE_NAMES: dict[str, str] = {
    DocType.ANNUAL_REPORT: "BÁO CÁO",
    DocType.MIDYEAR_REPORT: "BÁO CÁO",
    DocType.INVITATION: "GIẤY MỜI",
    DocType.MINUTES: "BIÊN BẢN",
    DocType.INSPECTION_PROGRAMME: "CHƯƠNG TRÌNH",
    DocType.BADGE_LIST: "TỜ TRÌNH",
}

HEADING = "ĐẢNG CỘNG SẢN VIỆT NAM"
SYMBOL_PATTERN = re.compile(r"[A-Za-zĐđ]{1,8}")  # "BC", "CTr", "ĐU"


def type_symbol(doc_type: str, overrides: dict[str, str] | None = None) -> str:
    """The symbol of a document type, the office's own where it set one."""
    return (overrides or {}).get(doc_type) or TYPE_SYMBOLS[doc_type]


def number_line(number: int | None, type_symbol: str, issuer_symbol: str) -> str:
    """rules.md §8.4: "Số 12-BC/ĐU". A draft has no number yet and leaves the blank the signer fills."""
    shown = f"{number:02d}" if number is not None else "\u00a0" * 6
    return f"Số {shown}-{type_symbol}/{issuer_symbol}"


def place_date(place: str, day: date) -> str:
    """rules.md §8.2: "Hạ Long, ngày 20 tháng 02 năm 2018": day and month below 10 take a leading zero
    (HD 36, as the example writes "02")."""
    where = f"{place}, " if place else ""
    return f"{where}ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"


def period_key(numbering: str, day: date, term_starts_on: date | None) -> str:
    """The run a document's number belongs to: its year by default, or the term it falls in.

    rules.md "Product defaults": numbering restarts each year (UNCONFIRMED; some types run per term).
    A term run is keyed by the term's first day; a day before that day falls back to its year.
    """
    if numbering == Numbering.TERM and term_starts_on is not None and day >= term_starts_on:
        return f"term-{term_starts_on.isoformat()}"
    return str(day.year)


# Word pastes a line break as \x0b (and a page break as \x0c); XML 1.0 (DOCX) refuses every control
# character but tab and newline.
_BREAKS = str.maketrans({"\x0b": "\n", "\x0c": "\n", "\r": None})
_CONTROLS = str.maketrans({chr(c): None for c in range(32) if chr(c) not in "\t\n"} | {"\x7f": None})


def printable(text: str) -> str:
    """Text a document can hold: Word's line and page breaks as newlines, other control characters
    dropped."""
    return text.translate(_BREAKS).translate(_CONTROLS)


# --- Letterhead defaults, derived from the organisation (the office may type its own) ---

COMMITTEE_PREFIX = "Đảng bộ "


def committee_name(name: str, is_cell: bool) -> str:
    """Who speaks for an organisation: "Đảng ủy X" for "Đảng bộ X", a cell's own name."""
    if not is_cell and name.startswith(COMMITTEE_PREFIX):
        return "Đảng ủy " + name.removeprefix(COMMITTEE_PREFIX)
    return name


def issuing_body(name: str, is_cell: bool) -> str:
    """The issuing body in capitals: the committee ("ĐẢNG ỦY …") issues for a đảng bộ, the cell
    itself ("CHI BỘ …") for a cell (rules.md §8.3, §8.6)."""
    return committee_name(name, is_cell).upper()


def issuer_symbol(is_cell: bool) -> str:
    """rules.md §8.4: ĐU for a đảng ủy, CB for a chi bộ."""
    return "CB" if is_cell else "ĐU"


def signature_lines(is_cell: bool) -> tuple[str, str]:
    """rules.md §8.5: "T/M ĐẢNG ỦY / BÍ THƯ", "T/M CHI BỘ / BÍ THƯ"."""
    return ("T/M CHI BỘ" if is_cell else "T/M ĐẢNG ỦY", "BÍ THƯ")


# --- Figures written as the article writes them ---


def grouped(n: int) -> str:
    """1850 → "1.850" (Vietnamese thousands separator)."""
    return f"{n:,}".replace(",", ".")


def percent(value: float | Decimal | None) -> str:
    """A published percentage as the article writes it: 78.0 → "78%", 86.3 → "86,3%"; None → "—"."""
    if value is None:
        return "—"
    exact = Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    text = f"{exact:f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") + "%"


def fraction(numerator: int, denominator: int) -> str:
    """ "kết nạp 3/7 quần chúng": part of a whole, as the article writes it ("1.650/1.850")."""
    return f"{grouped(numerator)}/{grouped(denominator)}"


def money(vnd: int) -> str:
    """2340000 → "2.340.000 đồng"."""
    return f"{grouped(vnd)} đồng"


@dataclass(frozen=True)
class Letterhead:
    """What heads every document of an issuer and signs it (rules.md §8.3–§8.5)."""

    superior: str  # directly superior body, upper case, not bold
    issuer: str  # issuing body, upper case, bold
    issuer_symbol: str  # "ĐU", "CB"
    place: str  # "Hà Nội"
    authority: str  # "T/M ĐẢNG ỦY"
    signer_title: str  # "BÍ THƯ"
    signer_name: str  # "Nguyễn Văn A", or "" when nobody holds the seat
