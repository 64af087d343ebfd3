"""The French site in a real Chromium: axe-core finds no WCAG 2.1 A/AA violation on the French
pages (which carry lang="fr", and lang="en" on the English text of the entries), and the language
switcher goes back and forth on a filtered browse page, keeping the page and its filters."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.test_pages import WCAG_AA, describe

pytestmark = pytest.mark.browser

FRENCH_PAGES = [
    "/fr/",
    "/fr/practices/?pillar=protection&region=europe&theme=sex-tourism-travel",
    "/fr/practices/?q=tourisme+sexuel",
    "/fr/findings/?kind=challenge",
    "/fr/practices/prosecuting-sexual-offences-committed-abroad/",
    "/fr/findings/convention-focuses-on-international-cooperation/",
    "/fr/articles/",
    "/fr/articles/38/",
    "/fr/regions/sub-saharan-africa/",
    "/fr/gap-map/",
    "/fr/compare/?practice=prosecuting-sexual-offences-committed-abroad&practice=multidisciplinary-team-for-child-victims",
    "/fr/compare/regions/?region=europe&region=sub-saharan-africa",
    "/fr/sources/rome-2012-report/",
    "/fr/suggest/",
    "/fr/method/",
    "/fr/map/",
    "/fr/licence/",
    "/fr/privacy/",
    "/fr/accessibility/",
]


def test_the_french_pages_pass_axe(live_server, kb_content, desktop):
    axe = Axe()
    found = {}
    for path in FRENCH_PAGES:
        response = desktop.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        assert desktop.page.get_attribute("html", "lang") == "fr"
        violations = [describe(v) for v in axe.run(desktop.page, options=WCAG_AA).response["violations"]]
        problems = desktop.problems()
        if violations or problems:
            found[path] = violations + problems
    assert found == {}


def test_the_switcher_round_trips_on_a_filtered_browse_page(live_server, kb_content, desktop):
    page = desktop.page
    path = "/practices/?pillar=prevention&region=sub-saharan-africa&sort=title"
    desktop.goto(f"{live_server.url}{path}")
    english_count = page.inner_text("#result-count")
    page.click(".language-switcher a[hreflang='fr']")
    page.wait_for_url(f"{live_server.url}/fr{path}")
    assert page.get_attribute("html", "lang") == "fr"
    assert page.is_checked("#facet-pillar-prevention") and page.is_checked("#facet-region-sub-saharan-africa")
    assert page.inner_text("#result-count").split()[0] == english_count.split()[0]
    assert page.locator(".chip", has_text="Afrique subsaharienne").count() == 1
    page.click(".language-switcher a[hreflang='en']")
    page.wait_for_url(f"{live_server.url}{path}")
    assert page.get_attribute("html", "lang") == "en"
    assert page.inner_text("#result-count") == english_count
    # English was chosen: the home page no longer sends this browser to French
    desktop.goto(f"{live_server.url}/")
    assert page.url == f"{live_server.url}/"
    assert desktop.problems() == []


def test_a_french_browser_lands_on_the_french_home_page(live_server, kb_content, browser):
    context = browser.new_context(locale="fr-FR", extra_http_headers={"Accept-Language": "fr-FR,fr;q=0.9"})
    page = context.new_page()
    page.goto(f"{live_server.url}/")
    assert page.url == f"{live_server.url}/fr/"
    assert page.get_attribute("html", "lang") == "fr"
    context.close()
