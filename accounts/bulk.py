"""Writing many new rows of one model at once: what `bulk_create` writes, on PostgreSQL through COPY.

The rows come as plain dicts (field attname → the value an instance would hold), not as model instances:
for the tens of thousands of records of an import, building an instance for each costs more than writing it.
A field a row leaves out takes its default, and an `auto_now`/`auto_now_add` field the moment of the call;
a row may give its own (the bench writes a history spread over years). Each value is prepared for the
database by its field as for an INSERT (decimals, dates, JSON, amounts in cents); fields whose values go to
the database as they are skip that step. Rows are written as they come, so a generator of a million rows
is never held in memory at once.
"""

import datetime
from collections.abc import Iterable
from itertools import batched

from django.db import connections, models, router
from django.utils import timezone
from django_fsm import FSMField

BATCH = 5_000  # rows per INSERT where there is no COPY

# Field types (exactly these, not subclasses: a subclass may prepare its values) whose Python values psycopg
# writes as they are: text, whole numbers, booleans and the ids of foreign keys.
AS_THEY_ARE = {models.AutoField, models.BigAutoField, models.CharField, models.TextField, models.EmailField,
               models.SlugField, models.IntegerField, models.BigIntegerField, models.SmallIntegerField,
               models.PositiveIntegerField, models.PositiveSmallIntegerField, models.PositiveBigIntegerField,
               models.BooleanField, models.ForeignKey, models.OneToOneField}

# Field types whose values of a certain kind psycopg writes as they are (other values are prepared by the field).
AS_THEY_ARE_WHEN = {
    models.DateTimeField: lambda value: isinstance(value, datetime.datetime) and value.tzinfo is not None,
    models.DateField: lambda value: type(value) is datetime.date,
    FSMField: lambda value: isinstance(value, str),
}


def insert_rows(model: type[models.Model], rows: Iterable[dict], *, with_ids: bool = False,
                own_ids: bool = False) -> int:
    """Insert `rows` as new records of `model`; returns how many.

    `with_ids`: each row (of a list) gets its new "id", as `bulk_create` gives instances theirs (on PostgreSQL
    taken from the table's sequence in one query, then written explicitly). `own_ids`: each row gives its
    "id" (the caller moves the table's sequence past them afterwards).
    """
    if isinstance(rows, list) and not rows:
        return 0
    connection = connections[router.db_for_write(model)]
    if connection.vendor != "postgresql":
        return _bulk_create(model, rows, with_ids=with_ids)
    meta = model._meta
    written = 0
    with connection.cursor() as cursor, connection.wrap_database_errors:  # IntegrityError as from an INSERT
        if with_ids:
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                           [meta.db_table, meta.pk.column, len(rows)])
            for row, (pk,) in zip(rows, cursor.fetchall(), strict=True):
                row["id"] = pk
        fields = [field for field in meta.concrete_fields if not getattr(field, "generated", False)
                  and (with_ids or own_ids or not field.primary_key)]
        plan = [(field.attname, _default(field, timezone.now(), connection), _preparation(field)) for field in fields]
        quote = connection.ops.quote_name
        columns = ", ".join(quote(field.column) for field in fields)
        with cursor.copy(f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([
                    default if name not in row
                    else row[name] if prepare is None
                    else None if (value := row[name]) is None else prepare(value, connection)
                    for name, default, prepare in plan])
                written += 1
    return written


def _bulk_create(model: type[models.Model], rows: Iterable[dict], *, with_ids: bool) -> int:
    written = 0
    for batch in batched(rows, BATCH):
        created = model.objects.bulk_create([model(**row) for row in batch])
        if with_ids:
            for row, instance in zip(batch, created, strict=True):
                row["id"] = instance.pk
        written += len(batch)
    return written


def _preparation(field: models.Field):
    """None for a field whose values go to the database as they are; otherwise how to prepare a value."""
    if type(field) in AS_THEY_ARE:
        return None
    if type(field) in AS_THEY_ARE_WHEN:  # e.g. an aware datetime as it is; a naive one is made aware first
        written_as_is = AS_THEY_ARE_WHEN[type(field)]

        def prepare(value, connection):
            return value if written_as_is(value) else field.get_db_prep_save(value, connection)

        return prepare
    return field.get_db_prep_save


def _default(field: models.Field, now, connection):
    """What `bulk_create` writes for a row that leaves the field out, prepared for the database."""
    auto = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    value = now if auto else field.get_default()
    return None if value is None else field.get_db_prep_save(value, connection)
