"""What a new worker builds before it takes its first request: the facet index of each entry list
(with its browse orders and entry-to-options tables, the vocabularies a detail page reads off it
and each facet's options), the records kept per process (sections, sessions, named pages) and
the search's label index. Built lazily, they would make the first request after every worker
start, or after every recycling of a worker (``max_requests``), wait about two seconds at 100,000
entries; under load those requests time out."""

import logging

from practices.facet_index import FacetIndex
from practices.facets import facets_for
from practices.models import Finding, Practice
from practices.selectors import kept_records, load_vocabularies
from search.services import named_pages
from search.understanding import LabelIndex

logger = logging.getLogger(__name__)


def warm_caches() -> None:
    """Build now everything a page keeps per process and content version."""
    for model in (Practice, Finding):
        facets = facets_for(model)
        FacetIndex.current(model, facets).warm()
        load_vocabularies(model)
        for facet in facets:
            if facet.is_vocabulary:
                facet.kept_terms()
    kept_records()
    named_pages()
    LabelIndex.current()


def warm_worker() -> bool:
    """Build the indexes now; False (and a log line) if the database cannot be read, in which case
    the first requests build them as they would have anyway."""
    try:
        warm_caches()
    except Exception:  # a worker must start even while the database is down (/readyz says so)
        logger.exception("Warm-up failed: the first requests will build the indexes")
        return False
    return True
