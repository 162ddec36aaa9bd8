"""The one import mechanism: a table of columns, rows parsed and checked one by one with every
problem reported by row and column in Vietnamese, and a report. The domain apps describe their
columns and write the rows; nothing is written unless the whole file is right (the caller runs the
write in one transaction and rolls it back on any problem or for a preview).
"""

import functools
import gc
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from . import spreadsheets
from .vietnamese import fold


@dataclass(frozen=True)
class Column:
    """A column of an import (and of the matching export): its field, its Vietnamese header, the
    header variants accepted, how its cells are read, and what the guide sheet says of it."""

    field: str
    header: str
    aliases: tuple[str, ...] = ()
    kind: str = "text"  # text | name | date | choice | bool
    required: bool = False
    note: str = ""
    choices: tuple[tuple[str, str], ...] = ()  # (value, label)
    # Other spellings of a choice accepted on import (short forms of paper sheets): (value, forms).
    value_aliases: tuple[tuple[str, tuple[str, ...]], ...] = ()


@dataclass(frozen=True)
class Problem:
    row: int
    column: str
    message: str


@dataclass
class Row:
    number: int
    values: dict[str, Any]
    problems: list[Problem] = field(default_factory=list)

    def refuse(self, column: str, message: str) -> None:
        self.problems.append(Problem(self.number, column, message))


@dataclass
class Report:
    """What an import did, or would do in a preview."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    rows: int = 0
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)  # shown, but they do not stop the import
    duplicates: list[dict] = field(default_factory=list)  # row, existing, matched_by, action
    stops: int = 0  # duplicates left at "stop": counted as they come, `ok` is read once per row

    def add_duplicate(self, row: int, existing, matched_by: str, action: str) -> None:
        self.duplicates.append({"row": row, "existing": existing, "matched_by": matched_by, "action": action})
        self.stops += action == "stop"

    @property
    def ok(self) -> bool:
        return not self.problems and not self.stops


class Refused(Exception):
    """Raised inside the import's transaction to roll everything back."""


def run(
    data,
    columns: Sequence[Column],
    dry_run: bool,
    write: Callable[[Any, "Report"], None],
    *,
    streamed: bool = False,
) -> "Report":
    """Read and check the whole file and write it in one transaction: rolled back when anything is
    wrong, when a duplicate says stop, or for a preview (dry run). `write(rows, report)` checks and
    writes the rows, adding to the report; it gets the list of rows (counted here), or with
    `streamed` the rows as they are read (a large file: it counts them itself)."""
    report = Report()
    try:
        with fewer_collections(), transaction.atomic():
            rows = read(data, columns)
            if not streamed:
                rows = list(rows)
                report.rows = len(rows)
            write(rows, report)
            if dry_run or not report.ok:
                raise Refused
    except Refused:
        pass
    return report


# New objects between two runs of Python's cycle collector on its youngest generation while an
# import runs (700 by default). An import keeps a batch of rows and their records alive, and
# openpyxl keeps an emptied element for every row read: at the default the collector moves them on
# again and again, and a 100,000-row import ran 67 full collections, each longer than the last:
# 4.8 s of its 31 s. At this threshold: one full collection, 0.7 s in all. Cycles are still
# collected, a little later.
IMPORT_GC_THRESHOLD = 20_000
_collector = threading.Lock()  # guards the two below: imports may run in several threads
_collector_users = 0
_collector_saved: tuple[int, ...] = gc.get_threshold()


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Run the cycle collector less often for the duration (see IMPORT_GC_THRESHOLD); its settings
    are the process's, so they are restored when the last import running ends."""
    global _collector_users, _collector_saved
    with _collector:
        if _collector_users == 0:
            _collector_saved = gc.get_threshold()
            gc.set_threshold(max(IMPORT_GC_THRESHOLD, _collector_saved[0]), *_collector_saved[1:])
        _collector_users += 1
    try:
        yield
    finally:
        with _collector:
            _collector_users -= 1
            if _collector_users == 0:
                gc.set_threshold(*_collector_saved)


def aliases_of(columns: Sequence[Column]) -> dict[str, str]:
    found = {}
    for column in columns:
        for variant in (column.header, column.field, *column.aliases):
            found[spreadsheets.header_key(variant)] = column.field
    return found


def read(data, columns: Sequence[Column]) -> Iterator[Row]:
    """Rows of the file as typed values, each with the problems of its cells. Empty rows skipped."""
    rows = spreadsheets.open_rows(data)
    header = spreadsheets.find_header(
        rows, aliases_of(columns), {c.field: c.header for c in columns if c.required}
    )
    by_field = {c.field: c for c in columns}
    plan = [_planned(index, by_field[name]) for index, name in header.columns.items()]
    required = [c for c in columns if c.required]
    for number, values in rows:
        if all(v is None or str(v).strip() == "" for v in values):
            continue
        row = Row(number, {})
        width = len(values)
        for index, column, reader, empty in plan:
            raw = values[index] if index < width else None
            if raw is None:  # an empty cell reads the same every time
                row.values[column.field] = empty
                continue
            try:
                row.values[column.field] = reader(raw)
            except ValueError as exc:
                row.refuse(column.header, str(exc))
        unreadable = {p.column for p in row.problems} if row.problems else ()
        for column in required:
            if not row.values.get(column.field) and column.header not in unreadable:
                row.refuse(column.header, _("This column is required."))
        yield row


Reader = Callable[[Any], Any]


def _planned(index: int, column: Column) -> tuple[int, Column, Reader, Any]:
    """How a column's cells are read, made once per file: its reader, and what an empty cell
    reads as (a reader never refuses an empty cell)."""
    reader = _READERS[column.kind](column)
    return index, column, reader, reader(None)


def _choice(column: Column) -> Reader:
    """A choice by its code or its label in Vietnamese or English, whoever wrote the file."""
    forms = choice_forms(column.choices, column.value_aliases)

    def read_choice(raw: Any) -> str:
        cleaned = fold(spreadsheets.text(raw))
        if not cleaned:
            return ""
        found = forms.get(cleaned)
        if found is None:
            labels = ", ".join(str(label) for _v, label in column.choices)
            raise ValueError(_("“%(value)s” is not one of: %(choices)s.") % {"value": raw, "choices": labels})
        return found

    return read_choice


@functools.cache
def choice_forms(
    choices: tuple[tuple[str, Any], ...], value_aliases: tuple[tuple[str, tuple[str, ...]], ...] = ()
) -> dict[str, str]:
    """Every accepted spelling of each choice (code, Vietnamese and English label, and the short
    forms of `value_aliases`), folded; made once per set of choices, not once per cell."""
    forms = {}
    for value, label in choices:
        forms[fold(value)] = value
        for language in ("vi", "en"):
            with translation.override(language):
                forms[fold(str(label))] = value
    for value, spellings in value_aliases:
        for spelling in spellings:
            forms[fold(spelling)] = value
    return forms


def _bool(raw: Any) -> bool:
    return fold(spreadsheets.text(raw)) in {"x", "co", "1", "true", "yes", "dung"}


# Per kind of column, what makes its reader (a function of the cell alone).
_READERS: dict[str, Callable[[Column], Reader]] = {
    "text": lambda column: spreadsheets.text,
    "name": lambda column: spreadsheets.name,
    "date": lambda column: spreadsheets.to_date,
    "choice": _choice,
    "bool": lambda column: _bool,
}


def template(
    title: str,
    columns: Sequence[Column],
    example: dict[str, Any],
    *,
    rows: Iterable[dict[str, Any]] | None = None,
) -> bytes:
    """The file to fill in: the headers, one example row (or the given `rows`, choices written with
    their Vietnamese labels), and a sheet explaining each column."""
    if rows is None:
        values = [[example.get(c.field, "") for c in columns]]
    else:
        values = list(export_rows(columns, rows))
    notes = [(c.header + (" *" if c.required else ""), _note(c)) for c in columns]
    return spreadsheets.write_table(title, [c.header for c in columns], values, notes=notes)


def _note(column: Column) -> str:
    parts = [str(column.note)] if column.note else []
    if column.kind == "date":
        parts.append(_("A date: dd/mm/yyyy, or an Excel date."))
    if column.choices:
        parts.append(
            _("One of: %(choices)s.") % {"choices": ", ".join(str(label) for _v, label in column.choices)}
        )
    if column.required:
        parts.append(_("Required."))
    return " ".join(parts)


def export_rows(columns: Sequence[Column], records: Iterable[dict[str, Any]]) -> Iterator[list]:
    """Rows for an export in the import's own column order (so an export re-imports); choices are
    written with their Vietnamese labels, whatever the exporting user's language."""
    with translation.override("vi"):
        labels = {c.field: {v: str(label) for v, label in c.choices} for c in columns if c.choices}
    for record in records:
        yield [_export_value(record.get(c.field), labels.get(c.field)) for c in columns]


def _export_value(value: Any, labels: dict | None) -> Any:
    if labels is not None:
        return str(labels.get(value, value or ""))
    if isinstance(value, bool):
        return "x" if value else ""
    return "" if value is None else value
