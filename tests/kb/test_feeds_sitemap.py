"""The Atom feed, sitemap.xml and the OpenAPI schema: published entries only, every public page
listed, and API docs that need no inline script or CDN."""

import re
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from practices.models import Finding, Practice, Status
from taxonomy.models import Country
from tests.factories import FindingFactory, PracticeFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def test_feed_lists_the_newest_published_practices(client, django_assert_max_num_queries):
    newest = PracticeFactory(title="The newest practice", published_at=timezone.now())
    PracticeFactory(status=Status.DRAFT, title="Secret draft practice")
    with django_assert_max_num_queries(3):
        response = client.get("/feeds/practices.atom")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    entries = root.findall(f"{ATOM}entry")
    assert entries[0].find(f"{ATOM}title").text == "The newest practice"
    assert entries[0].find(f"{ATOM}link").get("href") == f"http://testserver{newest.get_absolute_url()}"
    assert len(entries) == min(30, Practice.objects.published().count())
    assert b"Secret draft practice" not in response.content
    assert {c.get("term") for c in entries[0].findall(f"{ATOM}category")} == {"Protection"}


def test_pages_advertise_the_feed(client):
    text = client.get("/").content.decode()
    assert (
        '<link rel="alternate" type="application/atom+xml" title="Newest good practices" href="/feeds/practices.atom">'
        in text
    )


def sitemap_urls(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    return {loc.text.removeprefix("http://testserver") for loc in root.iter(f"{SITEMAP}loc")}


def test_sitemap_lists_every_public_page_and_no_draft(client):
    draft = PracticeFactory(status=Status.DRAFT)
    review = FindingFactory(status=Status.IN_REVIEW)
    urls = sitemap_urls(client)
    for path in ("/", "/practices/", "/findings/", "/articles/", "/gap-map/", "/map/", "/conferences/rome-2012/"):
        assert path in urls
    assert "/sources/rome-2012-report/" in urls
    assert "/sessions/rome-2012-mediterranean-panel/" in urls
    assert {"/pillars/prevention/", "/regions/europe/", "/articles/38/", "/themes/sex-tourism-travel/"} <= urls
    for entry in [*Practice.objects.published(), *Finding.objects.published()]:
        assert entry.get_absolute_url() in urls
    assert draft.get_absolute_url() not in urls
    assert review.get_absolute_url() not in urls


def test_sitemap_lists_only_countries_with_published_entries(client):
    lonely = Country.objects.filter(practices__isnull=True, findings__isnull=True).first()
    PracticeFactory(status=Status.DRAFT).countries.add(lonely)
    urls = sitemap_urls(client)
    assert "/countries/MA/" in urls
    assert lonely.get_absolute_url() not in urls
    country_urls = {url for url in urls if url.startswith("/countries/")}
    published = Country.objects.filter(practices__status="published").distinct().count()
    assert len(country_urls) >= published


def test_schema_describes_the_api_and_its_filters(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "Lanzarote Knowledge Base API"
    paths = schema["paths"]
    assert {"/api/practices/", "/api/practices/{slug}/", "/api/findings/", "/api/sessions/", "/api/articles/"} <= set(
        paths
    )
    parameters = {p["name"]: p for p in paths["/api/practices/"]["get"]["parameters"]}
    assert {
        "pillar",
        "region",
        "country",
        "theme",
        "article",
        "session",
        "section",
        "target_group",
        "q",
        "page",
    } <= set(parameters)
    assert parameters["pillar"]["schema"]["items"]["type"] == "string"
    practice = schema["components"]["schemas"]["Practice"]["properties"]
    assert practice["source"]["properties"].keys() == {"document", "section", "quote"}
    assert practice["pillars"]["items"]["type"] == "string"


def test_api_docs_need_no_inline_script_style_or_cdn(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    text = response.content.decode()
    assert '<html lang="en">' in text
    assert "<style" not in text and "style=" not in text
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", text, re.S)
    assert scripts and all('src="/' in attributes and not body.strip() for attributes, body in scripts)
    assert "//cdn" not in text and "https://" not in text
    assert "script-src 'self'" in response["Content-Security-Policy"]
    script = client.get("/api/docs/?script")
    assert script.status_code == 200 and b"SwaggerUIBundle" in script.content
    assert client.get(re.search(r'<script src="(/static/[^"]+swagger-ui-bundle.js)"', text)[1]).status_code == 200
