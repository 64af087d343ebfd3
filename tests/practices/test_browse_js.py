"""browse.js in a real headless Chromium: ticking a facet swaps the results without a full reload,
puts the state in the address, keeps focus on the box and announces the new count; back restores.
Skipped when no Chromium is available."""

import os
import shutil

import pytest

from practices.models import Practice

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

sync_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture
def counts(kb_content):
    """Read before the browser starts: Playwright's sync API runs an event loop in this thread, where
    Django refuses (and should not need) database access."""
    published = Practice.objects.published()
    return {"total": published.count(), "prevention": published.filter(pillars__slug="prevention").count()}


@pytest.fixture
def browser_page():
    with sync_api.sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        except Exception as error:  # no browser installed here
            pytest.skip(f"no Chromium: {error}")
        yield browser.new_page(viewport={"width": 1200, "height": 900})
        browser.close()


def test_ticking_a_facet_updates_in_place(counts, live_server, browser_page):
    total, prevention = counts["total"], counts["prevention"]
    page = browser_page
    page.goto(f"{live_server.url}/practices/")
    page.locator("h1").first.wait_for()
    assert page.inner_text("#result-count").startswith(f"{total} good practices")
    # a marker a full reload would lose
    page.locator("#browse-status").evaluate("node => node.dataset.marker = 'kept'")

    page.check("#facet-pillar-prevention")
    page.wait_for_url("**/practices/?pillar=prevention")
    page.locator("#result-count", has_text=f"{prevention} good practices").wait_for()
    assert page.locator("#browse-status").evaluate("node => node.dataset.marker") == "kept"
    assert prevention and page.inner_text("#browse-status").startswith(f"{prevention} good practices")
    assert page.evaluate("document.activeElement.id") == "facet-pillar-prevention"
    assert page.locator(".chip", has_text="Pillar: Prevention").count() == 1

    page.go_back()
    page.wait_for_url(f"{live_server.url}/practices/")
    page.locator("#result-count", has_text=f"{total} good practices").wait_for()
    assert not page.is_checked("#facet-pillar-prevention")
