"""Fast inserts for imports: rows and their history rows written with executemany, many rows to a
statement: the same records that saving one by one makes (audited: each row gets its "+" history
row with the actor), without the ORM's per-value compilation, which dominates a 100,000-row import.

Only for plain models whose fields are text, numbers, booleans, dates, times, date-times and foreign
keys.
Call inside the import's transaction.
"""

import operator
from collections.abc import Iterator, Sequence
from datetime import datetime
from itertools import chain

from django.db import connection, models
from django.utils import timezone

# Rows written by one INSERT ... VALUES (...), (...), fewer when the database's limit on parameters
# says so. Replayed alone, the rows of a 100,000-member import took SQLite about 7 s at one statement
# per row and under 5 s at 200 a statement; more a statement gained nothing but a larger prepared
# statement in memory.
ROWS_PER_STATEMENT = 200


def allocate_ids(model: type[models.Model], count: int) -> list[int]:
    """Primary keys for `count` new rows. PostgreSQL draws them from the table's sequence; SQLite
    continues after the largest (the import's write transaction holds the database's lock)."""
    if count == 0:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, model._meta.pk.column, count],
            )
            return [row[0] for row in cursor.fetchall()]
        quoted = connection.ops.quote_name(table)
        cursor.execute(
            f"SELECT COALESCE(MAX({connection.ops.quote_name(model._meta.pk.column)}), 0) "  # noqa: S608
            f"FROM {quoted}"
        )
        start = cursor.fetchone()[0] + 1
        return list(range(start, start + count))


def _converter(field: models.Field):
    """How a field's Python value becomes the driver's value, decided once per field."""
    kind = field.get_internal_type()
    if kind == "DateTimeField":
        return connection.ops.adapt_datetimefield_value
    if kind == "DateField" and connection.vendor != "sqlite":
        # On SQLite, Django registers the driver's adapter for dates (isoformat()), the same text
        # adapt_datefield_value makes (str()): the driver converts them, not a loop per value here.
        return connection.ops.adapt_datefield_value
    if kind == "TimeField":
        return connection.ops.adapt_timefield_value
    return None


def _rows(fields, records: Sequence[dict], constants: dict[str, object]) -> list[tuple]:
    """Value tuples in field order from dicts keyed by attname; a missing key takes the field's
    default; `constants` (already adapted) override both. Written for speed: the defaults, the
    record and the constants merged into one dict and read out in field order in C, then only the
    columns the driver cannot take as they are converted."""
    defaults = {f.attname: f.get_default() if f.has_default() or not f.null else None for f in fields}
    converted = [
        (f.attname, convert)
        for f in fields
        if f.attname not in constants and (convert := _converter(f)) is not None
    ]
    names = [f.attname for f in fields]
    pick = operator.itemgetter(*names) if len(names) > 1 else lambda values: (values[names[0]],)
    if not converted:
        return [pick({**defaults, **record, **constants}) for record in records]
    rows = []
    for record in records:
        values = {**defaults, **record, **constants}
        for attname, convert in converted:
            if values[attname] is not None:
                values[attname] = convert(values[attname])
        rows.append(pick(values))
    return rows


def _insert(table: str, fields: Sequence[models.Field], rows: list[tuple]) -> None:
    """Insert the rows in their order, ROWS_PER_STATEMENT to a statement; the rest in a last one."""
    limit = connection.features.max_query_params  # None: no limit
    per = max(1, min(ROWS_PER_STATEMENT, limit // len(fields) if limit else ROWS_PER_STATEMENT))
    whole = len(rows) - len(rows) % per
    with connection.cursor() as cursor:
        if whole:
            cursor.executemany(_statement(table, fields, per), _flattened(rows[:whole], per))
        if whole < len(rows):
            cursor.execute(
                _statement(table, fields, len(rows) - whole), tuple(chain.from_iterable(rows[whole:]))
            )


def _statement(table: str, fields: Sequence[models.Field], count: int) -> str:
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    return f"INSERT INTO {quote(table)} ({columns}) VALUES {', '.join([row] * count)}"  # noqa: S608


def _flattened(rows: list[tuple], per: int) -> Iterator[tuple]:
    """The parameters of each statement: `per` rows in one tuple, made as the driver asks for them."""
    for index in range(0, len(rows), per):
        yield tuple(chain.from_iterable(rows[index : index + per]))


def insert(
    model: type[models.Model], records: list[dict], *, actor=None, when: datetime | None = None
) -> list[int]:
    """Insert rows of `model` given as dicts keyed by attname ("person_id", not "person") and
    return their new primary keys; with `actor`, also their history rows naming the actor, as
    django-simple-history would."""
    if not records:
        return []
    ids = allocate_ids(model, len(records))
    pk_name = model._meta.pk.attname
    for record, pk in zip(records, ids, strict=True):
        record[pk_name] = pk
    fields = model._meta.concrete_fields
    stamped = connection.ops.adapt_datetimefield_value(when or timezone.now())
    constants = {
        f.attname: stamped
        for f in fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    }
    rows = _rows(fields, records, constants)
    _insert(model._meta.db_table, fields, rows)
    if actor is not None:
        _insert_history(model, fields, rows, actor=actor, stamped=stamped)
    return ids


def _insert_history(model, fields, rows: list[tuple], *, actor, stamped) -> None:
    """The "+" history rows, taken from the rows just written: every column the history table
    shares with the model, in the model's order, then the history's own columns (the same for
    every row)."""
    history = model.history.model
    mirrored = {f.attname: f for f in history._meta.concrete_fields}
    shared = [(i, mirrored[f.attname]) for i, f in enumerate(fields) if f.attname in mirrored]
    own = {
        "history_date": stamped,
        "history_change_reason": None,
        "history_type": "+",
        "history_user_id": actor.pk,
    }
    own_fields = [f for f in history._meta.concrete_fields if f.attname in own]
    tail = tuple(own[f.attname] for f in own_fields)
    if len(shared) == len(fields):  # every column mirrored, the usual case: the row as it is
        values = [row + tail for row in rows]
    else:
        pick = operator.itemgetter(*(i for i, _f in shared))
        values = [pick(row) + tail for row in rows]
    _insert(history._meta.db_table, [*(f for _i, f in shared), *own_fields], values)
