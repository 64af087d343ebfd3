"""The read-replica router (issue 11, item 6), tested with two connections to one server: a
``replica`` alias pointing at the test database."""

import pytest
from django.db import connections
from django.test import override_settings

from config.routers import ReplicaRouter
from practices.models import Practice
from taxonomy.models import Pillar


@pytest.fixture
def replica_alias():
    connections.settings["replica"] = dict(connections.settings["default"])
    yield "replica"
    connections["replica"].close()
    del connections.settings["replica"]
    del connections["replica"]


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
def test_a_second_connection_to_the_same_server_answers_reads(replica_alias, monkeypatch):
    if connections["default"].vendor == "sqlite" and connections["default"].is_in_memory_db():
        pytest.skip("an in-memory SQLite database has no second connection; run on PostgreSQL")
    assert connections["replica"] is not connections["default"]
    with override_settings(DATABASE_ROUTERS=["config.routers.ReplicaRouter"]):
        # the vocabularies are loaded (and committed) when the test database is set up
        assert Pillar.objects.using("replica").count() == 4
        monkeypatch.setattr(connections["default"], "in_atomic_block", False)
        assert Pillar.objects.all().db == "replica"
        assert Pillar.objects.count() == 4


def test_without_a_replica_everything_uses_the_primary():
    assert ReplicaRouter().db_for_read(Practice) == "default"
