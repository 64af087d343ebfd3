"""Keyboard-only use in a real Chromium: the skip link comes first and lands in main, and the browse
filters work without a mouse. (Focus visibility is checked page by page in test_pages.py.)"""

import pytest

from practices.models import Practice
from tests.browser.conftest import PHONE, Tab

pytestmark = pytest.mark.browser

ACTIVE = "document.activeElement"


def tab_to(page, selector, limit=60):
    """Press Tab until `selector` has focus, as a keyboard user would; fail if it never does."""
    for _ in range(limit):
        page.keyboard.press("Tab")
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
    count = desktop.page.locator(".result-count")
    assert count.inner_text() == f"{published.count()} good practices"

    tab_to(desktop.page, "#id_pillar")
    desktop.page.keyboard.press("ArrowDown")  # first pillar
    desktop.page.keyboard.press("ArrowDown")  # second pillar
    first_two = desktop.page.evaluate(
        "[...document.querySelectorAll('#id_pillar option')].slice(0, 2).map(o => o.value)"
    )
    desktop.page.keyboard.press("Control+ArrowUp")  # move to the first without changing the selection
    desktop.page.keyboard.press("Control+Space")  # and add it: both are selected now
    selected = desktop.page.evaluate("[...document.querySelector('#id_pillar').selectedOptions].map(o => o.value)")
    assert selected == first_two

    tab_to(desktop.page, "button[type=submit]:is(.filters *)")
    with desktop.page.expect_navigation():
        desktop.page.keyboard.press("Enter")

    assert all(f"pillar={slug}" in desktop.page.url for slug in first_two)
    expected = published.filter(pillars__slug__in=first_two).distinct().count()
    assert 0 < expected < published.count()
    assert count.inner_text() == f"{expected} good practice{'s' if expected != 1 else ''}"
    assert desktop.problems() == []


def test_on_a_phone_the_filters_can_be_skipped_to_the_results(live_server, browser):
    # Only the page frame matters here, so no content load: an empty list still has its results area.
    phone = Tab(browser, PHONE)
    try:
        phone.goto(live_server.url + "/practices/")
        tab_to(phone.page, ".skip-filters a")
        phone.page.keyboard.press("Enter")
        phone.page.keyboard.press("Tab")
        assert phone.page.evaluate(f"{ACTIVE}.closest('#results') !== null")
        assert phone.page.evaluate("document.querySelector('#results').getBoundingClientRect().top") < PHONE["height"]
    finally:
        phone.close()
