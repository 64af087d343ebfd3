"""Reads to a replica, writes to the primary, when ``DATABASE_REPLICA_URL`` is set."""

from django.db import connections

REPLICA = "replica"


class ReplicaRouter:
    """Public pages only read, so they read from the replica. Anything inside a transaction on the
    primary (a curator's save, an import, a publish) reads the primary too, so it sees its own
    writes whatever the replication lag; migrations run on the primary only."""

    def db_for_read(self, model, **hints):
        if REPLICA not in connections.settings or connections["default"].in_atomic_block:
            return "default"
        return REPLICA

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica is a copy of the primary: same rows, same ids

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
