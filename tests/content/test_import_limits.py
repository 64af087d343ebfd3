"""Imports that cannot take the server down: each hostile file of issue 8 (item 5) is refused with a
named problem (row and reason), changes nothing, never raises in the command and never 500s in the
admin upload."""

import io
import json
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook

from content import importing
from content.importing import MAX_FIELD_CHARS, import_file, json_depth
from practices.models import Finding, Practice
from tests.content.import_files import HEADER, csv_bytes, practice_row, xlsx_bytes

pytestmark = pytest.mark.django_db


def _json(records):
    return json.dumps({"practices": records}).encode()


def _huge_declared_xlsx():
    """A small workbook whose sheet declares A1:XFD1048576 (16,384 columns, 1,048,576 rows)."""
    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes({"practices": [practice_row("declared")]})))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename.startswith("xl/worksheets/"):
                data = re.sub(rb'<dimension ref="[^"]*" ?/>', b'<dimension ref="A1:XFD1048576"/>', data)
            target.writestr(info, data)
    return out.getvalue()


def _formula_title_xlsx():
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "practices"
    row = practice_row("formula-title")
    sheet.append(list(row))
    sheet.append([row[column] for column in row])
    sheet["B2"] = '=CONCATENATE("Imported ", "title")'
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


HOSTILE = {
    "long-field": (
        "long.csv",
        csv_bytes([practice_row("long", summary="x" * 131_073)]),
        f"row 2: a field is longer than {MAX_FIELD_CHARS:,} characters",
    ),
    "nested": ("nested.json", b'{"practices": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "nested too deeply"),
    "dict-for-code": (
        "codes.json",
        _json(
            [
                {
                    **practice_row("codes"),
                    "pillars": [{"slug": "prosecution"}],
                    "regions": [["europe"]],
                    "countries": {"SN": 1},
                    "articles": [[38]],
                    "target_groups": ["children"],
                    "session": {"slug": "x"},
                    "practice_type": {"a": 1},
                    "related_findings": [{"b": 2}],
                }
            ]
        ),
        "unknown pillar a JSON object",
    ),
    "dict-slug": ("slug.json", _json([{**practice_row("x"), "slug": {"a": 1}, "status": ["published"]}]), "slug"),
    "nul-csv": ("nul.csv", csv_bytes([practice_row("nul", title="Bad\x00title")]), "line 2: contains a NUL"),
    "nul-json": ("nul.json", _json([practice_row("nul", title="Bad\x00title")]), "contains a NUL"),
    "huge-xlsx": ("huge.xlsx", _huge_declared_xlsx(), "declares 16,384 columns"),
    "formula-title": ("formula.xlsx", _formula_title_xlsx(), "row 2 › column B: is a formula"),
}


def _counts():
    return Practice.objects.count(), Finding.objects.count()


@pytest.mark.parametrize("case", HOSTILE)
def test_hostile_files_are_named_problems_and_change_nothing(case):
    name, content, message = HOSTILE[case]
    before = _counts()
    report = import_file(name, content, default_kind="practices")
    assert not report.ok
    assert any(message in str(problem) for problem in report.problems), report.problems
    assert _counts() == before


@pytest.mark.parametrize("case", HOSTILE)
def test_the_command_reports_hostile_files_without_a_traceback(case, tmp_path):
    name, content, message = HOSTILE[case]
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(CommandError, match="nothing was imported") as raised:
        call_command("import_entries", str(path), kind="practices", verbosity=0)
    assert message.split(":")[-1].strip() in str(raised.value)


@pytest.mark.parametrize("case", HOSTILE)
def test_the_admin_upload_shows_hostile_files_as_problems_not_500(admin_client, case):
    name, content, message = HOSTILE[case]
    before = _counts()
    response = admin_client.post(
        reverse("admin:practices_practice_import"), {"file": SimpleUploadedFile(name, content)}
    )
    assert response.status_code == 200
    assert "nothing" in response.content.decode().lower() or "problem" in response.content.decode().lower()
    assert _counts() == before


def test_more_rows_than_the_limit_is_a_named_problem(monkeypatch):
    monkeypatch.setattr(importing, "MAX_ROWS", 3)
    rows = [practice_row(f"many-{n}") for n in range(5)]
    report = import_file("many.csv", csv_bytes(rows), default_kind="practices")
    assert "row 5: too many rows; at most 3 allowed in one file" in [str(p) for p in report.problems]
    records = json.dumps({"practices": rows}).encode()
    assert "too many records" in str(import_file("many.json", records).problems[0])


def test_a_file_over_the_size_limit_is_refused_before_parsing(monkeypatch):
    monkeypatch.setattr(importing, "MAX_FILE_BYTES", 100)
    report = import_file("big.csv", csv_bytes([practice_row("big")]), default_kind="practices")
    assert "too large" in str(report.problems[0])


def test_json_depth_ignores_brackets_inside_strings():
    assert json_depth('{"a": "[[[[[[[[[[[[[[[[[[[[", "b": [[1]]}') == 3


def test_a_neutralised_formula_title_reads_back_as_the_text():
    row = practice_row("formula-text", title="'=cmd|' /C calc'!A0")
    report = import_file("f.csv", csv_bytes([row], HEADER), default_kind="practices")
    assert report.ok, report.problems
    assert Practice.objects.get(slug="formula-text").title == "=cmd|' /C calc'!A0"


def test_a_large_upload_is_not_validated_in_the_request_but_given_a_command(admin_client, settings, tmp_path):
    settings.KB_IMPORT_DIR = tmp_path
    rows = [practice_row(f"large-{n}") for n in range(5)]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("content.admin_views.ADMIN_MAX_ROWS", 3)
        response = admin_client.post(
            reverse("admin:practices_practice_import"), {"file": SimpleUploadedFile("large.csv", csv_bytes(rows))}
        )
    html = response.content.decode()
    assert response.status_code == 200 and 'id="large-import"' in html
    stored = list(tmp_path.iterdir())
    assert len(stored) == 1 and stored[0].read_bytes() == csv_bytes(rows)
    assert f"python manage.py import_entries {stored[0]} --kind practices --dry-run" in html
    assert not Practice.objects.filter(slug__startswith="large-").exists()
