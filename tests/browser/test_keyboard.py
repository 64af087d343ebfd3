"""Keyboard-only use in a real Chromium: the skip link comes first and lands in main, and the browse
filters work without a mouse. (Focus visibility is checked page by page in test_pages.py.)"""

import pytest

from practices.models import Practice
from tests.browser.conftest import PHONE, Tab

pytestmark = pytest.mark.browser

ACTIVE = "document.activeElement"


def tab_to(page, selector, limit=60, key="Tab"):
    """Press Tab until `selector` has focus, as a keyboard user would; fail if it never does."""
    for _ in range(limit):
        page.keyboard.press(key)
        if page.evaluate(f"{ACTIVE}.matches({selector!r})"):
            return
    pytest.fail(f"{selector} is not reachable with Tab within {limit} presses")


def test_skip_link_is_the_first_stop_and_moves_focus_to_main(live_server, desktop):
    # The page frame is the same with or without content, so no content load here.
    desktop.goto(live_server.url + "/")
    desktop.page.keyboard.press("Tab")
    assert desktop.page.evaluate(f"{ACTIVE}.textContent") == "Skip to content"
    box = desktop.page.evaluate(f"{ACTIVE}.getBoundingClientRect().toJSON()")
    assert box["left"] >= 0 and box["top"] >= 0 and box["width"] > 0, "the focused skip link is off screen"

    desktop.page.keyboard.press("Enter")
    assert desktop.page.evaluate(f"{ACTIVE}.id") == "main"
    # The next Tab continues inside main, not back in the header.
    desktop.page.keyboard.press("Tab")
    assert desktop.page.evaluate(f"{ACTIVE}.closest('main') !== null")


def test_filters_work_with_the_keyboard_alone(live_server, kb_content, desktop):
    published = Practice.objects.published()
    desktop.goto(live_server.url + "/practices/")
    count = desktop.page.locator("#result-count")
    assert count.inner_text().startswith(f"{published.count()} good practices")

    # Tick two pillars with Space; browse.js applies each at once and keeps focus on the box.
    tab_to(desktop.page, "#facet-pillar-prevention")
    desktop.page.keyboard.press("Space")
    desktop.page.wait_for_url("**pillar=prevention**")
    assert desktop.page.evaluate(f"{ACTIVE}.id") == "facet-pillar-prevention"
    tab_to(desktop.page, "#facet-pillar-protection", limit=3)
    desktop.page.keyboard.press("Space")
    desktop.page.wait_for_url("**pillar=protection**")

    expected = published.filter(pillars__slug__in=["prevention", "protection"]).distinct().count()
    assert 0 < expected < published.count()
    desktop.page.wait_for_function(
        "n => document.getElementById('result-count').textContent.trim().startsWith(n + ' good practice')",
        arg=str(expected),
    )
    assert "pillar=prevention" in desktop.page.url
    # Enter in the words box (reached with Shift+Tab) submits the filter form.
    tab_to(desktop.page, "#id_q", key="Shift+Tab")
    desktop.page.keyboard.type("zzzznothing")
    desktop.page.keyboard.press("Enter")
    desktop.page.wait_for_url("**q=zzzznothing**")
    desktop.page.wait_for_function("document.getElementById('result-count').textContent.trim().startsWith('0 ')")
    assert desktop.problems() == []


def test_on_a_phone_the_filters_can_be_skipped_to_the_results(live_server, kb_content, browser):
    phone = Tab(browser, PHONE)
    try:
        phone.goto(live_server.url + "/practices/")
        tab_to(phone.page, ".skip-filters a")
        phone.page.keyboard.press("Enter")
        # Following the link moves focus to the results, so the next Tab continues there.
        phone.page.wait_for_function(f"{ACTIVE}.id === 'browse-results'")
        phone.page.keyboard.press("Tab")
        focused = phone.page.evaluate(f"{ACTIVE}.outerHTML.slice(0, 120)")
        assert phone.page.evaluate(f"{ACTIVE}.closest('#browse-results') !== null"), focused
        top = phone.page.evaluate("document.querySelector('#browse-results').getBoundingClientRect().top")
        assert top < PHONE["height"]
    finally:
        phone.close()
