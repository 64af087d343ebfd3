"""The content licence, stated once for the licence page, the exports and the API.

The curated text (titles, summaries, descriptions, classifications, links between entries) is the
knowledge base's own work and is published under CC BY 4.0. The verbatim quotations are not: they
stay the work of the conference report's authors and organisers, under the report's own terms (the
report states no open licence), and are reproduced as short, attributed quotations.
"""

from django.utils.translation import gettext_noop

LICENCE_NAME = "CC BY 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
LICENCE_PAGE = "/licence/"
ATTRIBUTION = "Lanzarote Knowledge Base"

LICENCE = {
    "name": LICENCE_NAME,
    "url": LICENCE_URL,
    # marked for the catalogue (the licence page translates it); the API and exports keep the English
    "applies_to": gettext_noop(
        "curated text: titles, summaries, descriptions, classifications and links between entries"
    ),
    "attribution": ATTRIBUTION,
    "quotations": (
        "Verbatim quotations from conference reports are not covered by this licence: they remain the work of "
        "the report's authors and organisers, under the report's own terms, and must be attributed to the report."
    ),
    "terms": LICENCE_PAGE,
}
# An HTTP Link header any client can read, whatever the format (CSV and XLSX have no room for metadata).
LICENCE_LINK_HEADER = f'<{LICENCE_URL}>; rel="license"'
