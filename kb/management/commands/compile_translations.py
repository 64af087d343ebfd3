"""Compile the translations (``locale/<lang>/LC_MESSAGES/*.po``) to ``.mo`` files in pure Python
(polib), so that no GNU gettext is needed: Django's ``compilemessages`` needs ``msgfmt``.
Fuzzy and untranslated entries are left out, as ``msgfmt`` does."""

from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand


def catalogues():
    for locale_dir in settings.LOCALE_PATHS:
        yield from sorted(Path(locale_dir).glob("*/LC_MESSAGES/*.po"))


class Command(BaseCommand):
    help = "Compile locale/*/LC_MESSAGES/*.po to .mo (pure Python, no gettext needed)."

    def handle(self, *args, **options):
        for po_path in catalogues():
            catalogue = polib.pofile(str(po_path))
            catalogue.save_as_mofile(str(po_path.with_suffix(".mo")))
            if options["verbosity"]:
                self.stdout.write(f"{po_path}: {len(catalogue.translated_entries())} translated")
