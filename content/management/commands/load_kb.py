from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from content.loader import ContentError, load_bundle


class Command(BaseCommand):
    help = (
        "Load the content bundle (vocabularies, sources, conferences, findings, practices) into the "
        "database, all or nothing. Safe to run again: records are upserted by slug."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=None, help="Bundle folder or .zip (default: fixtures/)")
        parser.add_argument("--check", action="store_true", help="Validate only; write nothing.")

    def handle(self, *args, path=None, check=False, **options):
        root = path or settings.KB_FIXTURES_DIR
        try:
            result = load_bundle(root, dry_run=check)
        except ContentError as exc:
            raise CommandError(exc.report()) from None
        verb = "Checked" if check else "Loaded"
        summary = ", ".join(f"{count} {name}" for name, count in result.counts.items())
        self.stdout.write(self.style.SUCCESS(f"{verb} {root}: {summary}."))
