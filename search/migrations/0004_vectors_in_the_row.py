"""The search vectors are kept in their rows (storage MAIN, see search/schema.py): the schema is
installed again on PostgreSQL, and every row's vector recomputed so that existing ones move out of TOAST."""

from django.db import migrations


def install(apps, schema_editor):
    from search import schema

    if schema_editor.connection.vendor == "postgresql":  # SQLite's FTS5 tables are unchanged
        schema.install(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("search", "0003_i18n_french_fields")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
