"""The pages the browser suite checks: one list, so a new page is one line here.

Each page is visited at desktop width (axe-core, console, CSP) and at phone width (no horizontal
scrolling), with full-page screenshots of both in test-artifacts/browser/.
"""

from dataclasses import dataclass

import pytest


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    # Pages other branches are building: skipped while they answer 404, checked once merged.
    pending: bool = False
    # Also Tab through the page's first stops and check each shows a focus ring.
    tab_through: bool = False


PAGES = [
    Page("home", "/", tab_through=True),
    Page("practices", "/practices/"),
    Page(
        "practices-filtered", "/practices/?pillar=protection&region=europe&theme=sex-tourism-travel", tab_through=True
    ),
    Page("practices-search", "/practices/?q=tourism"),
    Page("practices-understood", "/practices/?q=Kenya", tab_through=True),
    Page("findings-understood-no-results", "/findings/?q=Kenya&kind=fact&theme=gender-equality"),
    Page("practices-ignored-filter", "/practices/?pillar=no-such-pillar&page=999"),
    Page("practice", "/practices/prosecuting-sexual-offences-committed-abroad/", tab_through=True),
    Page("findings", "/findings/?kind=challenge"),
    Page("method", "/method/"),
    Page("finding-with-speaker", "/findings/italian-committee-coordinating-ministries-on-pedophilia/"),
    Page("finding", "/findings/convention-focuses-on-international-cooperation/"),
    Page("articles", "/articles/"),
    Page("article", "/articles/38/"),
    Page("conference", "/conferences/rome-2012/"),
    Page("session", "/sessions/rome-2012-opening/"),
    Page("report", "/sources/rome-2012-report/"),
    Page(
        "report-highlight",
        "/sources/rome-2012-report/?finding=convention-focuses-on-international-cooperation",
        tab_through=True,
    ),
    Page("organisation", "/organisations/ecpat-italy/"),
    Page("project", "/projects/one-in-five-campaign/"),
    Page("pillar", "/pillars/prevention/"),
    Page("region", "/regions/europe/"),
    Page("country", "/countries/IT/"),
    Page("theme", "/themes/sex-tourism-travel/"),
    Page("not-found", "/practices/no-such-practice/"),
    Page("admin-login", "/admin/login/", tab_through=True),
    Page("gap-map", "/gap-map/", tab_through=True),
    Page("world-map", "/map/", tab_through=True),
    Page("world-map-findings", "/map/?entries=findings&pillar=prosecution"),
    Page("region-map", "/regions/middle-east-north-africa/"),
    Page("gap-map-themes", "/gap-map/?rows=themes&entries=findings"),
    Page(
        "compare",
        "/compare/?practice=prosecuting-sexual-offences-committed-abroad&practice=multidisciplinary-team-for-child-victims",
        tab_through=True,
    ),
    Page("compare-regions", "/compare/regions/?region=europe&region=sub-saharan-africa"),
    Page("suggest", "/suggest/", tab_through=True),
    Page("report-correction", "/report/practice/prosecuting-sexual-offences-committed-abroad/"),
    Page("licence", "/licence/"),
    Page("privacy", "/privacy/"),
    Page("accessibility", "/accessibility/", tab_through=True),
]

page_params = pytest.mark.parametrize("site_page", [pytest.param(page, id=page.name) for page in PAGES])
