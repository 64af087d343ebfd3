"""The world map in a real Chromium at 1280 and 375 px: no axe (WCAG 2.1 A/AA) violation, no CSP
or console error, nothing scrolls sideways, and a country link shows its number when it has the
keyboard focus."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from django.test import modify_settings

from tests.browser.conftest import ARTIFACTS, DESKTOP, PHONE, Tab
from tests.browser.test_pages import WCAG_AA, describe

pytestmark = pytest.mark.browser

PATHS = ("/map/", "/map/?entries=findings&pillar=prevention", "/regions/middle-east-north-africa/", "/countries/LB/")


@pytest.fixture
def site(browser, live_server, django_db_setup, django_db_blocker):
    """The live server with the shipped content (loaded for each test: the live server flushes)."""
    with django_db_blocker.unblock(), modify_settings(ALLOWED_HOSTS={"append": "localhost"}):
        call_command("load_kb", verbosity=0)
        yield live_server.url


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "375"])
def test_no_violations_at_both_widths(browser, site, viewport):
    tab, axe = Tab(browser, viewport), Axe()
    try:
        for number, path in enumerate(PATHS):
            response = tab.goto(site + path)
            assert response.status == 200, path
            tab.screenshot(ARTIFACTS / f"world-map-{number}-{viewport['width']}.png", full_page=True)
            violations = [describe(v) for v in axe.run(tab.page, options=WCAG_AA).response["violations"]]
            assert violations == [], (path, violations)
            assert tab.problems() == [], (path, tab.problems())
            width = tab.page.evaluate("document.scrollingElement.scrollWidth")
            assert width <= viewport["width"], (path, width)
            box = tab.page.locator("svg.world-map").bounding_box()
            assert box["width"] > min(viewport["width"] * 0.5, 300), (path, "the map is drawn wide enough", box)
    finally:
        tab.close()


def test_keyboard_focus_on_a_country_shows_its_number(browser, site):
    tab = Tab(browser, DESKTOP)
    try:
        tab.goto(site + "/map/")
        italy = tab.page.locator('svg.world-map a[href="/practices/?country=IT"]')
        label = italy.locator("text.map-count")
        assert not label.is_visible()
        # Tab from the Show button (the last control before the map) until Italy has the focus.
        tab.page.locator(".gap-map-options button").focus()
        for _ in range(20):
            tab.page.keyboard.press("Tab")
            if tab.page.evaluate("document.activeElement.getAttribute('href')") == "/practices/?country=IT":
                break
        else:
            pytest.fail("Tab never reached Italy on the map")
        assert label.is_visible()
        in_table = tab.page.locator('td a[href="/practices/?country=IT"]').text_content()
        assert label.text_content() == f"Italy: {in_table}"
        outline = tab.page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        assert outline != "none"
        tab.screenshot(ARTIFACTS / "world-map-focus-italy.png")
        tab.page.keyboard.press("Enter")
        tab.page.wait_for_url("**/practices/?country=IT")
    finally:
        tab.close()
