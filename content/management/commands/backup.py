import tempfile
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from content.exporting import export_bundle, zip_folder
from content.management.commands._progress import progress_bar


def default_backup_dir() -> Path:
    return Path(settings.KB_BACKUP_DIR)


class Command(BaseCommand):
    help = "Write a timestamped full export (a zip of the bundle; restore with `load_kb <file>.zip`)."

    def add_arguments(self, parser):
        parser.add_argument("--dir", default=None, help="Where to write it (default: var/backups/)")

    def handle(self, *args, dir=None, verbosity=1, **options):
        folder = Path(dir) if dir else default_backup_dir()
        folder.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        destination = folder / f"kb-backup-{stamp}.zip"
        with tempfile.TemporaryDirectory() as bundle:
            counts = export_bundle(Path(bundle), progress=progress_bar(verbosity))
            zip_folder(Path(bundle), destination)
        if verbosity:
            summary = ", ".join(f"{count} {name}" for name, count in counts.items())
            self.stdout.write(self.style.SUCCESS(f"Backed up to {destination}: {summary}."))
        return None
