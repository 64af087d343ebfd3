"""Importing findings and practices: all or nothing, errors by row and field, idempotent, three formats."""

import json

import pytest
from django.core.management import CommandError, call_command

from content.importing import import_file, read_entries_file
from practices.models import Finding, Practice, Status
from tests.content.import_files import QUOTE_A, csv_bytes, practice_row, xlsx_bytes

pytestmark = pytest.mark.django_db


def test_a_valid_csv_creates_practices_with_their_vocabularies_as_drafts():
    report = import_file(
        "new.csv", csv_bytes([practice_row("imported-one"), practice_row("imported-two")]), default_kind="practices"
    )
    assert report.ok, report.text()
    assert [a.action for a in report.actions] == ["create", "create"]
    practice = Practice.objects.get(slug="imported-one")
    assert practice.status == Status.DRAFT
    assert sorted(practice.pillars.values_list("slug", flat=True)) == ["promotion", "prosecution"]
    assert sorted(practice.regions.values_list("slug", flat=True)) == ["europe", "sub-saharan-africa"]
    assert list(practice.countries.values_list("code", flat=True)) == ["SN"]
    assert list(practice.articles.values_list("number", flat=True)) == [38]
    assert practice.section.code == "B" and practice.section.document.slug == "rome-2012-report"


def test_importing_the_same_file_twice_creates_nothing_the_second_time():
    content = csv_bytes([practice_row("imported-one"), practice_row("imported-two")])
    import_file("new.csv", content, default_kind="practices")
    count = Practice.objects.count()
    report = import_file("new.csv", content, default_kind="practices")
    assert report.ok
    assert [a.action for a in report.actions] == ["unchanged", "unchanged"]
    assert Practice.objects.count() == count


def test_a_file_with_any_invalid_row_imports_nothing_and_names_each_row_and_field():
    existing = Practice.objects.count()
    rows = [
        practice_row("good-row"),
        practice_row("bad-pillar", pillars="prevention; pretension"),
        practice_row("no-quote", quote=""),
        practice_row("good-row", title="The same slug again"),
        practice_row("invented-quote", quote="Words the report never said."),
        practice_row("bad-region", regions="atlantis", countries=""),
    ]
    report = import_file("bad.csv", csv_bytes(rows), default_kind="practices")
    problems = [str(p) for p in report.problems]
    assert not report.ok and report.actions == []
    assert "row 3 › pillars: unknown pillar 'pretension' — did you mean \"prevention\"?" in problems
    assert "row 4 › quote: is required" in problems
    assert any(p.startswith("row 5 › slug: 'good-row' is used twice (first at row 2)") for p in problems)
    assert any(p.startswith("row 6 › quote: not found in source 'rome-2012-report'") for p in problems)
    assert "row 7 › regions: unknown region 'atlantis'" in problems
    assert len(problems) == 5
    assert Practice.objects.count() == existing
    assert not Practice.objects.filter(slug="good-row").exists()


def test_a_quote_from_another_section_is_reported():
    report = import_file("q.csv", csv_bytes([practice_row("elsewhere", quote=QUOTE_A)]), default_kind="practices")
    assert [str(p) for p in report.problems] == ["row 2 › quote: is in rome-2012-report but not in its section 'B'"]


def test_preview_reports_creates_updates_and_unchanged_and_writes_nothing():
    import_file("a.csv", csv_bytes([practice_row("kept"), practice_row("changed")]), default_kind="practices")
    rows = [practice_row("kept"), practice_row("changed", title="A new title"), practice_row("brand-new")]
    report = import_file("b.csv", csv_bytes(rows), default_kind="practices", dry_run=True)
    assert report.ok
    assert {a.slug: a.action for a in report.actions} == {
        "kept": "unchanged",
        "changed": "update",
        "brand-new": "create",
    }
    assert "Would create 1, update 1, leave 1 unchanged." in report.text()
    assert not Practice.objects.filter(slug="brand-new").exists()
    assert Practice.objects.get(slug="changed").title == "Imported practice changed"


def test_xlsx_sheets_named_findings_and_practices_are_both_imported():
    finding = {
        "slug": "imported-finding",
        "kind": "fact",
        "title": "Experts met in Rome",
        "summary": "Development experts met in Rome in 2012.",
        "source": "rome-2012-report",
        "section": "A",
        "session": "rome-2012-introduction",
        "quote": QUOTE_A,
        "pillars": "promotion",
        "regions": "global",
        "articles": 38,
        "status": "in_review",
    }
    practice = practice_row("imported-practice", related_findings="imported-finding")
    report = import_file("book.xlsx", xlsx_bytes({"findings": [finding], "practices": [practice]}))
    assert report.ok, report.text()
    assert Finding.objects.get(slug="imported-finding").status == Status.IN_REVIEW
    assert list(Finding.objects.get(slug="imported-finding").articles.values_list("number", flat=True)) == [38]
    assert list(Practice.objects.get(slug="imported-practice").related_findings.values_list("slug", flat=True)) == [
        "imported-finding"
    ]


def test_xlsx_errors_name_the_sheet_and_row():
    report = import_file("book.xlsx", xlsx_bytes({"practices": [practice_row("x"), practice_row("y", pillars="nope")]}))
    assert [str(p) for p in report.problems] == ["row 3 › pillars: unknown pillar 'nope'"]


def test_json_uses_the_fixture_record_shape_with_lists():
    record = {
        "slug": "json-practice",
        "title": "From JSON",
        "summary": "Imported from a JSON file.",
        "source": "rome-2012-report",
        "section": "B",
        "quote": "prosecution to stop impunity of perpetrators",
        "extra_quotes": [{"section": "H", "quote": "such as sex tourism"}],
        "pillars": ["prosecution"],
        "regions": ["europe"],
        "target_groups": ["children"],
        "articles": [38],
        "practice_type": "legislation",
        "basis": "implemented",
        "rating_reason": "Implemented: the Convention establishes it.",
        "status": "published",
    }
    report = import_file("x.json", json.dumps({"practices": [record]}).encode())
    assert report.ok, report.text()
    practice = Practice.objects.get(slug="json-practice")
    assert practice.status == Status.PUBLISHED and practice.published_at is not None  # no user: the command line
    assert practice.extra_quotes.get().section.code == "H"


def test_json_errors_name_the_record():
    report = import_file("x.json", json.dumps({"findings": [{"slug": "Not A Slug"}]}).encode())
    problems = [str(p) for p in report.problems]
    assert "findings[1] › slug: 'Not A Slug' is not a slug (lowercase letters, digits and hyphens)" in problems
    assert "findings[1] › pillars: needs at least 1 value(s)" in problems


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("x.json", b"{not json", "is not valid JSON"),
        ("x.xlsx", b"not a workbook", "is not an Excel workbook"),
        ("x.txt", b"hello", "unsupported file type"),
        ("x.csv", b"slug,title\n", "holds no findings or practices"),
        ("x.csv", "slug\nabc\n".encode("utf-16"), "is not UTF-8 text"),
    ],
)
def test_unreadable_files_are_reported_not_raised(name, content, message):
    _, problems = read_entries_file(name, content, default_kind="practices")
    assert message in str(problems.items[0])


def test_csv_rows_without_a_kind_are_reported():
    report = import_file("x.csv", csv_bytes([practice_row("a")]))
    assert "row 2 › entry_type" in str(report.problems[0])


def test_entry_type_column_mixes_findings_and_practices_in_one_csv():
    header = ["entry_type", "slug", "kind", "title", "summary", "source", "section", "quote", "pillars", "regions",
              "target_groups", "practice_type", "basis", "rating_reason"]  # fmt: skip
    finding = {"entry_type": "finding", "slug": "mixed-finding", "kind": "fact", "title": "t", "summary": "s",
               "source": "rome-2012-report", "section": "A", "quote": QUOTE_A, "pillars": "promotion",
               "regions": "global"}  # fmt: skip
    practice = {k: v for k, v in practice_row("mixed-practice", entry_type="practice").items() if k in header}
    rows = [finding, practice]
    report = import_file("x.csv", csv_bytes(rows, header))
    assert report.ok, report.text()
    assert {(a.kind, a.slug) for a in report.actions} == {
        ("findings", "mixed-finding"),
        ("practices", "mixed-practice"),
    }


def test_import_entries_command_dry_run_and_errors(tmp_path):
    path = tmp_path / "p.csv"
    path.write_bytes(csv_bytes([practice_row("cli-practice")]))
    call_command("import_entries", str(path), "--kind", "practices", "--dry-run", verbosity=0)
    assert not Practice.objects.filter(slug="cli-practice").exists()
    call_command("import_entries", str(path), "--kind", "practices", verbosity=0)
    assert Practice.objects.filter(slug="cli-practice").exists()

    path.write_bytes(csv_bytes([practice_row("cli-bad", pillars="nope")]))
    with pytest.raises(CommandError) as error:
        call_command("import_entries", str(path), "--kind", "practices", verbosity=0)
    assert "row 2 › pillars: unknown pillar 'nope'" in str(error.value)
    assert "nothing was imported" in str(error.value)


def test_a_spreadsheet_without_some_columns_leaves_those_fields_of_existing_entries_alone():
    slug = "prosecuting-sexual-offences-committed-abroad"
    before = Practice.objects.get(slug=slug)
    pillars = set(before.pillars.values_list("slug", flat=True))
    content = csv_bytes([{"slug": slug, "title": "A better title"}], header=["slug", "title"])
    report = import_file("titles.csv", content, default_kind="practices")
    assert report.ok, report.text()
    assert [a.action for a in report.actions] == ["update"]
    after = Practice.objects.get(slug=slug)
    assert after.title == "A better title"
    assert (after.summary, after.quote, after.status) == (before.summary, before.quote, before.status)
    assert set(after.pillars.values_list("slug", flat=True)) == pillars
    assert after.extra_quotes.count() == 1


def test_a_new_entry_still_needs_every_required_column():
    content = csv_bytes([{"slug": "brand-new", "title": "Only a title"}], header=["slug", "title"])
    problems = [str(p) for p in import_file("titles.csv", content, default_kind="practices").problems]
    assert "row 2 › quote: is required" in problems and "row 2 › pillars: needs at least 1 value(s)" in problems
