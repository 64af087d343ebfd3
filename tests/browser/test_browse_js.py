"""browse.js in a real headless Chromium: ticking a facet swaps the results without a full reload,
puts the state in the address, keeps focus on the box and announces the new count; back restores."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from practices.models import Practice
from tests.browser.test_pages import WCAG_AA

pytestmark = pytest.mark.browser


def test_ticking_a_facet_updates_in_place(live_server, kb_content, desktop):
    published = Practice.objects.published()
    total, prevention = published.count(), published.filter(pillars__slug="prevention").count()
    page = desktop.page
    desktop.goto(f"{live_server.url}/practices/")
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
    assert desktop.problems() == []


def test_the_compare_bar_counts_keeps_and_submits_the_ticked_practices(live_server, kb_content, desktop):
    page = desktop.page
    desktop.goto(f"{live_server.url}/practices/?q=sub-Saharan%20Africa")
    boxes = page.locator('input[type="checkbox"][form="compare-form"]')
    first, second = boxes.nth(0).get_attribute("value"), boxes.nth(1).get_attribute("value")
    boxes.nth(0).check()
    boxes.nth(1).check()
    assert page.inner_text("[data-compare-submit]") == "Compare (2)"
    violations = Axe().run(page, options=WCAG_AA).response["violations"]
    assert violations == [], [v["id"] for v in violations]
    # The choice survives a filter applied in place: the kept box is ticked again.
    page.check("#facet-pillar-prevention")
    page.wait_for_url("**pillar=prevention**")
    page.locator("[data-compare-submit]", has_text="Compare (2)").wait_for()
    page.click("[data-compare-submit]")
    page.wait_for_url("**/compare/**")
    assert first in page.url and second in page.url
    assert desktop.problems() == []
