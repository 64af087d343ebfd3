"""The French title and summary of entries join the full-text index (see search/schema.py): the
FTS5 tables gain two columns (so they are rebuilt) and the PostgreSQL vectors a French part."""

from django.db import migrations


def reinstall(apps, schema_editor):
    from search import schema

    schema.uninstall(schema_editor.connection)
    schema.install(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("search", "0002_evidence_attribution"), ("practices", "0006_i18n_french_title_summary")]

    operations = [migrations.RunPython(reinstall, reinstall)]
