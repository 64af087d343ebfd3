"""Every page in pages.PAGES, in a real Chromium: axe-core finds no WCAG 2.1 A/AA violation, the
console stays free of errors and CSP violations, and at 375 px nothing scrolls sideways.

Live-server tests flush the database after each test, so one module-scoped crawl loads the content
once, visits every page at both widths and records what it saw; the tests then judge each page
(they are not live-server tests themselves: the crawl flushes the database once, at the end).
"""

from dataclasses import dataclass, field

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from django.test import modify_settings

from tests.browser.conftest import (
    ARTIFACTS,
    DESKTOP,
    PHONE,
    Tab,
    elements_without_focus_ring,
    flush_database,
    live_server_for_a_crawl,
)
from tests.browser.pages import PAGES, page_params

pytestmark = pytest.mark.browser

WCAG_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}


@dataclass
class Visit:
    status: int
    problems: list = field(default_factory=list)
    violations: list = field(default_factory=list)
    scroll_width: int = 0
    no_focus_ring: list = field(default_factory=list)


def describe(violation):
    targets = "; ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
    return f"{violation['id']} ({violation['impact']}): {violation['help']} -> {targets}"


def visit(tab, url, screenshot, axe=None, tab_through=False):
    response = tab.goto(url)
    result = Visit(status=response.status)
    tab.screenshot(screenshot, full_page=True)
    result.scroll_width = tab.page.evaluate("document.scrollingElement.scrollWidth")
    if axe:
        result.violations = [describe(v) for v in axe.run(tab.page, options=WCAG_AA).response["violations"]]
    if tab_through:
        result.no_focus_ring = elements_without_focus_ring(tab.page)
    # A 404 page logs its own status as a failed load; anything else is a real problem.
    result.problems = [p for p in tab.problems() if not (response.status == 404 and p.endswith(f"[{url}]"))]
    return result


@pytest.fixture(scope="module")
def crawl(browser, request, django_db_setup, django_db_blocker):
    """{(page name, "desktop"|"phone"): Visit} for every page, with the shipped content loaded."""
    live_server = live_server_for_a_crawl(request)
    axe = Axe()
    visits = {}
    desktop, phone = Tab(browser, DESKTOP), Tab(browser, PHONE)
    with django_db_blocker.unblock(), modify_settings(ALLOWED_HOSTS={"append": "localhost"}):
        call_command("load_kb", verbosity=0)
        for page in PAGES:
            url = live_server.url + page.path
            visits[page.name, "desktop"] = visit(
                desktop, url, ARTIFACTS / f"{page.name}-1280.png", axe, page.tab_through
            )
            visits[page.name, "phone"] = visit(phone, url, ARTIFACTS / f"{page.name}-375.png")
    desktop.close()
    phone.close()
    yield visits
    with django_db_blocker.unblock():
        flush_database()


def checked(crawl, site_page, viewport):
    result = crawl[site_page.name, viewport]
    if site_page.pending and result.status == 404:
        pytest.skip(f"{site_page.path} is not built yet (404)")
    expected = 404 if site_page.name == "not-found" else 200
    assert result.status == expected, f"{site_page.path} answered {result.status}"
    return result


@page_params
def test_no_axe_violations(crawl, site_page):
    result = checked(crawl, site_page, "desktop")
    assert result.violations == [], "\n".join(result.violations)


@page_params
def test_no_console_errors_or_csp_violations(crawl, site_page):
    for viewport in ("desktop", "phone"):
        result = checked(crawl, site_page, viewport)
        assert result.problems == [], f"{viewport}: " + "\n".join(result.problems)


@page_params
def test_no_horizontal_scrolling_on_a_phone(crawl, site_page):
    result = checked(crawl, site_page, "phone")
    assert result.scroll_width <= PHONE["width"], f"page is {result.scroll_width}px wide at {PHONE['width']}px"


@pytest.mark.parametrize("site_page", [pytest.param(page, id=page.name) for page in PAGES if page.tab_through])
def test_focus_is_always_visible(crawl, site_page):
    result = checked(crawl, site_page, "desktop")
    assert result.no_focus_ring == [], "focus not visible on:\n" + "\n".join(result.no_focus_ring)


def test_axe_runs_under_our_csp_and_reports_what_it_finds(live_server, desktop):
    """Guards the checks above against passing because axe-core never ran (e.g. blocked by the CSP)."""
    desktop.goto(live_server.url + "/")
    # Leave the home search box without a name: no label, no placeholder.
    desktop.page.evaluate("document.querySelector('label[for=home-search]').remove()")
    desktop.page.evaluate("document.querySelector('#home-search').removeAttribute('placeholder')")
    violations = Axe().run(desktop.page, options=WCAG_AA).response["violations"]
    assert "label" in {violation["id"] for violation in violations}
