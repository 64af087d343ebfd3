"""A new gunicorn worker builds its indexes before its first request (config/warmup.py)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from config.warmup import warm_caches, warm_worker
from practices.facet_index import FacetIndex
from practices.facets import facets_for
from practices.models import Finding, Practice
from practices.selectors import load_vocabularies
from search.understanding import LabelIndex

pytestmark = pytest.mark.django_db


def test_after_the_warm_up_the_indexes_cost_no_query():
    assert warm_worker() is True
    with CaptureQueriesContext(connection) as queries:
        for model in (Practice, Finding):
            FacetIndex.current(model, facets_for(model)).ordered_ids("title")
            load_vocabularies(model)
        LabelIndex.current()
        warm_caches()  # the records, the facets' options, the named pages, every browse order
    assert len(queries) == 0


def test_a_worker_starts_even_when_the_database_cannot_be_read(monkeypatch, caplog):
    def unreachable(*args, **kwargs):
        raise ConnectionError("database down")

    monkeypatch.setattr(FacetIndex, "current", unreachable)
    assert warm_worker() is False
    assert "Warm-up failed" in caplog.text
