"""Fast inserts for imports: rows and their history rows written with executemany, the same
records that saving one by one makes (audited: each row gets its "+" history row with the actor),
without the ORM's per-value compilation, which dominates a 100,000-row import.

Only for plain models whose fields are text, numbers, booleans, dates, date-times and foreign keys.
Call inside the import's transaction.
"""

import operator
from collections.abc import Sequence
from datetime import datetime

from django.db import connection, models
from django.utils import timezone


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
    if kind == "DateField":
        return connection.ops.adapt_datefield_value
    return None


def _rows(fields, records: Sequence[dict], constants: dict[str, object]) -> list[tuple]:
    """Value tuples in field order from dicts keyed by attname; a missing key takes the field's
    default; `constants` (already adapted) override both. Written for speed: one comprehension
    per row, then only the date columns converted."""
    pairs, converted, fixed = [], [], []
    for index, field in enumerate(fields):
        default = field.get_default() if field.has_default() or not field.null else None
        pairs.append((field.attname, default))
        if field.attname in constants:
            fixed.append((index, constants[field.attname]))
        elif (convert := _converter(field)) is not None:
            converted.append((index, convert))
    rows = []
    for record in records:
        row = [record.get(attname, default) for attname, default in pairs]
        for index, value in fixed:
            row[index] = value
        for index, convert in converted:
            if row[index] is not None:
                row[index] = convert(row[index])
        rows.append(tuple(row))
    return rows


def _insert(table: str, fields: Sequence[models.Field], rows: list[tuple]) -> None:
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {quote(table)} ({columns}) VALUES ({marks})", rows)  # noqa: S608


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
    shares with the model, then the history's own columns (the same for every row)."""
    history = model.history.model
    position = {f.attname: i for i, f in enumerate(fields)}
    shared = [f for f in history._meta.concrete_fields if f.attname in position]
    own = {
        "history_date": stamped,
        "history_change_reason": None,
        "history_type": "+",
        "history_user_id": actor.pk,
    }
    own_fields = [f for f in history._meta.concrete_fields if f.attname in own]
    pick = operator.itemgetter(*(position[f.attname] for f in shared))
    tail = tuple(own[f.attname] for f in own_fields)
    _insert(history._meta.db_table, [*shared, *own_fields], [pick(row) + tail for row in rows])
