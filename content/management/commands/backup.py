import tempfile
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from content.backups import BackupError, backup_database
from content.exporting import export_bundle, zip_folder
from content.management.commands._progress import progress_bar


def default_backup_dir() -> Path:
    return Path(settings.KB_BACKUP_DIR)


class Command(BaseCommand):
    help = (
        "Back up the whole database (every table: entries with their workflow fields, history, users, groups, "
        "permissions, correction reports, suggestions): pg_dump custom format on PostgreSQL, the SQLite online "
        "backup API otherwise. Restore with `manage.py restore <file>`. --bundle writes the content export instead."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dir", default=None, help="Where to write it (default: var/backups/)")
        parser.add_argument(
            "--bundle", action="store_true", help="Write only the content, as a bundle zip (load_kb reads it)"
        )

    def handle(self, *args, dir=None, bundle=False, verbosity=1, **options):
        folder = Path(dir) if dir else default_backup_dir()
        folder.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        if bundle:
            destination = folder / f"kb-backup-{stamp}.zip"
            with tempfile.TemporaryDirectory() as bundle_dir:
                counts = export_bundle(Path(bundle_dir), progress=progress_bar(verbosity))
                zip_folder(Path(bundle_dir), destination)
            summary = ", ".join(f"{count} {name}" for name, count in counts.items())
        else:
            try:
                destination = backup_database(folder / f"kb-backup-{stamp}")
            except BackupError as exc:
                raise CommandError(str(exc)) from None
            summary = f"the whole database, {destination.stat().st_size:,} bytes"
        if verbosity:
            self.stdout.write(self.style.SUCCESS(f"Backed up to {destination}: {summary}."))
        return None
