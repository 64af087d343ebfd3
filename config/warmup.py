"""What a new worker builds before it takes its first request: the facet index of each entry list
(with its title order, and the vocabularies a detail page reads off it) and the search's label
index. Built lazily, they would make the first request after every worker start, or after every
recycling of a worker (``max_requests``), wait about two seconds at 100,000 entries; under load
those requests time out."""

import logging

from practices.facet_index import FacetIndex
from practices.facets import facets_for
from practices.models import Finding, Practice
from practices.selectors import load_vocabularies
from search.understanding import LabelIndex

logger = logging.getLogger(__name__)


def warm_worker() -> bool:
    """Build the indexes now; False (and a log line) if the database cannot be read, in which case
    the first requests build them as they would have anyway."""
    try:
        for model in (Practice, Finding):
            FacetIndex.current(model, facets_for(model)).ordered_ids("title")
            load_vocabularies(model)
        LabelIndex.current()
    except Exception:  # a worker must start even while the database is down (/readyz says so)
        logger.exception("Warm-up failed: the first requests will build the indexes")
        return False
    return True
