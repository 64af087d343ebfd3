from django.apps import AppConfig
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder
from django.db.models.signals import post_migrate

from search import schema


def repair_search_index(sender, using="default", **kwargs):
    """Put back triggers a later migration may have dropped (SQLite table rebuilds)."""
    connection = connections[using]
    if MigrationRecorder(connection).migration_qs.filter(app="search").exists():
        schema.ensure_installed(connection)


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "Search"

    def ready(self):
        post_migrate.connect(repair_search_index, sender=self, dispatch_uid="search-repair-index")
