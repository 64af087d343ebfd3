"""The classification rules the loader enforces (content/tag_rules.py): a practice's basis must
match its quotes, twins agree on their tags, a country implies its region, a regional panel's
entries carry its regions. Each rule rejects a bad bundle; a written reason lifts a tag rule."""

import json
import shutil

import pytest
from django.core.management import CommandError, call_command

from content.loader import ContentError, load_bundle
from content.tag_rules import is_recommendation_only

pytestmark = pytest.mark.django_db

PANELS, GROUPS = "findings-1-opening-panels.json", "findings-2-groups-results.json"
CODE_TWIN = "private-sector-support-tourism-code-of-conduct"  # same quote as travel-and-tourism-code-of-conduct
ITALIAN_LAW = "italian-law-equating-sexual-exploitation-to-slavery"


@pytest.fixture
def bundle(tmp_path, settings):
    root = tmp_path / "fixtures"
    shutil.copytree(settings.KB_FIXTURES_DIR, root)
    return root


def edit_record(bundle, file_name, key, slug, change):
    path = bundle / "rome-2012" / file_name
    data = json.loads(path.read_text(encoding="utf-8"))
    record = next(r for r in data[key] if r["slug"] == slug)
    change(record)
    path.write_text(json.dumps(data), encoding="utf-8")


def problems_of(bundle) -> list[str]:
    with pytest.raises(ContentError) as error:
        load_bundle(bundle, dry_run=True)
    return [str(problem) for problem in error.value.problems]


def test_the_shipped_content_follows_every_rule(settings):
    result = load_bundle(settings.KB_FIXTURES_DIR, dry_run=True)
    assert result.counts["practices"] == 63


@pytest.mark.parametrize(
    ("quote", "only"),
    [
        ("It was suggested that public authorities should go on the streets.", True),
        ("Experts highlighted the need for: - multidisciplinary approach", True),
        ("It is important that programmes provide pragmatic income-generating alternatives.", True),
        ("Children's councils were regarded as effective platforms to give children a voice.", False),
        ("It was suggested that bilateral agreements such as the ones struck between A and B could help.", False),
        ("A committee was established. It should meet monthly.", False),
        ("The conference dwelled on communication. It was suggested that authorities go on the streets.", True),
    ],
)
def test_recommendation_only_quotes_are_recognised(quote, only):
    assert is_recommendation_only(quote) is only


def test_an_implemented_practice_resting_on_should_statements_is_rejected(bundle):
    def claim_done(record):
        record["basis"] = "implemented"

    edit_record(bundle, "practices.json", "practices", "ngo-advocacy-towards-eu-institutions", claim_done)
    problems = problems_of(bundle)
    assert any("› basis: is 'implemented' but every quote is only a should / need" in p for p in problems), problems
    with pytest.raises(CommandError):
        call_command("load_kb", str(bundle), "--check", verbosity=0)


def test_a_practice_needs_a_basis_and_a_reason(bundle):
    def strip(record):
        del record["basis"]
        record["rating_reason"] = ""

    edit_record(bundle, "practices.json", "practices", "childrens-councils", strip)
    problems = problems_of(bundle)
    assert any(p.endswith("› basis: is required; it is one of: implemented, recommended") for p in problems)
    assert any(p.endswith("› rating_reason: is required") for p in problems)


def test_twins_must_agree_on_pillars_regions_and_articles(bundle):
    def add_article(record):
        record["articles"] = [*record["articles"], 5]

    edit_record(
        bundle,
        "findings-2-groups-results.json",
        "findings",
        "private-sector-support-tourism-code-of-conduct",
        add_article,
    )
    problems = problems_of(bundle)
    assert any(
        "› articles: differs from its twin finding 'private-sector-support-tourism-code-of-conduct'" in p
        for p in problems
    ), problems


def test_a_written_reason_lets_twins_differ(bundle):
    def differ(record):
        record["articles"] = [*record["articles"], 5]
        record["tag_exception"] = "Article 5 concerns the finding's wider point about professionals."

    edit_record(
        bundle, "findings-2-groups-results.json", "findings", "private-sector-support-tourism-code-of-conduct", differ
    )
    assert load_bundle(bundle, dry_run=True).counts["findings"] == 218


def test_a_country_implies_its_region(bundle):
    def drop_europe(record):
        record["regions"] = [r for r in record["regions"] if r != "europe"] or ["global"]

    edit_record(
        bundle, "practices.json", "practices", "italian-law-equating-sexual-exploitation-to-slavery", drop_europe
    )
    problems = problems_of(bundle)
    assert any(p.endswith("› regions: is coded with IT but lacks its region 'europe'") for p in problems), problems


def test_a_regional_panel_entry_carries_the_panel_regions(bundle):
    def drop_latin_america(record):
        record["regions"] = ["global", "asia-pacific"]

    edit_record(
        bundle, "findings-1-opening-panels.json", "findings", "tailor-projects-to-beneficiaries", drop_latin_america
    )
    problems = problems_of(bundle)
    assert any(
        "› regions: lacks latin-america-caribbean, the region(s) of its session 'rome-2012-regional-programmes-panel'"
        in p
        for p in problems
    ), problems


def test_an_explicitly_cross_regional_entry_may_leave_out_the_panel_regions(bundle):
    def cross_regional(record):
        record["regions"] = ["global"]
        record["tag_exception"] = "The presenters made this point about every region, not about their own."

    edit_record(
        bundle, "findings-1-opening-panels.json", "findings", "tailor-projects-to-beneficiaries", cross_regional
    )
    assert load_bundle(bundle, dry_run=True).counts["findings"] == 218
