"""browse.js in a real headless Chromium: ticking a facet swaps the results without a full reload,
puts the state in the address, keeps focus on the box and announces the new count; back restores."""

import pytest

from practices.models import Practice

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
