"""The read-replica router (issue 11, item 6), tested with two connections to one server: a
``replica`` alias pointing at the test database."""

import pytest
from django.db import connections
from django.db.utils import load_backend
from django.test import override_settings

from config.routers import ReplicaRouter
from practices.models import Practice
from taxonomy.models import Pillar


@pytest.fixture
def replica_alias():
    connections.settings["replica"] = dict(connections.settings["default"])
    yield "replica"
    if hasattr(connections._connections, "replica"):
        connections["replica"].close()
        delattr(connections._connections, "replica")
    connections.settings.pop("replica", None)


@pytest.mark.django_db(transaction=False)
def test_reads_go_to_the_replica_and_writes_to_the_primary(replica_alias, monkeypatch):
    router = ReplicaRouter()
    with override_settings(DATABASE_ROUTERS=["config.routers.ReplicaRouter"]):
        assert Pillar.objects.all().db == "default"  # the test's own transaction: the primary
        monkeypatch.setattr(connections["default"], "in_atomic_block", False)  # as outside a test
        assert Pillar.objects.all().db == "replica"
        assert router.db_for_write(Practice) == "default"
        assert router.allow_migrate("replica", "practices") is False


@pytest.mark.django_db(transaction=False)
def test_a_second_connection_to_the_same_server_answers_reads():
    """What the router sends to the replica alias is answered by a second connection: here one
    opened with the replica's settings (the test database's), outside the test's transaction."""
    if connections["default"].vendor == "sqlite" and connections["default"].is_in_memory_db():
        pytest.skip("an in-memory SQLite database has no second connection; run on PostgreSQL")
    settings_dict = dict(connections["default"].settings_dict)
    replica = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, alias="default")
    try:
        with replica.cursor() as cursor:
            # the vocabularies are loaded (and committed) when the test database is set up
            cursor.execute("SELECT count(*) FROM taxonomy_pillar")
            assert cursor.fetchone()[0] == Pillar.objects.count() == 4
        assert replica.connection is not connections["default"].connection
    finally:
        replica.close()


def test_without_a_replica_everything_uses_the_primary():
    assert ReplicaRouter().db_for_read(Practice) == "default"
