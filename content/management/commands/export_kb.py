import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from content.exporting import entry_records, export_bundle, render_entries, zip_folder
from content.importing import KINDS
from content.management.commands._progress import progress_bar

FORMATS = ("bundle", "zip", "json", "xlsx", "csv")


def guess_format(destination: Path) -> str:
    suffix = destination.suffix.lower().lstrip(".")
    return suffix if suffix in FORMATS else "bundle"


class Command(BaseCommand):
    help = (
        "Export the whole knowledge base. bundle (a folder) and zip write the fixtures/ layout, which "
        "load_kb loads back; json and xlsx write every finding and practice in one file, csv a "
        "findings.csv and a practices.csv in a folder, all re-importable with import_entries."
    )

    def add_arguments(self, parser):
        parser.add_argument("destination", help="Folder or file to write")
        parser.add_argument("--format", choices=FORMATS, help="Default: from the destination's extension, else bundle")

    def handle(self, *args, destination, format=None, verbosity=1, **options):
        destination = Path(destination)
        fmt = format or guess_format(destination)
        progress = progress_bar(verbosity)
        if fmt in ("bundle", "csv") and destination.exists() and any(destination.iterdir()):
            raise CommandError(f"{destination} is not empty; choose a new folder.")
        if fmt == "bundle":
            counts = export_bundle(destination, progress=progress)
        elif fmt == "zip":
            with tempfile.TemporaryDirectory() as folder:
                counts = export_bundle(Path(folder), progress=progress)
                destination.parent.mkdir(parents=True, exist_ok=True)
                zip_folder(Path(folder), destination)
        else:
            records = {kind: entry_records(kind, progress=progress) for kind in KINDS}
            counts = {kind: len(items) for kind, items in records.items()}
            if fmt == "csv":
                destination.mkdir(parents=True, exist_ok=True)
                for kind, items in records.items():
                    (destination / f"{kind}.csv").write_bytes(render_entries({kind: items}, "csv"))
            else:
                destination.parent.mkdir(parents=True, exist_ok=True)
                destination.write_bytes(render_entries(records, fmt))
        if verbosity:
            summary = ", ".join(f"{count} {name}" for name, count in counts.items())
            self.stdout.write(self.style.SUCCESS(f"Exported to {destination} ({fmt}): {summary}."))
