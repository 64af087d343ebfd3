"""Caching keyed by the content version (issue 11, item 3): a repeat visit is a 304, and any
change of public content (publishing, a vocabulary edit) makes a new version."""

import pytest

from practices.models import Status
from practices.versioning import cache_key, content_version
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
