"""What crawlers may index: a canonical link on every page, ``noindex`` on filter combinations.

A list page with at most one facet value is a page worth finding (``/practices/?pillar=prevention``);
with two or more, or with words (``q``), it is one of endlessly many combinations: ``noindex``, and
its canonical link points at the unfiltered list. ``sort`` never changes what a page is, so the
canonical link drops it; a page number above 1 is kept. robots.txt (config/pages.py) asks crawlers
not to fetch those combinations in the first place.
"""

from urllib.parse import urlencode

NEUTRAL_PARAMETERS = frozenset({"sort", "page"})
WORDS_PARAMETER = "q"


def selected_parameters(query):
    """(name, value) for every non-empty value (the search box sends an empty ``q``)."""
    return [(name, value) for name, values in query.lists() for value in values if value.strip()]


def indexing(request):
    """(canonical URL, noindex) for a request."""
    pairs = selected_parameters(request.GET)
    facets = [(name, value) for name, value in pairs if name not in NEUTRAL_PARAMETERS and name != WORDS_PARAMETER]
    noindex = len(facets) > 1 or any(name == WORDS_PARAMETER for name, _ in pairs)
    keep = [] if noindex else list(facets)
    page = request.GET.get("page", "")
    if not noindex and page.isdigit() and int(page) > 1:
        keep.append(("page", page))
    path = request.path + (f"?{urlencode(keep)}" if keep else "")
    return request.build_absolute_uri(path), noindex


def seo(request):
    """Context processor: ``canonical_url`` and ``filter_noindex`` for base.html."""
    canonical_url, noindex = indexing(request)
    return {"canonical_url": canonical_url, "filter_noindex": noindex}
