"""Formula injection (issue 8, item 6): the title ``=cmd|' /C calc'!A0`` comes out of every CSV and
spreadsheet writer as text (common.spreadsheet), never as a live formula, and reimports unchanged."""

import csv
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from common.spreadsheet import neutralise_formula, restore_formula_text
from content.importing import import_file
from practices.models import Practice

pytestmark = pytest.mark.django_db

ATTACK = "=cmd|' /C calc'!A0"
SAFE = "'" + ATTACK


@pytest.fixture
def entry():
    """A shipped published practice (its other fields round-trip) retitled with the attack."""
    practice = Practice.objects.published().order_by("slug").first()
    Practice.objects.filter(pk=practice.pk).update(title=ATTACK, summary="@SUM(1+1)")
    return Practice.objects.get(pk=practice.pk)


def _csv_titles(content: bytes) -> list[str]:
    rows = csv.DictReader(io.StringIO(content.decode("utf-8-sig")))
    return [row["title"] for row in rows]


def _xlsx_titles(content: bytes) -> list:
    """Each title cell's (value, data type): a formula would have data type "f"."""
    found = []
    for sheet in load_workbook(io.BytesIO(content)).worksheets:
        header = [cell.value for cell in sheet[1]]
        column = header.index("title")
        found += [(row[column].value, row[column].data_type) for row in sheet.iter_rows(min_row=2)]
    return found


def test_the_helper():
    for prefix in ("=", "+", "-", "@", "\t", "\r"):
        assert neutralise_formula(prefix + "1") == "'" + prefix + "1"
        assert restore_formula_text(neutralise_formula(prefix + "1")) == prefix + "1"
    assert neutralise_formula("plain") == "plain" and restore_formula_text("'quoted") == "'quoted"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_kb(entry, tmp_path, fmt):
    destination = tmp_path / ("csv-folder" if fmt == "csv" else "kb.xlsx")
    call_command("export_kb", str(destination), format=fmt, verbosity=0)
    path = destination / "practices.csv" if fmt == "csv" else destination
    content = path.read_bytes()
    if fmt == "csv":
        assert SAFE in _csv_titles(content) and ATTACK not in _csv_titles(content)
    else:
        titles = _xlsx_titles(content)
        assert (SAFE, "s") in titles and all(data_type != "f" for _, data_type in titles)
    report = import_file(path.name, content, default_kind="practices", dry_run=True)
    assert report.ok, report.text()
    assert {a.action for a in report.actions if a.slug == entry.slug} == {"unchanged"}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_admin_export_selected(admin_client, entry, fmt):
    response = admin_client.post(
        reverse("admin:practices_practice_changelist"),
        {"action": f"export_selected_{fmt}", "_selected_action": [entry.pk]},
    )
    if fmt == "csv":
        assert _csv_titles(response.content) == [SAFE]
    else:
        assert _xlsx_titles(response.content) == [(SAFE, "s")]
    report = import_file(f"x.{fmt}", response.content, default_kind="practices", dry_run=True)
    assert [a.action for a in report.actions] == ["unchanged"]
    assert Practice.objects.get(pk=entry.pk).title == ATTACK


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_public_exports(client, entry, fmt):
    response = client.get(reverse(f"practices:practice-export-{fmt}"), {"q": ""})
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if fmt == "csv":
        assert SAFE in _csv_titles(content) and ATTACK not in _csv_titles(content)
    else:
        titles = _xlsx_titles(content)
        assert (SAFE, "s") in titles and all(data_type != "f" for _, data_type in titles)
