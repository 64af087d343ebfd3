"""What an entry really is (issue 9): every practice has a basis and a reason, implemented only
where the report presents it as done; findings say who said them; the rating method is published
and linked from every rating; panels' entries carry the panels' regions."""

import csv
import io

import pytest
from django.core.management import call_command

from content.tag_rules import is_recommendation_only
from kb.models import Session
from practices.models import Finding, Practice

pytestmark = pytest.mark.django_db

IMPLEMENTED = {
    "prosecuting-sexual-offences-committed-abroad",
    "youth-participation-in-awareness-campaign-design",
    "childrens-councils",
    "mobilising-community-institutions-and-private-sector",
    "shelters-as-platforms-for-community-dialogue",
    "bilateral-agreements-for-evidence-abroad",
    "campaigns-to-strengthen-witness-reporting",
    "travel-and-tourism-code-of-conduct",
    "childrens-participation-as-cross-cutting-principle",
    "italian-interministerial-coordinating-committee",
    "italian-observatory-on-paedophilia-and-pornography",
    "implementing-the-convention-in-non-member-states",
    "child-sexual-violence-as-development-cooperation-priority",
    "italian-law-equating-sexual-exploitation-to-slavery",
}
MOVED_TO_FINDINGS = {
    "child-sensitive-reporting-and-judicial-measures": "four-ps-protection",
    "intertwining-prevention-and-protection": "intertwine-preventive-and-protective-cooperation-measures",
    "using-qualitative-data-from-work-with-victims": "abundant-qualitative-data-from-work-with-victims",
    "distinct-responses-to-abuse-and-exploitation": "abuse-and-exploitation-need-different-institutional-responses",
}


def all_results(client, url, **params):
    params.setdefault("page_size", 100)
    return client.get(url, params).json()["results"]


def test_every_practice_has_a_basis_and_a_one_sentence_reason():
    for practice in Practice.objects.all():
        assert practice.basis in Practice.Basis.values, practice.slug
        reason = practice.rating_reason
        assert reason.startswith(practice.get_basis_display() + ":"), practice.slug
        assert reason.count(". ") == 0 and reason.endswith("."), (practice.slug, reason)


def test_only_practices_the_report_presents_as_done_are_implemented(client):
    implemented = Practice.objects.filter(basis=Practice.Basis.IMPLEMENTED)
    assert set(implemented.values_list("slug", flat=True)) == IMPLEMENTED
    assert {r["slug"] for r in all_results(client, "/api/practices/", basis="implemented")} == IMPLEMENTED
    html = client.get("/practices/", {"basis": "implemented"}).content.decode()
    assert "14 good practices" in html or "14 results" in html or html.count('class="card"') == 14
    for practice in implemented.prefetch_related("extra_quotes"):
        quotes = [practice.quote, *(q.quote for q in practice.extra_quotes.all())]
        assert not all(is_recommendation_only(q) for q in quotes), practice.slug


def test_recommended_practices_are_the_rest_and_the_default_browse_shows_both(client):
    body = client.get("/api/practices/", {"page_size": 100}).json()
    basis = {option["value"]: option["count"] for option in body["facets"]["basis"]}
    assert basis == {"implemented": 14, "recommended": 49}
    assert body["count"] == 63
    assert {r["basis"] for r in body["results"]} == {"implemented", "recommended"}
    assert all(r["rating_reason"] and r["method_url"].endswith("/method/") for r in body["results"])


def test_recommendations_that_name_no_practice_are_findings():
    assert not Practice.objects.filter(slug__in=MOVED_TO_FINDINGS).exists()
    kinds = dict(Finding.objects.filter(slug__in=MOVED_TO_FINDINGS.values()).values_list("slug", "kind"))
    assert set(kinds) == set(MOVED_TO_FINDINGS.values())
    assert kinds["intertwine-preventive-and-protective-cooperation-measures"] == "recommendation"


def test_cards_and_pages_show_the_basis_and_why(client):
    html = client.get("/practices/").content.decode()
    assert 'class="badge badge-basis badge-recommended" href="/method/#basis"' in html
    page = client.get("/practices/italian-interministerial-coordinating-committee/").content.decode()
    assert "badge-implemented" in page and "Why this rating" in page
    assert "Minister Fornero reported that the Italian committee coordinating ministries" in page
    assert 'href="/method/"' in page and 'href="/method/#levels"' in page


def test_the_rating_method_is_published(client):
    html = client.get("/method/").content.decode()
    for anchor in ("basis", "levels", "tags", "speakers", "disagree"):
        assert f'id="{anchor}"' in html
    assert "“Not evaluated” means that nobody has reported an evaluation" in html
    assert "Report a correction" in html


def test_home_page_and_kb_stats_show_implemented_and_recommended(client, capsys):
    html = client.get("/").content.decode()
    assert "?pillar=prevention&amp;basis=implemented" in html
    assert "?region=europe&amp;basis=implemented" in html
    call_command("kb_stats")
    out = capsys.readouterr().out
    assert "practices by basis: implemented 14, recommended 49" in out
    assert "per region" in out and "implemented  recommended" in out


def csv_rows(client, url):
    text = b"".join(client.get(url).streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_export_has_the_basis_and_the_reason(client):
    rows = csv_rows(client, "/practices/export.csv")
    assert {row["basis_code"] for row in rows} == {"implemented", "recommended"}
    assert all(row["rating_reason"] for row in rows)
    findings = csv_rows(client, "/findings/export.csv")
    assert sum("fornero" in row["speaker_codes"] for row in findings) == 5


def test_fornero_finds_all_five_of_her_findings(client):
    fornero = set(Finding.objects.filter(speakers__slug="fornero").values_list("slug", flat=True))
    assert len(fornero) == 5
    found = {r["slug"] for r in all_results(client, "/api/findings/", q="Fornero")}
    assert fornero <= found
    by_facet = all_results(client, "/api/findings/", speaker="fornero")
    assert {r["slug"] for r in by_facet} == fornero
    assert all(r["speakers"][0]["name"] == "Ms Fornero" for r in by_facet)


def test_findings_say_who_said_them_or_not_stated(client):
    page = client.get("/findings/italian-committee-coordinating-ministries-on-pedophilia/").content.decode()
    assert "Who said it" in page and "Ms Fornero, Italian Minister of Labor" in page
    panel = client.get("/findings/tailor-projects-to-beneficiaries/").content.decode()
    assert "Not stated in the source" in panel
    body = client.get("/api/findings/", {"organisation": "council-of-europe"}).json()
    assert body["count"] >= 10
    assert client.get("/api/findings/tailor-projects-to-beneficiaries/").json()["attribution"] == "not stated"


def test_child_labour_finds_working_group_2s_question(client):
    found = [r["slug"] for r in all_results(client, "/api/findings/", q="child labour")]
    assert "child-labour-or-sexual-exploitation-question" in found


def test_the_latin_america_filter_returns_the_regional_programmes_panel():
    panel = Session.objects.get(slug="rome-2012-regional-programmes-panel")
    assert set(panel.regions.values_list("slug", flat=True)) == {"latin-america-caribbean", "asia-pacific"}
    for model in (Finding, Practice):
        entries = model.objects.filter(session=panel)
        assert entries.exists()
        assert not entries.exclude(regions__slug="latin-america-caribbean").exists()


def test_the_missing_statements_are_in(client):
    objectives = Finding.objects.filter(session__slug="rome-2012-objectives", slug__startswith="objective-")
    assert objectives.count() == 7
    for words in (
        "Protection of child victims is part of the international development actions.",
        "the material is available on the Council of Europe website",
        "address the issue of child labor in general?",
    ):
        assert Finding.objects.filter(quote__contains=words).exists(), words


def test_fragment_quotes_carry_their_lead_in():
    education = Finding.objects.get(slug="sex-tourism-root-cause-lack-of-education").quote
    assert education.startswith("The issue of sex tourism was addressed") and education.endswith("lack of education")
    laws = Finding.objects.get(slug="organised-crime-deterred-by-homogeneous-laws").quote
    assert laws.startswith("With specific reference to fighting the organized crime")
    share = Finding.objects.get(slug="online-abuse-countries-need-shared-understanding-and-laws").quote
    assert share.endswith("a harmonized legal framework.")


def test_the_source_url_is_not_invented(client):
    html = client.get("/sources/rome-2012-report/").content.decode()
    assert 'Official URL: <span class="muted">not stated in the report</span>' in html
