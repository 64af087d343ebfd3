"""The postings tables (PostgreSQL): each published entry's lexemes with their share of ``ts_rank``,
kept by triggers; and the ranks and matches ``published_ranks`` works out from them (on SQLite from
one pass of FTS5's index), which must be exactly what the database's own pass (``apply_search``:
the match and the rank on every row) gives."""

import math
from functools import partial

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from practices.counts import filed_under_ids
from practices.facet_index import FacetIndex
from practices.facets import facets_for
from practices.filters import PracticeFilterSet
from practices.models import Practice, Status
from search import schema
from search.query import Clause, Term
from search.services import conjunctions_of, lexemes_of, prepare_search, published_ranks, search_entries
from tests.factories import PracticeFactory

pytestmark = pytest.mark.django_db
postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="postings are PostgreSQL's")

POSTINGS = schema.posting_table("practices_practice")


def postings_of(practice) -> dict[str, float]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT lexeme, score FROM {POSTINGS} WHERE entry_id = %s", [practice.pk])
        return dict(cursor.fetchall())


def database_ranks(q: str) -> dict[int, float]:
    """What the database's pass gives: every published match's rank, read row by row."""
    return dict(search_entries(Practice.objects.published(), q).values_list("pk", "search_rank"))


def as_dict(ranked) -> dict[int, float] | None:
    return None if ranked is None else dict(zip(ranked[0].tolist(), ranked[1].tolist(), strict=True))


def ranks_from_postings(q: str) -> dict[int, float] | None:
    published = Practice.objects.published()
    return as_dict(published_ranks(published, prepare_search(published, q)))


def assert_same_ranks(q: str):
    expected, found = database_ranks(q), ranks_from_postings(q)
    assert found is not None, f"{q!r} was not answered from the postings"
    assert found.keys() == expected.keys(), q
    for entry_id, rank in expected.items():
        assert math.isclose(found[entry_id], rank, abs_tol=1e-6), (q, entry_id, found[entry_id], rank)


@postgresql_only
def test_each_lexeme_carries_its_exact_share_of_ts_rank():
    practice = PracticeFactory(
        title="Zorblax helplines for zorblax children",
        summary="Helplines answer children; zorblax volunteers staff them.",
        description="A helpline is free. Children call it.",
        quote="zorblax",
    )
    terms = postings_of(practice)
    assert {"zorblax", "helplin", "children", "volunt"} <= terms.keys()
    with connection.cursor() as cursor:
        for lexeme, term in terms.items():
            cursor.execute(
                "SELECT ts_rank(search_vector, %s::tsquery, 32) FROM practices_practice WHERE id = %s",
                [f"'{lexeme}'", practice.pk],
            )
            expected = cursor.fetchone()[0]
            assert math.isclose(term / (term + 1), expected, rel_tol=1e-6), lexeme


@postgresql_only
def test_only_published_entries_have_postings_and_they_follow_every_change():
    practice = PracticeFactory(title="Quangle outreach", status=Status.DRAFT)
    assert postings_of(practice) == {}
    Practice.objects.filter(pk=practice.pk).update(status=Status.PUBLISHED)
    assert "quangl" in postings_of(practice)
    Practice.objects.filter(pk=practice.pk).update(title="Wangle outreach")
    assert "wangl" in postings_of(practice) and "quangl" not in postings_of(practice)
    Practice.objects.filter(pk=practice.pk).update(status=Status.ARCHIVED)
    assert postings_of(practice) == {}
    Practice.objects.filter(pk=practice.pk).update(status=Status.PUBLISHED)
    practice.delete()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {POSTINGS} WHERE entry_id = %s", [practice.pk])
        assert cursor.fetchone()[0] == 0


@postgresql_only
def test_an_update_that_changes_no_text_leaves_the_postings_alone():
    practice = PracticeFactory(title="Pobble outreach")
    with connection.cursor() as cursor:  # a mark a rewrite of the postings would lose
        cursor.execute(f"UPDATE {POSTINGS} SET score = 42 WHERE entry_id = %s", [practice.pk])
    Practice.objects.filter(pk=practice.pk).update(slug="pobble-renamed")
    assert set(postings_of(practice).values()) == {42}
    Practice.objects.filter(pk=practice.pk).update(title="Pobble helpline")
    assert 42 not in postings_of(practice).values()


@postgresql_only
def test_a_truncate_empties_the_postings_and_a_rebuild_fills_them_again():
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE practices_practice CASCADE")
        cursor.execute(f"SELECT count(*) FROM {POSTINGS}")
        assert cursor.fetchone()[0] == 0
    practice = PracticeFactory(title="Dong outreach")
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {POSTINGS}")
        for statement in schema.postings_rebuild():
            cursor.execute(statement)
    assert "dong" in postings_of(practice)


@pytest.mark.parametrize(
    "q",
    [
        "children",  # the report's commonest word, also naming a target group (a bonus and a match)
        "protection",  # a pillar, with phrases ("victim protection") that the word itself covers
        "travellers",  # a target group, many expansions and phrases of their own
        "migration",
        "ecpat",  # an organisation's acronym
        "child-friendly",  # one hyphenated word: plainto_tsquery makes it a conjunction
        "kids",  # a synonym: the thesaurus's labels as alternatives
        '"sex tourism"',  # a phrase naming a theme: its labels make it a clause of alternatives
        "helplines",
        "zzzzunknown",
    ],
)
def test_ranks_from_the_postings_are_the_databases_own(q):
    if q == "zzzzunknown":
        assert not database_ranks(q) and not ranks_from_postings(q)
        return
    assert_same_ranks(q)


@postgresql_only
def test_a_phrase_alternative_is_matched_by_its_positions():
    PracticeFactory(slug="in-order", title="Frumious bandersnatch volunteers")
    PracticeFactory(slug="apart", title="Bandersnatch meets frumious volunteers")
    published = Practice.objects.published()
    prepared = prepare_search(published, "frumious")
    prepared.query.clauses[0].alternatives.append(Term(("frumious", "bandersnatch")))
    ranks = as_dict(published_ranks(published, prepared))
    slugs = dict(Practice.objects.filter(pk__in=ranks).values_list("slug", "pk"))
    assert set(slugs) == {"in-order", "apart"}  # both have the plain word
    prepared.query.clauses[0].alternatives[:] = [Term(("frumious", "bandersnatch")), Term(("jubjub",))]
    ranks = as_dict(published_ranks(published, prepared))
    assert set(Practice.objects.filter(pk__in=ranks).values_list("slug", flat=True)) == {"in-order"}


@postgresql_only
def test_what_ranks_by_proximity_is_left_to_the_database():
    """One phrase, or several clauses, rank by ``calc_rank_and`` (positions): no postings answer."""
    published = Practice.objects.published()
    prepared = prepare_search(published, "children")
    prepared.query.clauses[0] = Clause([Term(("victim", "protection"))])
    assert published_ranks(published, prepared) is None
    assert ranks_from_postings("awareness campaigns travellers") is None
    assert ranks_from_postings("children -tourism") is None


def test_the_browse_page_orders_the_same_either_way(monkeypatch):
    def page(q):
        filterset = PracticeFilterSet(QueryDict(f"q={q}"), queryset=Practice.objects.published())
        return [entry.pk for entry in filterset.results()[:20]]

    for q in ("children", "protection", "travellers"):
        fast = page(q)
        monkeypatch.setattr("practices.filters.published_ranks", lambda *args: None)
        assert page(q) == fast, q
        monkeypatch.undo()


@postgresql_only
def test_tsquery_text_forms():
    assert lexemes_of("'child' & 'it''s' | 'kid'") == ["child", "it's", "kid"]
    assert conjunctions_of("'child' & 'protect' | 'kid'") == [["child", "protect"], ["kid"]]
    assert conjunctions_of("'a|b' | 'c'") == [["a|b"], ["c"]]


@postgresql_only
def test_clause_with_only_stop_words_is_left_to_the_database():
    published = Practice.objects.published()
    prepared = prepare_search(published, "children")
    prepared.query.clauses[0] = Clause([Term(("the",))])
    assert published_ranks(published, prepared) is None


def test_terms_named_are_answered_by_the_facet_index_the_same():
    """ "children" names a target group: its entries match and rank higher. The facet index knows
    them, so the statement need not select them again."""
    published = Practice.objects.published()
    prepared = prepare_search(published, "children")
    via_sql = as_dict(published_ranks(published, prepared))
    FacetIndex.current(Practice, facets_for(Practice))  # built before the queries are watched
    with CaptureQueriesContext(connection) as queries:
        via_index = as_dict(published_ranks(published, prepared, partial(filed_under_ids, Practice)))
    assert via_index.keys() == via_sql.keys()
    assert all(math.isclose(via_index[k], via_sql[k], abs_tol=1e-9) for k in via_sql)
    assert any(rank > 1 for rank in via_index.values())  # the named term's bonus
    assert not any("target_groups" in query["sql"] for query in queries.captured_queries)


@pytest.mark.parametrize("q", ["protection", "enfants", "tourisme", "exploitation"])
def test_on_a_french_page_the_ranks_are_the_databases_own_too(q):
    """In French each word is also stemmed as French (english || french), and a phrase is always
    checked against the vectors: "covered by a word" is only proof for one stemming."""
    with translation.override("fr"):
        if database_ranks(q):
            assert_same_ranks(q)
        else:
            assert not ranks_from_postings(q)
