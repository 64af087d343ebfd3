"""Public-site essentials (issue 12): robots.txt, canonical links and noindex on filter combinations,
entry metadata, licence, privacy and accessibility pages, licence metadata, CORS on the API."""

import re

import pytest

pytestmark = pytest.mark.django_db

PRACTICE = "/practices/prosecuting-sexual-offences-committed-abroad/"
NOINDEX = '<meta name="robots" content="noindex">'


def canonical(html):
    found = re.findall(r'<link rel="canonical" href="([^"]*)">', html)
    assert len(found) == 1, found
    return found[0].replace("&amp;", "&")


@pytest.mark.parametrize(
    ("url", "expected_canonical", "indexed"),
    [
        ("/practices/", "/practices/", True),
        ("/practices/?pillar=prevention", "/practices/?pillar=prevention", True),
        ("/practices/?sort=title&pillar=prevention", "/practices/?pillar=prevention", True),
        ("/practices/?q=", "/practices/", True),  # the search box's empty submit
        ("/findings/?kind=challenge&page=1", "/findings/?kind=challenge", True),
        ("/practices/?pillar=prevention&region=europe", "/practices/", False),
        ("/practices/?pillar=prevention&pillar=protection", "/practices/", False),
        ("/findings/?q=cooperation", "/findings/", False),
        ("/findings/?q=cooperation&kind=challenge", "/findings/", False),
        ("/themes/sex-tourism-travel/?pillar=prevention&region=europe", "/themes/sex-tourism-travel/", False),
        (PRACTICE + "?utm_source=x", PRACTICE + "?utm_source=x", True),
        (PRACTICE, PRACTICE, True),
    ],
)
def test_canonical_link_and_noindex_on_filtered_urls(client, url, expected_canonical, indexed):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert canonical(html) == "http://testserver" + expected_canonical
    assert (NOINDEX not in html) is indexed


def test_every_page_in_the_sitemap_has_one_canonical_link_to_itself(client):
    sitemap = client.get("/sitemap.xml").content.decode()
    locations = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    assert len(locations) > 50
    for location in locations[::7]:  # a sample across every section of the sitemap
        html = client.get(location.replace("http://testserver", "")).content.decode()
        assert canonical(html) == location, location


def test_robots_txt_disallows_combinations_and_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    for rule in (
        "Disallow: /*?q=",
        "Disallow: /*&q=",
        "Disallow: /*&pillar=",
        "Disallow: /*&kind=",
        "Disallow: /admin/",
    ):
        assert rule in lines
    # The first facet stays crawlable: no rule matches "?pillar=" at the start of a query.
    assert not any(line.startswith("Disallow: /*?pillar") for line in lines)


def test_entry_pages_carry_opengraph_and_citation_metadata(client):
    html = client.get(PRACTICE).content.decode()
    url = "http://testserver" + PRACTICE
    assert '<meta property="og:type" content="article">' in html
    assert f'<meta property="og:url" content="{url}">' in html
    assert (
        '<meta name="citation_title" content="Prosecuting sexual offences against children committed abroad">' in html
    )
    assert f'<meta name="citation_public_url" content="{url}">' in html
    assert re.search(r'<meta name="citation_publication_date" content="\d{4}/\d{2}/\d{2}">', html)
    assert '<meta name="citation_conference_title" content="The International Rome Conference' in html
    finding = client.get("/findings/convention-focuses-on-international-cooperation/").content.decode()
    assert 'name="citation_title"' in finding and 'property="og:title"' in finding


@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("/licence/", ["CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/", "report's own terms"]),
        ("/privacy/", ["What we collect", "Who sees it", "How long we keep it", "e-mail address"]),
        ("/accessibility/", ["WCAG", "2.1", "level AA", "axe-core", "keyboard"]),
    ],
)
def test_licence_privacy_and_accessibility_pages(client, path, words):
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert all(word in html for word in words)
    assert f"<loc>http://testserver{path}</loc>" in client.get("/sitemap.xml").content.decode()


def test_footer_links_the_three_pages_and_both_forms_link_the_privacy_notice(client):
    home = client.get("/").content.decode()
    for path in ("/licence/", "/privacy/", "/accessibility/"):
        assert f'href="{path}"' in home
    for form in ("/suggest/", f"/report/practice/{PRACTICE.split('/')[2]}/"):
        html = client.get(form).content.decode()
        assert 'class="form-privacy"' in html and 'href="/privacy/">privacy notice</a>' in html, form


def test_api_and_exports_state_the_licence(client):
    api = client.get("/api/practices/")
    assert api.json()["licence"]["name"] == "CC BY 4.0"
    assert api["Link"] == '<https://creativecommons.org/licenses/by/4.0/>; rel="license"'
    export = client.get("/practices/export.json?pillar=prevention")
    body = b"".join(export.streaming_content).decode()
    assert export["Link"] == api["Link"]
    assert '"licence": {"name": "CC BY 4.0"' in body and '"results": [' in body
    assert client.get("/findings/export.csv")["Link"] == api["Link"]
    assert "Link" not in client.get("/practices/")


def test_cors_allows_any_origin_to_read_the_api_but_nothing_else(client):
    api = client.get("/api/practices/", HTTP_ORIGIN="https://elsewhere.example")
    assert api["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in api
    page = client.get("/practices/", HTTP_ORIGIN="https://elsewhere.example")
    assert "Access-Control-Allow-Origin" not in page
    preflight = client.options(
        "/api/practices/", HTTP_ORIGIN="https://elsewhere.example", HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST"
    )
    assert "POST" not in preflight.get("Access-Control-Allow-Methods", "")
