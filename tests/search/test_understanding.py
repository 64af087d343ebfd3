"""Query understanding and the thesaurus (issue 10): places, topics and synonyms in the user's own
words, on whichever database the suite runs (the same tests hold for SQLite and PostgreSQL)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from common.versioning import bump_content_version
from practices.facet_index import FacetIndex
from practices.facets import facets_for
from practices.models import Practice
from search.query import parse
from search.understanding import remaining_words, understand
from taxonomy.models import Concept, Country, Label, Region

pytestmark = pytest.mark.django_db


def region_practices(slug):
    return set(Practice.objects.published().filter(regions__slug=slug).values_list("slug", flat=True))


def api(client, path, q, **params):
    body = client.get(path, {"q": q, **params}).json()
    return [row["slug"] for row in body["results"]], body["understood"]


def understood_block(html):
    match = re.search(r'<div class="understood">(.*?)</div>', html, re.S)
    return re.sub(r"\s+", " ", match.group(1)) if match else ""


def test_sub_saharan_africa_returns_the_regions_practices_first(client):
    region = region_practices("sub-saharan-africa")
    assert len(region) == 9
    slugs, understood = api(client, "/api/practices/", "sub-Saharan Africa")
    assert set(slugs[:9]) == region
    offer = next(item for item in understood if item["facet"] == "region")
    assert offer["value"] == "sub-saharan-africa" and offer["count"] == 9 and offer["matched"] == "sub-Saharan Africa"
    assert offer["filter_url"].endswith("/api/practices/?region=sub-saharan-africa")
    html = client.get("/practices/", {"q": "sub-Saharan Africa"}).content.decode()
    assert "Region: Sub-Saharan Africa</a> (9 good practices)" in understood_block(html)


def test_kenya_stands_for_its_region_and_says_why(client):
    assert Country.objects.get(code="KE").region.slug == "sub-saharan-africa"
    assert not Practice.objects.published().filter(countries__code="KE").exists()
    slugs, understood = api(client, "/api/practices/", "Kenya")
    assert set(slugs) == region_practices("sub-saharan-africa")
    assert understood[0]["facet"] == "region" and understood[0]["relation"] == "region"
    assert "Kenya" in understood[0]["note"] and "Sub-Saharan Africa" in understood[0]["note"]
    block = understood_block(client.get("/findings/", {"q": "Kenya"}).content.decode())
    assert "No finding is filed under Kenya; it is in Sub-Saharan Africa." in block


def test_a_country_entries_are_filed_under_is_not_replaced_by_its_region(client):
    slugs, understood = api(client, "/api/practices/", "Morocco")
    assert "implementing-the-convention-in-non-member-states" in slugs
    assert understood[0]["facet"] == "country" and understood[0]["value"] == "MA"


def test_safe_houses_finds_the_shelters_practice(client):
    slugs, understood = api(client, "/api/practices/", "safe houses")
    assert slugs[0] == "shelters-as-platforms-for-community-dialogue"
    slugs, _ = api(client, "/api/findings/", "refuges")
    assert "shelters-as-platforms-for-community-dialogue" in slugs


def test_tourisme_sexuel_finds_sex_tourism_entries_without_did_you_mean(client):
    theme = set(Practice.objects.published().filter(themes__slug="sex-tourism-travel").values_list("slug", flat=True))
    slugs, understood = api(client, "/api/practices/", "tourisme sexuel")
    assert set(slugs[: len(theme)]) == theme
    assert understood[0]["facet"] == "theme" and understood[0]["value"] == "sex-tourism-travel"
    html = client.get("/practices/", {"q": "tourisme sexuel"}).content.decode()
    assert "Did you mean" not in html
    assert "Theme: Sex tourism and travel</a> (6 good practices)" in understood_block(html)


@pytest.mark.parametrize("q", ["article 38", "art. 38", "Art 38"])
def test_article_38_offers_the_article_38_filter(client, q):
    slugs, understood = api(client, "/api/findings/", q)
    offer = understood[0]
    assert (offer["facet"], offer["value"]) == ("article", "38")
    assert offer["filter_url"].endswith("/api/findings/?article=38")
    cited = set(Practice.objects.published().filter(articles__number=38).values_list("slug", flat=True))
    practices, _ = api(client, "/api/practices/", q)
    first = practices[: min(20, len(cited))]  # one API page
    assert len(first) > 1 and all(slug in cited for slug in first)
    html = client.get("/practices/", {"q": q}).content.decode()
    assert 'href="/practices/?article=38"' in understood_block(html)


def test_on_a_zero_result_page_the_understood_filter_comes_first(client):
    html = client.get("/practices/", {"q": "Kenya", "pillar": "prosecution", "theme": "gender-equality"})
    html = html.content.decode()
    assert "No good practice matches" in html
    assert html.index('class="understood"') < html.index('class="zero-results"')


def test_the_filter_link_keeps_the_other_words_and_filters(client):
    _, understood = api(client, "/api/practices/", "teacher training in Kenya", pillar="prevention")
    url = next(item["filter_url"] for item in understood if item["facet"] == "region")
    assert "pillar=prevention" in url and "region=sub-saharan-africa" in url and "q=teacher+training" in url
    assert remaining_words("what works in Asia?", "Asia") == ""


def test_understanding_costs_at_most_four_queries_whatever_the_vocabulary_size():
    def cost(q):
        """Queries of a cold understanding: the label index is built afresh (a new content version,
        as after any vocabulary edit); the counts come from the facet index, built beforehand."""
        bump_content_version()
        queryset = Practice.objects.published()
        FacetIndex.current(Practice, facets_for(Practice))
        with CaptureQueriesContext(connection) as queries:
            understanding = understand(queryset, parse(q), q)
        return len(queries), understanding

    before, understood = cost("child sex tourism in Kenya and article 38")
    assert before <= 4 and understood.items
    with CaptureQueriesContext(connection) as warm:  # the label index is kept for the next search
        assert understand(Practice.objects.published(), parse("Kenya"), "Kenya").items
    assert len(warm) < before
    # Grow every vocabulary the understanding reads: concepts, labels, relations, countries.
    region = Region.objects.get(slug="europe")
    taken = set(Country.objects.values_list("code", flat=True))
    codes = [a + b for a in "ABCDEFGHIJKLMNOPQRSTUVWXYZ" for b in "ABCDEFGHIJKLMNOPQRSTUVWXYZ" if a + b not in taken]
    Country.objects.bulk_create(Country(code=code, name=f"Freedonia {code}", region=region) for code in codes[:200])
    concepts = Concept.objects.bulk_create(Concept(slug=f"extra-{i}") for i in range(300))
    Label.objects.bulk_create(
        Label(concept=concept, kind=kind, text=f"{kind} label {concept.slug}")
        for concept in concepts
        for kind in (Label.Kind.PREFERRED, Label.Kind.ALTERNATIVE, Label.Kind.HIDDEN)
    )
    Concept.related.through.objects.bulk_create(
        Concept.related.through(from_concept=a, to_concept=b) for a, b in zip(concepts, concepts[1:], strict=False)
    )
    after, understood = cost("child sex tourism in Kenya and article 38")
    assert after == before and understood.items


def test_the_browse_page_with_understanding_costs_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, warm_facet_index
):
    with django_assert_max_num_queries(26):
        response = client.get("/practices/", {"q": "tourisme sexuel"})
    assert "Sex tourism and travel" in understood_block(response.content.decode())


def test_thesaurus_labels_edited_by_curators_are_used_at_once(client):
    concept = Concept.objects.create(slug="zorblax")
    Label.objects.create(concept=concept, kind=Label.Kind.PREFERRED, language="en", text="zorblax")
    Label.objects.create(concept=concept, kind=Label.Kind.ALTERNATIVE, language="en", text="children's councils")
    slugs, _ = api(client, "/api/practices/", "zorblax")
    assert slugs[0] == "childrens-councils"


def test_related_concepts_are_offered_but_do_not_match(client):
    # smuggling is related to trafficking, not the same: the theme is offered, its entries rank
    # first among the matches, but a query about smuggling alone does not match them all.
    slugs, understood = api(client, "/api/practices/", "child smuggling")
    offers = {(item["facet"], item["value"]): item for item in understood}
    assert offers[("theme", "trafficking")]["relation"] == "related"
    trafficking = set(Practice.objects.published().filter(themes__slug="trafficking").values_list("slug", flat=True))
    assert slugs[0] in trafficking


def test_garbage_never_fails_understanding(client):
    for q in ["art.", "article", "-Kenya", '"sub-Saharan Africa"', "Afrique " * 100, "38 38 38"]:
        assert client.get("/practices/", {"q": q}).status_code == 200
        assert client.get("/api/findings/", {"q": q}).status_code == 200
