"""No public page grows with the catalogue (issue 11, item 7): at a few thousand synthetic
published entries, every kind of public URL in the sitemap and every API list answers within a
fixed query budget, a bounded size, and (on PostgreSQL) a statement timeout."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from config.sitemaps import SITEMAPS
from practices.management.commands.bench import Generator
from practices.models import Finding, Practice

pytestmark = pytest.mark.django_db

PRACTICES = 1500
QUERY_BUDGET = 30
MAX_BYTES = 600_000
API_LISTS = ["/api/practices/", "/api/findings/", "/api/sessions/", "/api/articles/"]


def sitemap_urls(per_section=2):
    urls = []
    for sitemap in SITEMAPS.values():
        sitemap = sitemap() if isinstance(sitemap, type) else sitemap
        urls += [sitemap.location(item) for item in list(sitemap.items()[:per_section])]
    return urls


@pytest.fixture(scope="module")
def generated_entries(django_db_setup, django_db_blocker):
    """The synthetic entries, generated once for the module inside a transaction of its own that is
    rolled back at the end; each test's own transaction is a savepoint within it."""
    module_transaction = transaction.atomic()
    # Marked as Django's TestCase marks its own: the code under test treats it as the test's
    # wrapper (the facet index is kept), not as a transaction of the code's own.
    module_transaction._from_testcase = True
    with django_db_blocker.unblock(), module_transaction:
        generator = Generator(seed=11)
        generator.add(Practice, 0, PRACTICES, batch=500)
        generator.add(Finding, 0, 3 * PRACTICES, batch=1500)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        yield
        transaction.set_rollback(True)


@pytest.fixture
def many_entries(generated_entries, db):
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL statement_timeout = '3s'")
    yield
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # the deferred foreign-key checks of thousands of rows run at teardown: no timeout for them
            cursor.execute("SET LOCAL statement_timeout = 0")


def test_every_public_page_is_bounded_at_thousands_of_entries(client, many_entries, warm_facet_index):
    warm_facet_index()  # built once per content version, not per request
    urls = ["/", *sitemap_urls(), *API_LISTS, "/pillars/prevention/?practices=2&findings=3"]
    assert len(urls) > 15
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        assert len(queries) <= QUERY_BUDGET, (url, len(queries))
        assert len(response.content) < MAX_BYTES, (url, len(response.content))


def test_term_pages_paginate_their_entries(client, many_entries):
    response = client.get("/pillars/prevention/?practices=2")
    practices = response.context["practices"]
    assert practices.page.number == 2 and len(practices) == 20
    assert practices.count == Practice.objects.published().filter(pillars__slug="prevention").count()
    assert 'rel="next"' in response.content.decode()
