"""Read-heavy reports on a replica (config.routers): a report's reads go there when it asks; writes never do.

The replica here is a SQLite file of its own next to the test database, holding a table the primary also
has; what is on which one shows where a query went.
"""

import pytest
from django.contrib.auth.models import Group
from django.db import DEFAULT_DB_ALIAS, connections

from config.routers import REPLICA, replica_alias, reports_on_replica


@pytest.fixture
def replica(db, tmp_path):
    connections.settings[REPLICA] = connections.configure_settings({
        DEFAULT_DB_ALIAS: connections.settings[DEFAULT_DB_ALIAS],
        REPLICA: {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "replica.sqlite3")},
    })[REPLICA]
    # Connected here, once: the test case allows connections only to the databases it knew when it started.
    connections[REPLICA].connect()
    with connections[REPLICA].schema_editor() as editor:
        editor.create_model(Group)
    yield REPLICA
    connections[REPLICA].close()
    del connections[REPLICA]
    del connections.settings[REPLICA]


def test_a_report_reads_from_the_replica_and_everything_else_from_the_primary(replica):
    Group.objects.using(replica).create(name="on the replica")
    Group.objects.create(name="on the primary")

    with reports_on_replica():
        assert list(Group.objects.values_list("name", flat=True)) == ["on the replica"]
    assert list(Group.objects.values_list("name", flat=True)) == ["on the primary"]


def test_a_write_inside_a_report_goes_to_the_primary(replica):
    for database in (DEFAULT_DB_ALIAS, replica):  # replicated
        Group.objects.using(database).create(pk=1, name="read there")

    with reports_on_replica():
        Group.objects.create(name="written")
        read_there = Group.objects.get(name="read there")
        read_there.name = "changed"
        read_there.save()

    assert list(Group.objects.using(replica).values_list("name", flat=True)) == ["read there"]
    assert set(Group.objects.using(DEFAULT_DB_ALIAS).values_list("name", flat=True)) == {"written", "changed"}


def test_without_a_replica_a_report_reads_the_primary(db):
    Group.objects.create(name="on the primary")

    with reports_on_replica():
        assert replica_alias() == DEFAULT_DB_ALIAS
        assert Group.objects.filter(name="on the primary").exists()


def test_the_replica_gets_no_migrations(replica):
    from django.db import router

    assert router.allow_migrate(DEFAULT_DB_ALIAS, "households")
    assert not router.allow_migrate(REPLICA, "households")
