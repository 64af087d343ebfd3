"""The content loader: idempotent, and all-or-nothing with a precise error report."""

import json
import shutil

import pytest
from django.core.management import CommandError, call_command

from content.loader import ContentError, load_bundle
from kb.models import Organisation
from practices.models import Finding, Practice
from taxonomy.models import Theme

pytestmark = pytest.mark.django_db


def snapshot():
    return {
        "findings": sorted(Finding.objects.values_list("slug", "title", "quote", "updated_at")),
        "practices": sorted(Practice.objects.values_list("slug", "title", "updated_at")),
        "themes": sorted(Theme.objects.values_list("slug", "name")),
        "organisations": Organisation.objects.count(),
    }


@pytest.fixture
def bundle(tmp_path, settings):
    """A private copy of the shipped bundle to break."""
    root = tmp_path / "fixtures"
    shutil.copytree(settings.KB_FIXTURES_DIR, root)
    return root


def edit_json(path, change):
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data), encoding="utf-8")


def test_loading_twice_changes_nothing():
    before = snapshot()
    call_command("load_kb", verbosity=0)
    assert snapshot() == before


def test_check_mode_writes_nothing(bundle):
    edit_json(
        bundle / "vocabularies" / "themes.json", lambda d: d["themes"].append({"slug": "new-theme", "name": "New"})
    )
    result = load_bundle(bundle, dry_run=True)
    assert result.counts["findings"] >= 80
    assert not Theme.objects.filter(slug="new-theme").exists()


def test_a_bad_quote_rejects_the_whole_bundle(bundle):
    before = snapshot()

    def corrupt(data):
        data["findings"][0]["quote"] = "Words the report never said."
        data["findings"][1]["title"] = "A changed title that must not be saved"

    edit_json(bundle / "rome-2012" / "findings-1-opening-panels.json", corrupt)
    with pytest.raises(ContentError) as error:
        load_bundle(bundle)
    problems = [str(p) for p in error.value.problems]
    assert len(problems) == 1
    assert "findings-1-opening-panels.json › findings[1] › quote: not found in source 'rome-2012-report'" in problems[0]
    assert snapshot() == before


def test_every_problem_is_reported_with_its_record_and_field(bundle):
    def corrupt(data):
        data["practices"][0]["pillars"] = ["prevention", "pretension"]
        data["practices"][2]["regions"] = []
        data["practices"][3]["slug"] = data["practices"][4]["slug"]
        data["practices"][5]["section"] = "Z"
        data["practices"][6]["evidence_level"] = "proven"

    edit_json(bundle / "rome-2012" / "practices.json", corrupt)
    with pytest.raises(ContentError) as error:
        load_bundle(bundle)
    report = error.value.report()
    assert "practices[1] › pillars: unknown pillar 'pretension'" in report
    assert "practices[3] › regions: needs at least 1 value(s)" in report
    assert "practices[5] › slug:" in report and "is used twice" in report
    assert "practices[6] › section: unknown section 'Z'" in report
    assert "practices[7] › evidence_level: 'proven' is not one of" in report


def test_malformed_json_is_rejected_with_its_position(bundle):
    path = bundle / "rome-2012" / "practices.json"
    path.write_text(path.read_text(encoding="utf-8")[:-20], encoding="utf-8")
    before = snapshot()
    with pytest.raises(CommandError) as error:
        call_command("load_kb", str(bundle), verbosity=0)
    assert "practices.json, line" in str(error.value)
    assert "nothing was loaded" in str(error.value)
    assert snapshot() == before


def test_a_missing_section_heading_is_reported(bundle):
    edit_json(
        bundle / "rome-2012" / "conference.json",
        lambda d: d["source"]["sections"][3].update(heading="D. Projects on the Moon"),
    )
    with pytest.raises(ContentError) as error:
        load_bundle(bundle)
    assert "sections[4] › heading: 'D. Projects on the Moon' is not found" in error.value.report()


def test_load_kb_command_reports_counts(capsys):
    call_command("load_kb")
    out = capsys.readouterr().out
    assert "Loaded" in out and "findings" in out and "practices" in out


def test_kb_stats_prints_the_figures(capsys):
    call_command("kb_stats")
    out = capsys.readouterr().out
    assert f"findings (published): {Finding.objects.published().count()}" in out
    assert "rome-2012-report K › Prevention" in out
    assert out.index("Prevention ") < out.index("Protection ") < out.index("Prosecution ")
