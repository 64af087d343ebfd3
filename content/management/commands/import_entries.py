from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from content.importing import KINDS, import_file
from content.management.commands._progress import progress_bar


class Command(BaseCommand):
    help = (
        "Import findings and practices from a CSV, XLSX or JSON file, all or nothing, upserting by slug. "
        "Reports each invalid row and field; with --dry-run writes nothing and says what would change."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help=".csv, .xlsx or .json")
        parser.add_argument(
            "--kind", choices=KINDS, help="What the rows are when the file does not say (CSV without entry_type)"
        )
        parser.add_argument("--dry-run", action="store_true", help="Validate and preview only; write nothing.")

    def handle(self, *args, file, kind=None, dry_run=False, verbosity=1, **options):
        path = Path(file)
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"{path}: cannot be read: {exc}") from None
        try:
            report = import_file(
                path.name, content, default_kind=kind, dry_run=dry_run, progress=progress_bar(verbosity)
            )
        except Exception as exc:  # an unforeseen failure: one transaction, so nothing was written
            raise CommandError(
                f"{path}: could not be imported ({type(exc).__name__}: {exc}); nothing was imported."
            ) from None
        if not report.ok:
            raise CommandError(f"{len(report.problems)} problem(s); nothing was imported.\n" + report.text())
        if verbosity:
            self.stdout.write(self.style.SUCCESS(report.text()))
