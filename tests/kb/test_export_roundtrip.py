"""A full export, loaded into an empty database, reproduces the knowledge base exactly."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from content.exporting import export_bundle
from content.loader import load_bundle
from practices.models import Finding, Practice
from tests.factories import SOURCE_TEXT, ConferenceFactory, PracticeFactory, SourceDocumentFactory
from tests.kb.kb_snapshot import CONTENT_MODELS, empty_kb, snapshot_kb

pytestmark = pytest.mark.django_db


def test_a_full_export_reloaded_into_an_empty_database_is_identical(tmp_path):
    before = snapshot_kb()
    export_bundle(tmp_path / "bundle")
    empty_kb()
    assert all(not model.objects.exists() for model in CONTENT_MODELS)

    load_bundle(tmp_path / "bundle")

    after = snapshot_kb()
    for name in before:
        assert after[name] == before[name], name
    assert Practice.objects.count() >= 60 and Finding.objects.count() >= 200


def test_round_trip_keeps_curator_additions_a_second_source_and_a_standalone_report(tmp_path):
    from common.problems import Problems
    from content.conferences import save_sections

    conference = ConferenceFactory(slug="strasbourg-2030")
    second = SourceDocumentFactory(slug="strasbourg-2030-report", conference=conference, text=SOURCE_TEXT)
    standalone = SourceDocumentFactory(slug="annual-report", conference=None, text=SOURCE_TEXT)
    for document in (second, standalone):
        problems = Problems()
        save_sections(
            document,
            [
                {"code": "A", "title": "Opening", "heading": "A. Opening"},
                {"code": "B", "title": "Results", "heading": "B. Results"},
            ],
            document.slug,
            problems,
        )
        assert not problems
    practice = PracticeFactory(slug="standalone-practice", session=None, section=standalone.sections.get(code="B"))
    practice.session = None
    practice.quote = "Databases for best practices and virtual desks should be created."
    practice.published_at = timezone.now()
    practice.save()
    before = snapshot_kb()

    call_command("export_kb", str(tmp_path / "kb.zip"), "--format", "zip", verbosity=0)
    empty_kb()
    call_command("load_kb", str(tmp_path / "kb.zip"), verbosity=0)

    assert snapshot_kb() == before
