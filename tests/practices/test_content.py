"""The shipped content is faithful to its source and complete: every quote is verbatim, every
entry is classified and placed, and no section of the report is left without entries."""

import json
from pathlib import Path

import pytest
from django.conf import settings

from common.text import normalise_for_quote
from kb.models import Project, Section, Session
from practices.models import Finding, Practice, PracticeQuote, Status

pytestmark = pytest.mark.django_db

FIXTURES = Path(settings.KB_FIXTURES_DIR)


def fixture_records(kind):
    for path in sorted(FIXTURES.glob(f"*/{kind}*.json")):
        for record in json.loads(path.read_text(encoding="utf-8"))[kind]:
            yield path, record


def test_every_fixture_quote_is_verbatim_in_the_report_file():
    report = normalise_for_quote((FIXTURES / "sources" / "rome-2012-report.txt").read_text(encoding="utf-8"))
    missing = []
    for kind in ("findings", "practices"):
        for path, record in fixture_records(kind):
            quotes = [record["quote"]] + [extra["quote"] for extra in record.get("extra_quotes", [])]
            missing += [(path.name, record["slug"], q) for q in quotes if normalise_for_quote(q) not in report]
    assert missing == []


@pytest.mark.parametrize("model", [Finding, Practice])
def test_every_quote_stands_in_its_own_section(model):
    wrong = [
        entry.slug
        for entry in model.objects.select_related("section__document")
        if normalise_for_quote(entry.quote)
        not in normalise_for_quote(entry.section.document.text[entry.section.start : entry.section.end])
    ]
    assert wrong == []


def test_extra_and_project_quotes_stand_in_their_sections():
    quoted = list(PracticeQuote.objects.select_related("section__document")) + list(
        Project.objects.exclude(quote="").select_related("section__document")
    )
    assert quoted
    wrong = [
        str(item)
        for item in quoted
        if normalise_for_quote(item.quote)
        not in normalise_for_quote(item.section.document.text[item.section.start : item.section.end])
    ]
    assert wrong == []


def test_the_report_is_covered_in_full():
    assert Finding.objects.published().count() >= 80
    assert Practice.objects.published().count() >= 30
    sections = Section.objects.filter(document__slug="rome-2012-report")
    assert sorted(sections.filter(parent=None).values_list("code", flat=True)) == sorted([*"ABCDEFGHIJK", "closing"])
    empty = [s.code for s in sections if not s.findings.exists() and not s.practices.exists()]
    assert empty == []
    for kind in ["introduction", "opening", "objectives", "panel", "working-group", "results", "closing-remarks"]:
        assert Session.objects.filter(kind=kind).exists(), kind
    assert Session.objects.filter(kind="panel").count() == 4
    assert Session.objects.filter(kind="working-group").count() == 3
    idle = [s.slug for s in Session.objects.all() if not s.findings.exists()]
    assert idle == []


@pytest.mark.parametrize("model", [Finding, Practice])
def test_every_entry_is_published_classified_and_placed(model):
    entries = model.objects.with_relations()
    assert all(entry.status == Status.PUBLISHED for entry in entries)
    problems = [
        entry.slug
        for entry in entries
        if not entry.pillars.all() or not entry.regions.all() or entry.session is None or not entry.summary
    ]
    assert problems == []


def test_every_practice_is_complete_and_its_links_resolve():
    for practice in Practice.objects.prefetch_related("target_groups", "implementers", "projects"):
        assert practice.target_groups.exists(), practice.slug
        assert practice.practice_type in Practice.PracticeType.values
        assert practice.evidence_level in Practice.EvidenceLevel.values
        assert practice.session.conference_id == practice.section.document.conference_id
    linked_findings = {slug for _, record in fixture_records("practices") for slug in record["related_findings"]}
    assert linked_findings <= set(Finding.objects.values_list("slug", flat=True))
    unlinked = Practice.objects.filter(related_findings__isnull=True).values_list("slug", flat=True)
    assert list(unlinked) == [], "every practice links the findings that rest on the same passage"


def test_articles_the_report_names_are_linked():
    cited = set(Finding.objects.values_list("articles__number", flat=True)) | set(
        Practice.objects.values_list("articles__number", flat=True)
    )
    assert {5, 6, 8, 9, 38} <= cited


def test_sessions_name_the_report_organisations():
    panel = Session.objects.get(slug="rome-2012-mediterranean-panel")
    assert {"himaya", "iom", "ncm-anti-trafficking-unit-egypt"} <= set(
        panel.organisations.values_list("slug", flat=True)
    )
    assert set(panel.projects.values_list("slug", flat=True)) == {
        "salem-project-morocco",
        "mosa-child-centered-initiative-lebanon",
    }
