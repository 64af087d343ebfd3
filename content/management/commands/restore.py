from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from content.backups import BackupError, create_postgres_database, fingerprints, open_database, restore_database


class Command(BaseCommand):
    help = (
        "Restore a backup written by `manage.py backup` (.dump: pg_restore; .sqlite3: the SQLite backup API). "
        "By default over the configured database (its tables are replaced); --database restores into another "
        "PostgreSQL database (created if --create) or SQLite file instead."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="kb-backup-<time>.dump or .sqlite3")
        parser.add_argument("--database", default=None, help="Another database name (PostgreSQL) or file (SQLite)")
        parser.add_argument("--create", action="store_true", help="Create the --database first (PostgreSQL)")
        parser.add_argument("--noinput", "--no-input", action="store_true", help="Do not ask before replacing")

    def handle(self, *args, file, database=None, create=False, noinput=False, verbosity=1, **options):
        path = Path(file)
        expected = ".dump" if connection.vendor == "postgresql" else ".sqlite3"
        if path.suffix != expected:
            raise CommandError(f"{path}: a {connection.vendor} backup ends in {expected}")
        target = database or connection.settings_dict["NAME"]
        if database is None and not noinput:
            answer = input(f"This replaces every table of {target} with {path.name}. Type 'yes' to continue: ")
            if answer.strip().lower() != "yes":
                raise CommandError("Restore cancelled.")
        try:
            if create and connection.vendor == "postgresql" and database:
                create_postgres_database(database)
            restore_database(path, database=database)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        if verbosity:
            raw = open_database(connection.vendor, connection.settings_dict, str(target))
            try:
                tables = fingerprints(raw, connection.vendor)
            finally:
                raw.close()
            rows = sum(count for count, _ in tables.values())
            self.stdout.write(
                self.style.SUCCESS(f"Restored {path.name} into {target}: {len(tables)} tables, {rows} rows.")
            )
