"""Full-text search objects (see search/schema.py): PostgreSQL search vectors, triggers and GIN
indexes, or SQLite FTS5 tables and triggers, depending on the database."""

from django.db import migrations


def install(apps, schema_editor):
    from search import schema

    schema.install(schema_editor.connection)


def uninstall(apps, schema_editor):
    from search import schema

    schema.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("practices", "0001_initial")]

    operations = [migrations.RunPython(install, uninstall)]
