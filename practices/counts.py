"""Counts of published entries per term (and per pair of terms) for the home page, the gap map and
term pages, read off the facet index (practices/facet_index.py): a term's count is the population
count of its bitmap, a pair's the count of the AND of two. On a warm index they cost no query, and
they follow the number of terms, not of entries or links. Zero counts are left out."""

import numpy as np

from practices.facet_index import FacetIndex, bits_of
from practices.facets import FACETS, facets_for
from practices.models import Finding, Practice

FACET_OF_RELATION = {facet.field: facet.name for facet in FACETS}


def term_bitmaps(model, relation) -> tuple[FacetIndex, dict[int, int]]:
    """The facet index of ``model`` and ``{term id: bitmap of its published entries}`` under
    ``relation`` (a many-to-many facet field, such as ``"pillars"``)."""
    index = FacetIndex.current(model, facets_for(model))
    bitmaps = index.bitmaps[FACET_OF_RELATION[relation]]
    return index, {int(key): bits for key, bits in bitmaps.items()}


def published_counts(model, relation, within=None) -> dict[int, int]:
    """``{term id: number of published entries}`` of ``model`` under ``relation``;
    ``within=(other relation, term)``: only the entries that also carry that term (a term page's
    breakdown)."""
    index, bitmaps = term_bitmaps(model, relation)
    base = index.published
    if within is not None:
        other_relation, term = within
        base &= term_bitmaps(model, other_relation)[1].get(getattr(term, "pk", term), 0)
    counts = {term_id: (bits & base).bit_count() for term_id, bits in bitmaps.items()}
    return {term_id: count for term_id, count in counts.items() if count}


def published_pair_counts(model, row_relation, column_relation) -> dict[tuple[int, int], int]:
    """``{(row term id, column term id): number of published entries carrying both}``."""
    _, rows = term_bitmaps(model, row_relation)
    _, columns = term_bitmaps(model, column_relation)
    counts = {
        (row, column): (row_bits & column_bits).bit_count()
        for row, row_bits in rows.items()
        for column, column_bits in columns.items()
    }
    return {pair: count for pair, count in counts.items() if count}


def with_published_counts(terms, relation: str) -> list:
    """``terms`` (rows of the vocabulary ``relation`` points to) as a list, each given
    ``practice_count`` and ``finding_count``: the published practices and findings carrying it."""
    terms = list(terms)
    practices, findings = published_counts(Practice, relation), published_counts(Finding, relation)
    for term in terms:
        term.practice_count = practices.get(term.pk, 0)
        term.finding_count = findings.get(term.pk, 0)
    return terms


def published_total(model) -> int:
    """The number of published entries of ``model``."""
    return FacetIndex.current(model, facets_for(model)).published.bit_count()


def basis_counts(relation: str, terms=None) -> dict[tuple[str, str], int]:
    """Published practices per term of ``relation`` ("pillars", "regions") and basis:
    ``{(term slug, basis): count}``. ``terms``: the relation's terms if the caller has them
    already (else they are read)."""
    index, bitmaps = term_bitmaps(Practice, relation)
    if terms is None:
        terms = Practice._meta.get_field(relation).related_model.objects.all()
    slugs = {term.pk: term.slug for term in terms}
    bases = index.bitmaps[FACET_OF_RELATION["basis"]]
    counts = {
        (slugs[term_id], basis): (bits & basis_bits).bit_count()
        for term_id, bits in bitmaps.items()
        for basis, basis_bits in bases.items()
        if term_id in slugs
    }
    return {key: count for key, count in counts.items() if count}


def filed_under(model, terms: dict) -> dict[object, int]:
    """``{key: (relation, term's parameter value)}`` -> ``{key: bitmap of the published entries of
    model filed under that term}`` from the facet index, for the relations that are facets (the
    others are left out)."""
    facets = facets_for(model)
    by_field = {facet.field: facet.name for facet in facets}
    wanted = {key: (by_field[relation], value) for key, (relation, value) in terms.items() if relation in by_field}
    if not wanted:
        return {}
    index = FacetIndex.current(model, facets)
    return {key: index.option(facet, value) for key, (facet, value) in wanted.items()}


def filed_under_counts(model, terms: dict) -> dict:
    """``filed_under`` as counts: what the search's understanding counts (search/understanding.py
    ``count_entries``) without a pass over the table."""
    return {key: bitmap.bit_count() for key, bitmap in filed_under(model, terms).items()}


def filed_under_ids(model, terms: dict) -> dict:
    """``filed_under`` as ids, ascending: what a search's named terms match and rank, without a
    query per term (search/services.py ``published_ranks``)."""
    return {key: np.flatnonzero(bits_of(bitmap)) for key, bitmap in filed_under(model, terms).items()}
