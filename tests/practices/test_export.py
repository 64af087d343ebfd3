"""Exports: the filtered browse list as streamed CSV and JSON, published entries only, with the
same filters as the list and spreadsheet formulas neutralised."""

import csv
import io
import json

import pytest

from practices.exports import columns, neutralise_formula
from practices.filters import FindingFilterSet, PracticeFilterSet
from practices.models import Finding, Practice, Status
from tests.factories import FindingFactory, PracticeFactory

pytestmark = pytest.mark.django_db


def read_csv(response):
    assert response.streaming is True
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")  # UTF-8 byte-order mark, for spreadsheet programs
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


def read_json(response):
    assert response.streaming is True
    return json.loads(b"".join(response.streaming_content))


def browse_count(filterset_class, model, query):
    from django.http import QueryDict

    return filterset_class(QueryDict(query), queryset=model.objects.published()).qs.count()


@pytest.mark.parametrize(
    "query",
    [
        "",
        "pillar=prevention",
        "pillar=prevention&pillar=protection&region=global",
        "theme=sex-tourism-travel",
        "q=child",
    ],
)
def test_practice_export_matches_the_filtered_browse(client, query):
    expected = browse_count(PracticeFilterSet, Practice, query)
    rows = read_csv(client.get(f"/practices/export.csv?{query}"))
    assert len(rows) == expected
    assert len(read_json(client.get(f"/practices/export.json?{query}"))["results"]) == expected
    assert len({row["slug"] for row in rows}) == expected


@pytest.mark.parametrize("query", ["", "kind=recommendation", "pillar=prosecution&region=europe", "session=nope"])
def test_finding_export_matches_the_filtered_browse(client, query):
    expected = browse_count(FindingFilterSet, Finding, query)
    assert len(read_csv(client.get(f"/findings/export.csv?{query}"))) == expected
    assert len(read_json(client.get(f"/findings/export.json?{query}"))["results"]) == expected


def test_columns_and_values(client):
    practice = Practice.objects.published().filter(countries__isnull=False, articles__isnull=False).first()
    response = client.get(f"/practices/export.csv?q={practice.title}")
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment; filename=" in response["Content-Disposition"]
    rows = read_csv(response)
    row = next(row for row in rows if row["slug"] == practice.slug)
    assert list(row) == columns(Practice)
    assert row["title"] == practice.title
    assert row["pillars"].split("; ") == [pillar.name for pillar in practice.pillars.all()]
    assert row["pillar_codes"].split("; ") == [pillar.slug for pillar in practice.pillars.all()]
    assert row["country_codes"].split("; ") == [country.code for country in practice.countries.all()]
    assert row["countries"].split("; ") == [country.name for country in practice.countries.all()]
    assert row["article_numbers"].split("; ") == [str(article.number) for article in practice.articles.all()]
    assert row["practice_type"] == practice.get_practice_type_display()
    assert row["practice_type_code"] == practice.practice_type
    assert row["source_document"] == "rome-2012-report"
    assert row["section_code"] == practice.section.code and row["section"] == practice.section.label
    assert row["quote"] == practice.quote
    assert row["url"] == f"http://testserver{practice.get_absolute_url()}"
    finding_rows = read_json(client.get("/findings/export.json?kind=root-cause"))["results"]
    assert finding_rows and list(finding_rows[0]) == columns(Finding)
    assert all(row["kind_code"] == "root-cause" and row["kind"] == "Root cause" for row in finding_rows)
    assert isinstance(finding_rows[0]["pillars"], list)


def test_drafts_are_never_exported(client):
    PracticeFactory(status=Status.DRAFT, title="Secret draft practice")
    FindingFactory(status=Status.IN_REVIEW, title="Finding still in review")
    for url in ("/practices/export.csv", "/practices/export.json", "/findings/export.csv", "/findings/export.json"):
        body = b"".join(client.get(url).streaming_content).decode()
        assert "Secret draft practice" not in body and "Finding still in review" not in body, url


def test_formula_injection_is_neutralised(client):
    PracticeFactory(title='=HYPERLINK("http://evil")', summary="+1+1", description="x")
    FindingFactory(title="@SUM(A1)", summary="-2")
    practice_row = next(row for row in read_csv(client.get("/practices/export.csv")) if "HYPERLINK" in row["title"])
    assert practice_row["title"] == '\'=HYPERLINK("http://evil")'
    assert practice_row["summary"] == "'+1+1"
    finding_row = next(row for row in read_csv(client.get("/findings/export.csv")) if "SUM" in row["title"])
    assert finding_row["title"] == "'@SUM(A1)" and finding_row["summary"] == "'-2"
    # JSON is data, not a spreadsheet: left as it is.
    json_titles = [row["title"] for row in read_json(client.get("/findings/export.json"))["results"]]
    assert "@SUM(A1)" in json_titles


def test_neutralise_formula():
    assert neutralise_formula("=1") == "'=1"
    assert neutralise_formula("\t=1") == "'\t=1"
    assert neutralise_formula("plain - text") == "plain - text"
    assert neutralise_formula(38) == 38


def test_export_queries_grow_per_chunk_not_per_row(client, django_assert_max_num_queries):
    """Relations are prefetched per chunk of 200: a few queries for all 213 findings."""
    assert Finding.objects.published().count() > 200
    with django_assert_max_num_queries(20):
        rows = read_json(client.get("/findings/export.json"))["results"]
    assert len(rows) == Finding.objects.published().count()


@pytest.mark.parametrize(
    "query",
    [
        "pillar=nonsense",
        "article=abc&article=38",
        "q=%C3%A9%F0%9F%98%80",
        "q=" + "x" * 5000,
        "section=nowhere:Z",
        "page=x",
    ],
)
def test_bad_parameters_never_fail_and_json_reports_them(client, query):
    for url in ("/practices/export.csv", "/findings/export.json", "/practices/export.json"):
        response = client.get(f"{url}?{query}")
        assert response.status_code == 200, (url, query)
        b"".join(response.streaming_content)
    body = read_json(client.get("/practices/export.json?pillar=nonsense&region=global"))
    assert body["ignored"] == {"pillar": ["nonsense"]}
    response = client.get("/practices/export.csv?pillar=nonsense")
    assert json.loads(response["X-Ignored-Filters"]) == {"pillar": ["nonsense"]}


def test_export_links_include_carries_the_filters(client):
    text = client.get("/pillars/prevention/").content.decode()
    assert 'href="/practices/export.csv?pillar=prevention"' in text
    assert 'href="/findings/export.json?pillar=prevention"' in text


def test_csv_opens_with_correct_characters_and_readable_labels(client):
    from taxonomy.models import Theme

    theme = Theme.objects.create(slug="egalite-test", name="Égalité – accès des filles")
    practice = PracticeFactory(title="Écoles ouvertes – un exemple")
    practice.themes.add(theme)
    response = client.get("/practices/export.csv", {"theme": "egalite-test"})
    body = b"".join(response.streaming_content)
    assert body[:3] == b"\xef\xbb\xbf"
    text = body.decode("utf-8-sig")
    assert "Égalité – accès des filles" in text and "egalite-test" in text and "â€" not in text
    (row,) = list(csv.DictReader(io.StringIO(text)))
    assert row["themes"] == "Égalité – accès des filles" and row["theme_codes"] == "egalite-test"
    assert row["title"] == "Écoles ouvertes – un exemple"


def test_xlsx_export_carries_the_filters_and_the_words(client):
    from openpyxl import load_workbook

    response = client.get("/practices/export.xlsx", {"q": "sub-Saharan Africa"})
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == columns(Practice)
    slugs = {row[0] for row in rows[1:]}
    assert slugs == set(
        Practice.objects.published().filter(regions__slug="sub-saharan-africa").values_list("slug", flat=True)
    )
    findings = client.get("/findings/export.xlsx", {"pillar": "prevention"})
    assert load_workbook(io.BytesIO(findings.content)).active.max_row == 1 + browse_count(
        FindingFilterSet, Finding, "pillar=prevention"
    )


def test_xlsx_neutralises_formulas(client):
    from openpyxl import load_workbook

    PracticeFactory(title='=HYPERLINK("http://evil")', summary="+1+1")
    sheet = load_workbook(io.BytesIO(client.get("/practices/export.xlsx", {"q": "hyperlink evil"}).content)).active
    titles = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert '\'=HYPERLINK("http://evil")' in titles


@pytest.mark.parametrize("path", ["/practices/", "/findings/"])
def test_browse_pages_offer_downloads_of_these_results(client, path):
    html = client.get(path, {"q": "trafficking", "pillar": "prevention"}).content.decode()
    kind = path.strip("/")
    for extension in ("csv", "xlsx", "json"):
        assert f'href="/{kind}/export.{extension}?q=trafficking&amp;pillar=prevention"' in html
    assert "Download these results" in html
