"""Writing many new rows of one model at once: what `bulk_create` writes, on PostgreSQL through COPY.

The rows come as plain dicts (field attname → the value an instance would hold), not as model instances:
for the tens of thousands of records of an import, building an instance for each costs more than writing it.
A field a row leaves out takes its default, and `auto_now`/`auto_now_add` fields the moment of the call, as
`bulk_create` gives them. Each value is prepared for the database by its field as for an INSERT (decimals,
dates, JSON, amounts in cents); fields whose values go to the database as they are skip that step.
"""

import datetime

from django.db import connections, models, router
from django.utils import timezone
from django_fsm import FSMField

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


def insert_rows(model: type[models.Model], rows: list[dict], *, with_ids: bool = False) -> None:
    """Insert `rows` as new records of `model`. `with_ids`: each row gets its new "id", as `bulk_create` gives
    instances theirs (on PostgreSQL taken from the table's sequence in one query, then written explicitly)."""
    if not rows:
        return
    connection = connections[router.db_for_write(model)]
    if connection.vendor != "postgresql":
        created = model.objects.bulk_create([model(**row) for row in rows])
        if with_ids:
            for row, instance in zip(rows, created, strict=True):
                row["id"] = instance.pk
        return
    meta = model._meta
    with connection.cursor() as cursor, connection.wrap_database_errors:  # IntegrityError as from an INSERT
        if with_ids:
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                           [meta.db_table, meta.pk.column, len(rows)])
            for row, (pk,) in zip(rows, cursor.fetchall(), strict=True):
                row["id"] = pk
        fields = [field for field in meta.concrete_fields if not getattr(field, "generated", False)
                  and (with_ids or not field.primary_key)]
        now = timezone.now()
        plan = [(field.attname, *_default(field, now, connection), _preparation(field)) for field in fields]
        quote = connection.ops.quote_name
        columns = ", ".join(quote(field.column) for field in fields)
        with cursor.copy(f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([
                    default if always or name not in row
                    else row[name] if prepare is None
                    else None if (value := row[name]) is None else prepare(value, connection)
                    for name, default, always, prepare in plan])


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


def _default(field: models.Field, now, connection) -> tuple:
    """(value, always): what `bulk_create` writes for a row that leaves the field out, prepared for the database,
    and whether it writes that whatever the row holds (the moment of an `auto_now` or `auto_now_add` field)."""
    always = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    value = now if always else field.get_default()
    return (None if value is None else field.get_db_prep_save(value, connection)), always
