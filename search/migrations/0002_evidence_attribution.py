"""A finding's attribution (who said it) joins its indexed text: the search objects are dropped
and created again with the new column list, then every entry is indexed afresh."""

from django.db import migrations


def reinstall(apps, schema_editor):
    from search import schema

    schema.uninstall(schema_editor.connection)
    schema.install(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial"), ("practices", "0003_evidence_basis_speakers")]

    operations = [migrations.RunPython(reinstall, reinstall)]
