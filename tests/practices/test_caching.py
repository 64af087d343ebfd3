"""Caching keyed by the content version (issue 11, item 3): a repeat visit is a 304, and any
change of public content (publishing, a vocabulary edit) makes a new version."""

import pytest

from common.versioning import cache_key, content_version
from practices.models import Status
from taxonomy.models import Pillar, Region, Theme
from tests.factories import PracticeFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/practices/?pillar=prevention", "/api/practices/", "/pillars/prevention/"])
def test_a_repeat_visit_is_not_modified(client, url):
    first = client.get(url)
    assert first.status_code == 200 and first["ETag"] and first["Last-Modified"]
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert client.get(url, HTTP_IF_NONE_MATCH='"something-else"').status_code == 200


def test_publishing_changes_the_version_and_the_etag(client):
    etag = client.get("/practices/")["ETag"]
    version = content_version()
    key = cache_key("facets", "/practices/")
    practice = PracticeFactory(status=Status.DRAFT)
    practice.status = Status.PUBLISHED
    practice.save()
    assert content_version() != version
    assert cache_key("facets", "/practices/") != key
    assert client.get("/practices/", HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_a_vocabulary_edit_changes_the_version():
    version = content_version()
    theme = Theme.objects.first()
    theme.name += " (renamed)"
    theme.save()
    assert content_version() != version


def test_facet_counts_are_cached_by_filter_state_and_stay_exact(client, settings):
    settings.KB_FACET_CACHE_SECONDS = 60
    first = client.get("/practices/?pillar=prevention")
    counts = {o.value: o.count for f in first.context["facets"] if f.name == "region" for o in f.options}
    PracticeFactory(
        status=Status.PUBLISHED,
        pillars=Pillar.objects.filter(slug="prevention"),
        regions=Region.objects.filter(slug="europe"),
    )
    second = client.get("/practices/?pillar=prevention")
    after = {o.value: o.count for f in second.context["facets"] if f.name == "region" for o in f.options}
    assert after["europe"] == counts["europe"] + 1


@pytest.fixture
def page_cache(settings):
    settings.KB_PAGE_CACHE_SECONDS = 60


def test_an_anonymous_page_is_served_again_from_the_cache_without_queries(
    client, page_cache, django_assert_num_queries
):
    first = client.get("/practices/?pillar=prevention")
    assert first.status_code == 200 and "X-Page-Cache" not in first
    with django_assert_num_queries(0):
        again = client.get("/practices/?pillar=prevention")
    assert again["X-Page-Cache"] == "hit"
    assert again.content == first.content
    assert again["Content-Security-Policy"] and again["ETag"] == first["ETag"]


def test_a_publication_is_shown_at_once_despite_the_page_cache(client, page_cache):
    client.get("/practices/")
    practice = PracticeFactory(status=Status.DRAFT, title="Aaaa first in the list")
    practice.status = Status.PUBLISHED
    practice.save()
    response = client.get("/practices/")
    assert "X-Page-Cache" not in response and "Aaaa first in the list" in response.content.decode()


def test_pages_are_cached_per_language_and_per_host(client, page_cache, settings):
    settings.ALLOWED_HOSTS = ["testserver", "other.example"]
    english = client.get("/practices/").content
    french = client.get("/fr/practices/")
    assert "X-Page-Cache" not in french and french.content != english
    assert "X-Page-Cache" not in client.get("/api/practices/", HTTP_HOST="testserver")
    other_host = client.get("/api/practices/", HTTP_HOST="other.example")
    assert "X-Page-Cache" not in other_host and b"http://other.example/" in other_host.content


def test_a_visitor_with_a_session_or_csrf_cookie_never_gets_or_leaves_a_cached_page(client, page_cache):
    client.get("/practices/")
    client.cookies["csrftoken"] = "a" * 32
    assert "X-Page-Cache" not in client.get("/practices/")
    form = client.get("/suggest/")
    assert form.status_code == 200
    del client.cookies["csrftoken"]
    # the form page sets a CSRF cookie: it is never stored, so nobody gets another's token
    first = client.get("/suggest/")
    assert "X-Page-Cache" not in first and first.cookies.get("csrftoken")
    assert "X-Page-Cache" not in client.get("/suggest/")


def test_logged_in_curators_never_get_cached_pages(admin_client, client, page_cache):
    client.get("/practices/")
    assert "X-Page-Cache" not in admin_client.get("/practices/")
