"""The facet index (practices/facet_index.py) against the database it stands for: every option's
count given the other filters, and every page of results, equal what SQL over the tables gives;
entries that are not published never appear; any content change is seen at once."""

import itertools
from functools import partial
from types import SimpleNamespace

import pytest
from django.db import connection, transaction
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from practices.counts import filed_under_counts
from practices.facet_index import FacetIndex, GroupedResults, IndexedResults, bitmap_of, ids_of
from practices.facets import facets_for
from practices.filters import PracticeFilterSet
from practices.models import Finding, Practice, Status
from search.understanding import TermRef, classified, count_entries
from search.vocabularies import VOCABULARIES
from taxonomy.models import Pillar, Region, Theme
from tests.factories import FindingFactory, PracticeFactory

pytestmark = pytest.mark.django_db


def index_of(model):
    return FacetIndex.current(model, facets_for(model))


def sql_count(model, facet, key, others):
    """The oracle: published entries carrying the option ``key`` and matching ``others``
    ({facet name: values}), counted by SQL over the tables."""
    entries = model.objects.published()
    for name, values in others.items():
        other = next(f for f in facets_for(model) if f.name == name)
        entries = entries.filter(other.condition(values))
    field = model._meta.get_field(facet.field)
    lookup = f"{facet.field}__pk" if facet.is_vocabulary else facet.field
    if field.many_to_one:
        lookup = f"{facet.field}_id"
    return entries.filter(**{lookup: key}).distinct().count()


SELECTIONS = [
    {},
    {"pillar": ["prevention"]},
    {"pillar": ["prevention", "protection"], "region": ["europe"]},
    {"region": ["sub-saharan-africa"], "theme": ["online-abuse", "migration"]},
    {"basis": ["implemented"], "pillar": ["protection"]},
]


@pytest.mark.parametrize("selected", SELECTIONS)
def test_every_option_count_equals_sql_given_the_other_filters(selected):
    PracticeFactory(status=Status.DRAFT, pillars=Pillar.objects.all(), regions=Region.objects.all())
    index = index_of(Practice)
    for facet in facets_for(Practice):
        within = index.matching(index.published, selected, excluded=facet.name)
        others = {name: values for name, values in selected.items() if name != facet.name}
        for key, count in index.counts(facet.name, within).items():
            assert count == sql_count(Practice, facet, key, others), (facet.name, key, selected)


def test_findings_counts_cover_their_own_facets():
    index = index_of(Finding)
    assert {"kind", "speaker", "organisation", "session"} <= set(index.bitmaps)
    for facet in facets_for(Finding):
        for key, count in index.counts(facet.name, index.published).items():
            assert count == sql_count(Finding, facet, key, {}), (facet.name, key)


def test_entries_that_are_not_public_are_never_in_the_index():
    everything = Pillar.objects.all()
    hidden = [
        PracticeFactory(status=status, pillars=everything)
        for status in (Status.DRAFT, Status.IN_REVIEW, Status.ARCHIVED)
    ]
    index = index_of(Practice)
    for entry in hidden:
        assert not index.published >> entry.pk & 1
        assert all(not bits >> entry.pk & 1 for bits in index.bitmaps["pillar"].values())


@pytest.mark.parametrize("model", [Practice, Finding])
def test_an_entrys_options_read_from_the_index_are_its_rows(model):
    """``terms_of`` (an entry's options by binary search) gives, for every facet, what the bitmaps
    and the tables give; an entry that is not published has none."""
    hidden = (PracticeFactory if model is Practice else FindingFactory)(status=Status.DRAFT)
    index = index_of(model)
    for facet in facets_for(model):
        for entry in model.objects.order_by("pk"):
            from_bits = sorted(key for key, bits in index.bitmaps[facet.name].items() if bits >> entry.pk & 1)
            assert sorted(index.terms_of(facet.name, entry.pk)) == from_bits, (facet.name, entry.pk)
            if entry.status != Status.PUBLISHED:
                assert from_bits == []
            elif facet.is_many(model):
                rows = getattr(entry, facet.field).values_list("pk", flat=True)
                assert sorted(index.terms_of(facet.name, entry.pk)) == sorted(str(pk) for pk in rows)
    assert index.terms_of("pillar", hidden.pk) == []


def test_a_publication_is_counted_at_once():
    draft = PracticeFactory(status=Status.DRAFT, themes=Theme.objects.filter(slug="migration"))
    before = index_of(Practice).any_of("theme", ["migration"]).bit_count()
    draft.status = Status.PUBLISHED
    draft.save()
    assert index_of(Practice).any_of("theme", ["migration"]).bit_count() == before + 1


@pytest.mark.parametrize("sort", ["title", "newest"])
def test_pages_of_results_are_the_sql_pages(sort, rf):
    PracticeFactory.create_batch(30, regions=Region.objects.filter(slug="europe"))
    request = rf.get("/practices/", {"region": "europe", "sort": sort})
    filterset = PracticeFilterSet(request.GET, queryset=Practice.objects.published(), request=request)
    results = filterset.results()
    assert isinstance(results, IndexedResults)
    ordering = ("title", "pk") if sort == "title" else (F("published_at").desc(nulls_last=True), "title", "pk")
    expected = list(
        Practice.objects.published().filter(regions__slug="europe").order_by(*ordering).values_list("pk", flat=True)
    )
    assert results.count() == len(expected) > 30
    for start, stop in ((0, 20), (20, 40), (5, 6), (len(expected) - 3, len(expected) + 10)):
        assert [entry.pk for entry in results[start:stop]] == expected[start:stop]


def test_the_index_is_built_in_a_fixed_number_of_queries():
    def build_queries():
        FacetIndex.forget()
        with CaptureQueriesContext(connection) as queries:
            index_of(Practice).ordered_ids("title")
        return len(queries)

    before = build_queries()
    for pillars, regions in itertools.islice(itertools.product(Pillar.objects.all(), Region.objects.all()), 12):
        PracticeFactory(pillars=[pillars], regions=[regions])
        FindingFactory(pillars=[pillars], regions=[regions])
    assert build_queries() == before


def test_bitmaps_hold_any_ids():
    assert bitmap_of([]) == 0
    assert bitmap_of([0, 9, 70_000]) == (1 | 1 << 9 | 1 << 70_000)


def test_ids_of_a_bitmap_are_its_set_bits():
    ids = [0, 7, 8, 9, 4_095, 70_000]
    assert ids_of(bitmap_of(ids)) == ids and ids_of(0) == []


@pytest.mark.parametrize("selected", [{"pillar": ["prevention"]}, {"theme": ["migration"]}, {}])
def test_ordered_slices_are_the_same_read_off_the_list_or_sorted_by_position(selected):
    index = index_of(Practice)
    matched = index.matching(index.published, selected)
    every = index.in_order(matched, 0, matched.bit_count() + 1)
    by_position = sorted(ids_of(matched), key=index.ranks("title").__getitem__)
    walked = [entry_id for entry_id in index.ordered_ids("title") if matched >> entry_id & 1]
    assert every == by_position == walked and every
    for start, stop in ((0, 3), (2, 5), (len(every) - 1, len(every) + 5)):
        assert index.in_order(matched, start, stop) == walked[start:stop]


def test_top_scored_entries_are_the_best_weighted_sums_then_title_order():
    index = index_of(Practice)
    weighted = [
        (index.option("theme", "online-abuse"), 2),
        (index.option("theme", "migration"), 2),
        (index.option("pillar", "prevention"), 1),
        (index.option("region", "europe"), 1),
        (index.option("article", "18"), 2),
    ]
    candidates = index.any_of("pillar", ["prevention", "protection"])
    titles = index.ranks("title")

    def score(entry_id):
        return sum(weight for bits, weight in weighted if bits >> entry_id & 1)

    scored = [entry_id for entry_id in ids_of(candidates) if score(entry_id)]
    expected = sorted(scored, key=lambda entry_id: (-score(entry_id), titles[entry_id]))[:6]
    assert index.top_scored(weighted, candidates, 6) == [(entry_id, score(entry_id)) for entry_id in expected]
    assert len(expected) == 6


def test_rows_of_a_rolled_back_transaction_are_never_kept_in_the_index():
    index_of(Practice)
    with transaction.atomic():
        practice = PracticeFactory(title="Previewed, then rolled back")
        assert index_of(Practice).published >> practice.pk & 1  # seen inside the transaction
        transaction.set_rollback(True)
    assert not index_of(Practice).published >> practice.pk & 1


@pytest.mark.parametrize("model", [Practice, Finding])
def test_the_search_counts_terms_from_the_index_as_sql_does(model):
    """What a query names is offered with its count (search/understanding.py ``count_entries``);
    the published lists answer it from the index, and it must equal the count over the tables,
    drafts left out (terms of relations that are not facets are counted in SQL)."""
    draft = model.objects.published().filter(regions__isnull=False).first()
    model.objects.filter(pk=draft.pk).update(status=Status.DRAFT)
    refs = {
        TermRef(name, key)
        for name, info in VOCABULARIES.items()
        for key in info.model.objects.values_list(info.key, flat=True)[:40]
    }
    in_sql = count_entries(model.objects.published(), refs)
    from_index = count_entries(model.objects.published(), refs, partial(filed_under_counts, model))
    assert from_index == in_sql and sum(in_sql.values()) > 0
    assert len(refs) > 100  # more than one statement's worth of counts (understanding.MAX_UNION)
    for ref in sorted(refs, key=lambda ref: (ref.vocabulary, ref.key))[::7]:
        condition = classified(model, ref)
        if condition is not None:
            assert in_sql[ref] == model.objects.published().filter(condition).distinct().count(), ref
    assert len(filed_under_counts(model, {"europe": ("regions", "europe")})) == 1


def test_a_search_of_the_published_list_counts_from_the_index():
    with CaptureQueriesContext(connection) as queries:
        filterset = PracticeFilterSet({"q": "Kenya"}, queryset=Practice.objects.published())
        assert filterset.understanding.items
    assert not any("COUNT(" in query["sql"] for query in queries.captured_queries)


def test_only_the_published_list_counts_from_the_index():
    assert Practice.objects.published().order_by("title").select_related("section").is_all_published()
    assert not Practice.objects.published().filter(pillars__slug="prevention").is_all_published()
    assert not Practice.objects.all().is_all_published()
    assert not Practice.objects.published()[:5].is_all_published()


def test_grouped_results_page_through_groups_in_order_then_the_rest():
    """Groups in the order of the keys, ids ascending within each, entries under none last; a
    page may start and end inside any group."""
    index = SimpleNamespace(bitmaps={"section": {"1": bitmap_of([2, 5, 9]), "2": bitmap_of([1, 3]), "3": 0}})
    matched = bitmap_of([1, 2, 3, 4, 5, 7, 9])
    results = GroupedResults(index, matched, "section", ["2", "3", "1"], rows=None)
    whole = [1, 3, 2, 5, 9, 4, 7]
    assert results.page_ids(0, 7) == whole
    for start in range(7):
        for stop in range(start, 9):
            assert results.page_ids(start, stop) == whole[start:stop]
    assert len(results) == 7
