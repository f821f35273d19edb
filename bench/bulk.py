"""Writing many rows at once: PostgreSQL's COPY (psycopg 3), `bulk_create` in batches elsewhere.

Rows are dicts of attribute names (`id`, `line_id`, `amount`, …) to Python values as a model holds
them (amounts as Decimal); each row gives its id, so that other rows can refer to it. Fields a row
leaves out take their model default, so a field added to a model later does not break the bench.
COPY skips `save()`, `auto_now` and the model's checks: the callers give every value the invariants
need (statuses, cached totals, reference counter) themselves.
"""

from collections.abc import Iterable, Iterator
from itertools import islice

from django.db import connection, models

BATCH = 5_000


def insert(model: type[models.Model], rows: Iterable[dict]) -> int:
    """Insert the rows into the model's table; returns how many."""
    if connection.vendor == "postgresql":
        return _copy(model, rows)
    written = 0
    for batch in _batches(rows, BATCH):
        model.objects.bulk_create([model(**row) for row in batch], batch_size=BATCH)
        written += len(batch)
    return written


def _copy(model: type[models.Model], rows: Iterable[dict]) -> int:
    fields = model._meta.concrete_fields  # the id too: callers give ids, so other rows can refer to them
    defaults = {field.attname: field.get_default() for field in fields}
    # Fields whose database value differs from the Python value (whole cents, JSON) are converted by the field.
    converted = [field for field in fields if not isinstance(field, PLAIN_FIELDS)]
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    written = 0
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            values = {**defaults, **row}
            for field in converted:
                values[field.attname] = field.get_db_prep_save(values[field.attname], connection)
            copy.write_row([values[field.attname] for field in fields])
            written += 1
    return written


PLAIN_FIELDS = (models.AutoField, models.BigAutoField, models.CharField, models.TextField, models.IntegerField,
                models.BooleanField, models.DateField, models.ForeignKey)  # DateTimeField is a DateField


def reset_sequence(model: type[models.Model]) -> None:
    """After rows were written with their own ids: the next id the database hands out comes after them."""
    statements = connection.ops.sequence_reset_sql(_no_style(), [model])
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def next_id(model: type[models.Model]) -> int:
    return (model.objects.aggregate(highest=models.Max("pk"))["highest"] or 0) + 1


def _no_style():
    from django.core.management.color import no_style

    return no_style()


def _batches(rows: Iterable[dict], size: int) -> Iterator[list[dict]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch
