"""Issue 13: CSV files as Excel writes them (semicolons or tabs; UTF-8 with or without BOM, or
Windows-1252) import like comma-separated UTF-8; the preview says what was detected; templates per
kind download with the header, an example row and every valid code; vocabulary errors say "did you mean"."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from content.import_templates import render_template, template_columns
from content.importing import describe_csv, import_file
from practices.models import Practice
from tests.content.import_files import HEADER, practice_row

pytestmark = pytest.mark.django_db


def delimited(rows, delimiter=",", encoding="utf-8"):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=HEADER, delimiter=delimiter)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


@pytest.mark.parametrize(
    ("delimiter", "encoding", "detected"),
    [
        (";", "utf-8-sig", "UTF-8 with BOM, separated by semicolons"),
        (";", "cp1252", "Windows-1252 (cp1252), separated by semicolons"),
        ("\t", "utf-8", "UTF-8, separated by tabs"),
        (",", "utf-8", "UTF-8, separated by commas"),
    ],
)
def test_excel_csv_variants_import_and_say_what_was_detected(delimiter, encoding, detected):
    rows = [practice_row("sniffed-import", title="Protección à l'école"), practice_row("sniffed-import-2")]
    content = delimited(rows, delimiter, encoding)
    assert describe_csv(content) == detected
    report = import_file("excel.csv", content, default_kind="practices")
    assert report.ok, report.text()
    assert Practice.objects.get(slug="sniffed-import").title == "Protección à l'école"


def test_the_preview_shows_the_detected_format(admin_client):
    content = delimited([practice_row("sniffed-admin")], ";", "utf-8-sig")
    file = SimpleUploadedFile("fr.csv", content, content_type="text/csv")
    page = admin_client.post(reverse("admin:practices_practice_import"), {"file": file}).content.decode()
    assert "Read as UTF-8 with BOM, separated by semicolons." in page
    assert "Would create 1" in page


def test_vocabulary_errors_say_did_you_mean():
    rows = [
        practice_row("typo-1", pillars="prosecuton", regions="Europe", countries="Italy"),
        practice_row("typo-2", practice_type="Policy"),
    ]
    report = import_file("typos.csv", delimited(rows), default_kind="practices")
    problems = [str(problem) for problem in report.problems]
    assert "row 2 › pillars: unknown pillar 'prosecuton' — did you mean \"prosecution\"?" in problems
    assert "row 2 › regions: unknown region 'Europe' — did you mean \"europe\"?" in problems
    assert "row 2 › countries: unknown country 'Italy' — did you mean \"IT\"?" in problems
    assert any(p.startswith("row 3 › practice_type: 'Policy' is not one of") and 'did you mean "policy"' in p
               for p in problems)  # fmt: skip


@pytest.mark.parametrize("kind", ["practices", "findings"])
def test_the_xlsx_template_has_header_example_and_codes_and_imports_unchanged(kind):
    workbook = load_workbook(io.BytesIO(render_template(kind, "xlsx")))
    template, codes = workbook.worksheets
    header = [cell.value for cell in template[1]]
    assert header == template_columns(kind) and template.max_row == 2
    coded = {(row[0], row[1]) for row in codes.iter_rows(min_row=2, values_only=True)}
    assert ("pillars", "prevention") in coded and ("countries", "IT") in coded and ("status", "draft") in coded
    if kind == "practices":
        assert "child_participation" in header and "evidence_level" in header
        assert ("evidence_level", "practice-based") in coded and ("child_participation", "not-stated") in coded
    report = import_file("template.xlsx", render_template(kind, "xlsx"), default_kind=kind, dry_run=True)
    assert report.ok, report.text()
    assert report.summary() == "Would create 0, update 0, leave 1 unchanged."


def test_the_csv_template_and_its_codes_download_from_the_import_page(admin_client):
    url = reverse("admin:practices_practice_import_template")
    page = admin_client.get(reverse("admin:practices_practice_import")).content.decode()
    assert f"{url}?format=xlsx" in page and f"{url}?format=codes.csv" in page and "evidence_level" in page
    response = admin_client.get(url, {"format": "csv"})
    assert response["Content-Disposition"] == 'attachment; filename="practices-import-template.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == template_columns("practices") and len(rows) == 2
    codes = list(csv.reader(io.StringIO(admin_client.get(url, {"format": "codes.csv"}).content.decode())))
    assert codes[0] == ["column", "code", "meaning"] and ["practice_type", "policy", "Policy"] in codes
    assert admin_client.get(url, {"format": "nonsense"}).status_code == 200  # falls back to CSV


def test_editors_without_import_rights_cannot_download_templates(client, django_user_model):
    user = django_user_model.objects.create_user("viewer", password="x", is_staff=True)
    client.force_login(user)
    assert client.get(reverse("admin:practices_practice_import_template")).status_code == 403
