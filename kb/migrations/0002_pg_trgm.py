"""pg_trgm for duplicate detection (content.duplicates). Idempotent, and PostgreSQL only; never dropped
on the way back, since other apps (search) may use it too."""

from django.db import migrations


def create_pg_trgm(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")


class Migration(migrations.Migration):
    dependencies = [("kb", "0001_initial")]

    operations = [migrations.RunPython(create_pg_trgm, migrations.RunPython.noop)]
