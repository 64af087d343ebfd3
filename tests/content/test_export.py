"""export_kb in each format, backup, and entry exports that re-import unchanged."""

import io
import json
import zipfile

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from content.exporting import entry_records, render_entries
from content.importing import import_file
from practices.models import Finding, Practice, Status
from tests.factories import PracticeFactory

pytestmark = pytest.mark.django_db


def test_json_export_holds_both_kinds_in_the_fixture_record_shape(tmp_path):
    call_command("export_kb", str(tmp_path / "kb.json"), verbosity=0)
    data = json.loads((tmp_path / "kb.json").read_text(encoding="utf-8"))
    assert len(data["findings"]) == Finding.objects.count()
    assert len(data["practices"]) == Practice.objects.count()
    practice = next(p for p in data["practices"] if p["slug"] == "prosecuting-sexual-offences-committed-abroad")
    assert practice["extra_quotes"][0]["section"] == "H"
    assert practice["status"] == "published" and practice["source"] == "rome-2012-report"


def test_xlsx_export_has_a_sheet_per_kind_and_reimports_unchanged(tmp_path):
    call_command("export_kb", str(tmp_path / "kb.xlsx"), verbosity=0)
    content = (tmp_path / "kb.xlsx").read_bytes()
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    assert workbook.sheetnames == ["findings", "practices"]
    report = import_file("kb.xlsx", content, dry_run=True)
    assert report.ok, report.text()
    assert {a.action for a in report.actions} == {"unchanged"}
    assert len(report.actions) == Finding.objects.count() + Practice.objects.count()


def test_csv_export_writes_one_file_per_kind_that_reimports_unchanged(tmp_path):
    call_command("export_kb", str(tmp_path / "csv"), "--format", "csv", verbosity=0)
    for kind in ("findings", "practices"):
        report = import_file(f"{kind}.csv", (tmp_path / "csv" / f"{kind}.csv").read_bytes(), default_kind=kind)
        assert report.ok, report.text()
        assert {a.action for a in report.actions} == {"unchanged"}


def test_export_kb_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "keep.txt").write_text("mine")
    with pytest.raises(CommandError, match="is not empty"):
        call_command("export_kb", str(tmp_path / "out"), verbosity=0)


def test_exports_include_drafts_for_curators():
    draft = PracticeFactory(status=Status.DRAFT)
    records = entry_records("practices", Practice.objects.filter(pk=draft.pk))
    assert [r["slug"] for r in records] == [draft.slug] and records[0]["status"] == "draft"


def test_backup_bundle_writes_a_timestamped_zip_that_load_kb_reads(tmp_path, capsys):
    call_command("backup", "--dir", str(tmp_path), "--bundle")
    (backup,) = tmp_path.glob("kb-backup-*.zip")
    assert "Backed up to" in capsys.readouterr().out
    assert "rome-2012/practices.json" in zipfile.ZipFile(backup).namelist()
    call_command("load_kb", str(backup), "--check", verbosity=0)


def test_exporting_entries_takes_the_same_queries_for_any_number(django_assert_max_num_queries):
    with django_assert_max_num_queries(16):
        practices = render_entries({"practices": entry_records("practices")}, "csv")
    with django_assert_max_num_queries(10):
        render_entries({"findings": entry_records("findings")}, "json")
    assert practices.count(b"\n") > Practice.objects.count()
