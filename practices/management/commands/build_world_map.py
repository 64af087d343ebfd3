"""Build fixtures/geo/world-map.json, the world map's shapes, from Natural Earth's TopoJSON in the
npm package world-atlas (`make world-map` installs it under var/npm and runs this)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from practices.world_geometry import DEFAULT_SOURCE, GEOMETRY_FILE, build_from_file, dumps


class Command(BaseCommand):
    help = (
        "Project and simplify world-atlas's countries-50m.json (Natural Earth) into fixtures/geo/world-map.json; "
        "--check compares instead of writing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE, help="world-atlas's countries-50m.json")
        parser.add_argument("--output", type=Path, default=GEOMETRY_FILE)
        parser.add_argument("--check", action="store_true", help="fail if the output differs from a fresh build")

    def handle(self, *args, source, output, check, **options):
        if not source.exists():
            raise CommandError(f"{source} not found: run `make world-map`, or pass --source path/to/countries-50m.json")
        text = dumps(build_from_file(source))
        if check:
            if not output.exists() or output.read_text(encoding="utf-8") != text:
                raise CommandError(f"{output} is not what {source} gives: run `manage.py build_world_map`.")
            self.stdout.write(f"{output} is up to date.")
            return
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
        self.stdout.write(f"Wrote {output} ({len(text.encode()):,} bytes).")
