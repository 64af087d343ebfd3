"""The postings tables (search/schema.py ``posting_table``): created on PostgreSQL with their
triggers, and filled from the published entries' vectors."""

from django.db import migrations


def install(apps, schema_editor):
    from search import schema

    connection = schema_editor.connection
    if connection.vendor == "postgresql":  # SQLite answers from its FTS5 tables, unchanged
        schema.install(connection, rebuild=False)
        with connection.cursor() as cursor:
            for statement in schema.postings_rebuild():
                cursor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("search", "0004_vectors_in_the_row")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
