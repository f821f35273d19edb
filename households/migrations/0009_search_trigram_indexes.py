"""Trigram indexes for the household search, on PostgreSQL only (issue 10).

The search (`households.selectors.matches_search`) finds a text anywhere in the contact person's name,
the reference, the street and the postcode: Django's `icontains`, which PostgreSQL runs as
`UPPER(column::text) LIKE UPPER('%text%')`. A GIN index with pg_trgm's `gin_trgm_ops` on that very
expression answers it without reading the register. SQLite has no such index (nor needs one at the
demo's scale), so the indexes are made here by SQL on PostgreSQL and are not in the models' Meta: a
table rebuilt by SQLite's schema editor would try to make them again.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

# (index, table, column)
SEARCHED = [
    ("household_contact_name_trgm", "households_household", "contact_name"),
    ("household_reference_trgm", "households_household", "reference"),
    ("dwelling_street_trgm", "households_dwelling", "street"),
    ("dwelling_postcode_trgm", "households_dwelling", "postcode"),
]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for index, table, column in SEARCHED:
        schema_editor.execute(f'CREATE INDEX IF NOT EXISTS "{index}" ON "{table}" '
                              f'USING gin (UPPER("{column}"::text) gin_trgm_ops)')


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for index, _table, _column in SEARCHED:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{index}"')


class Migration(migrations.Migration):

    dependencies = [
        ("households", "0008_dwelling_postcode_index"),
    ]

    operations = [
        TrigramExtension(),  # does nothing on SQLite
        migrations.RunPython(create_indexes, drop_indexes),
    ]
