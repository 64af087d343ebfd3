"""The one definition of the catalogue's filters, shared by the HTML pages and the JSON API.

The filters are built from the facet registry (practices/facets.py). Repeatable parameters
(``?pillar=prevention&pillar=protection``) are ORed within a filter and ANDed across filters.
Unknown values are ignored, never an error: ``ignored`` tells the page what was dropped so it can
say so. So that crawlers cannot walk every combination, a request takes at most
``MAX_VALUES_PER_FACET`` values of one facet and ``MAX_VALUES_OVERALL`` in all; the rest are
dropped and reported under ``capped``.
"""

from functools import cached_property, partial

import django_filters
import numpy as np
from django import forms
from django.db import connections
from django.db.models import F
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from practices.counts import filed_under_counts, filed_under_ids
from practices.facet_index import FacetIndex, IndexedResults, RankedResults, bitmap_of
from practices.facets import FACETS_BY_NAME, MAX_VALUES_OVERALL, MAX_VALUES_PER_FACET, facets_for
from practices.models import Finding, Practice
from practices.selectors import rows_from_index
from search.services import apply_search, prepare_search, published_ranks, with_snippets
from search.understanding import Understanding

SORTS = {
    "relevance": _("Relevance"),
    "title": _("Title"),
    "newest": _("Newest"),
}
MAX_SHOWN_VALUE = 100


def facet_choices(name, model):
    """Choices read when a form is validated, so new vocabulary terms need no restart. A plain
    function (not a bound method), as form fields deep-copy their choices."""
    return FACETS_BY_NAME[name].choices(model)


class LenientMultipleChoiceField(forms.MultipleChoiceField):
    """Keeps the valid values and remembers the rest instead of failing the whole form. The
    choices are only read when the parameter is given."""

    def __init__(self, *args, **kwargs):
        self.ignored: list[str] = []
        super().__init__(*args, **kwargs)

    def clean(self, value):
        value = self.to_python(value)
        if not value:
            return []
        self.choices = list(self.choices)  # evaluate callable choices once per form, not per use
        valid = {str(key) for key, _ in self.choices}
        self.ignored = [v for v in value if v not in valid]
        return [v for v in value if v in valid]


class LenientChoiceField(forms.ChoiceField):
    """One value of a fixed list; anything else is remembered and treated as absent."""

    def __init__(self, *args, **kwargs):
        self.ignored: list[str] = []
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, value):
        value = self.to_python(value)
        if value and not self.valid_value(value):
            self.ignored = [value]
            return ""
        return value


class FacetFilter(django_filters.MultipleChoiceFilter):
    """The filter of one registered facet: entries carrying any of the chosen values."""

    field_class = LenientMultipleChoiceField

    def __init__(self, facet, model, **kwargs):
        self.facet = facet
        choices = partial(facet_choices, facet.name, model)
        super().__init__(field_name=facet.field, label=facet.label, choices=choices, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        if self.facet.is_many(qs.model):
            # A subquery on the through table rather than a join: no duplicate rows, so no DISTINCT
            # over the results.
            relation = qs.model._meta.get_field(self.facet.field)
            links = relation.remote_field.through.objects.filter(
                self.facet.condition(value, field=relation.m2m_reverse_field_name())
            )
            return qs.filter(pk__in=links.values(relation.m2m_field_name()))
        return qs.filter(self.facet.condition(value))


class SortFilter(django_filters.Filter):
    """Declares ``sort``; the ordering itself is applied last, after every filter (see ``order``)."""

    field_class = LenientChoiceField

    def filter(self, qs, value):
        return qs


class EntryFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_text", label=_("Words"))
    sort = SortFilter(choices=list(SORTS.items()), label=_("Sort by"))

    def __init__(self, data=None, *args, **kwargs):
        self.capped: dict[str, list[str]] = {}
        self.prepared_searches: dict = {}
        super().__init__(self.limit(data if data is not None else QueryDict()), *args, **kwargs)

    @classmethod
    def get_filters(cls):
        filters = super().get_filters()
        if cls._meta.model is not None:
            for facet in facets_for(cls._meta.model):
                filters[facet.name] = FacetFilter(facet, cls._meta.model)
        return filters

    @property
    def facet_names(self):
        return [name for name, filter_ in self.base_filters.items() if isinstance(filter_, FacetFilter)]

    def limit(self, data) -> QueryDict:
        """The known parameters only, each facet's values once, at most so many of them."""
        limited = QueryDict(mutable=True)
        for name in ("q", "sort"):
            if name in data:
                limited[name] = data.get(name)
        budget = MAX_VALUES_OVERALL
        for name in self.facet_names:
            values = list(dict.fromkeys(data.getlist(name) if hasattr(data, "getlist") else data.get(name, [])))
            keep = values[: min(MAX_VALUES_PER_FACET, budget)]
            budget -= len(keep)
            if keep:
                limited.setlist(name, keep)
            if len(values) > len(keep):
                self.capped[name] = [value[:MAX_SHOWN_VALUE] for value in values[len(keep) :]]
        limited._mutable = False
        return limited

    def filter_text(self, queryset, name, value):
        """Full-text search. The plan is worked out once per filter set: facet counts apply the
        same words to a dozen querysets."""
        return apply_search(queryset, self.prepared_search(queryset, value))

    def prepared_search(self, queryset, value):
        """The plan for searching ``queryset`` for ``value``, worked out once per filter set."""
        if value not in self.prepared_searches:
            # The published entries' term counts come from the facet index.
            count_terms = partial(filed_under_counts, self._meta.model) if queryset.is_all_published() else None
            self.prepared_searches[value] = prepare_search(queryset, value, count_terms)
        return self.prepared_searches[value]

    def filter_queryset(self, queryset):
        return self.order(self.filter_queryset_without(queryset, None))

    def results(self):
        """The matching entries in order, for a paginator, read from the facet index: a count, and
        one query for the page's rows. Ranked by relevance, the ranks come from the one pass of the
        search that also gives the facet counts their matching entries (``_word_ranks``).
        The filter set's queryset must be the published entries (with what the rows show)."""
        index = self.facet_index()
        matched = index.matching(self.words_matching(index), self.selected)
        rows, fill = rows_from_index(self.queryset, index)
        if self.current_sort == "relevance":
            if self._word_ranks is None:
                return self.qs
            rows = with_snippets(rows, self.prepared_searches[self.form.cleaned_data["q"]])
            return RankedResults(index, matched, *self._word_ranks, rows, fill)
        return IndexedResults(index, matched, self.current_sort, rows, fill)

    def facet_index(self) -> FacetIndex:
        model = self._meta.model
        return FacetIndex.current(model, facets_for(model))

    def words_matching(self, index: FacetIndex) -> int:
        """The published entries matching the words as a bitmap (all of them without words)."""
        if not self.words:
            return index.published
        return self._words_bitmap & index.published

    @cached_property
    def _words_bitmap(self) -> int:
        ranked = self._ranks_from_postings
        if ranked is None and self.current_sort == "relevance":
            ranked = self._word_ranks
        if ranked is not None:
            return bitmap_of(ranked[0])  # the ranking pass has the ids already
        matched = self.filter_text(self.queryset, "q", self.form.cleaned_data["q"])
        return bitmap_of(matched.order_by().values_list("pk", flat=True))

    @cached_property
    def _ranks_from_postings(self) -> tuple[np.ndarray, np.ndarray] | None:
        """The matches' ids and ranks from the search backend's own index, where it can (a query of
        one clause over the published entries: PostgreSQL's postings, SQLite's FTS5 table): cheap
        enough to give the facet counts their matches whatever the order."""
        words = self.form.cleaned_data["q"]
        if not words or not self.queryset.is_all_published():
            return None
        entries_under = partial(filed_under_ids, self._meta.model)
        return published_ranks(self.queryset, self.prepared_search(self.queryset, words), entries_under)

    @cached_property
    def _word_ranks(self) -> tuple[np.ndarray, np.ndarray] | None:
        """The ids (ascending) and relevance ranks of every entry matching the words, as two
        arrays, in one pass with no text and no sort: what both the ranked pages and the facet
        counts need. None when the words hold nothing to rank by (the results are then in title
        order)."""
        if self._ranks_from_postings is not None:  # a query the postings rank is one clause of words
            return self._ranks_from_postings
        matched = self.filter_text(self.queryset, "q", self.form.cleaned_data["q"])
        if "search_rank" not in matched.query.annotations:
            return None
        # Read with the database's cursor: ids and ranks need no converting, and at 100,000 matches
        # the ORM's per-value converters would cost more than the rest of the page.
        sql, params = matched.order_by().values_list("pk", "search_rank").query.sql_with_params()
        with connections[matched.db].cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        ids = np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows))
        ranks = np.fromiter((row[1] for row in rows), dtype=np.float64, count=len(rows))
        order = np.argsort(ids)
        return ids[order], ranks[order]

    @property
    def understanding(self) -> Understanding:
        """What the words were understood to name (worked out with the search itself)."""
        words = self.form.cleaned_data.get("q") if self.form.is_valid() else ""
        if not words:
            return Understanding()
        if words not in self.prepared_searches:
            self.qs  # noqa: B018 (the search is prepared when the results are built)
        prepared = self.prepared_searches.get(words)
        return prepared.understanding if prepared else Understanding()

    def filter_queryset_without(self, queryset, excluded):
        """Apply every active filter but ``excluded``: what a facet's counts are computed over."""
        self.form.is_valid()
        for name, value in self.form.cleaned_data.items():
            if name != excluded:
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    @property
    def words(self) -> str:
        self.form.is_valid()
        return (self.form.cleaned_data.get("q") or "").replace("\x00", "").strip()

    @property
    def current_sort(self) -> str:
        """The ordering in force: relevance by default when there are words, else title."""
        self.form.is_valid()
        chosen = self.form.cleaned_data.get("sort") or ""
        if chosen == "relevance" and not self.words:
            chosen = ""
        return chosen or ("relevance" if self.words else "title")

    def order(self, queryset):
        if self.current_sort == "relevance" and "search_rank" in queryset.query.annotations:
            return queryset.order_by("-search_rank", "title", "pk")
        if self.current_sort == "newest":
            return queryset.order_by(F("published_at").desc(nulls_last=True), "title", "pk")
        return queryset.order_by("title", "pk")

    @property
    def sort_choices(self) -> list[tuple[str, str]]:
        return [(key, label) for key, label in SORTS.items() if key != "relevance" or self.words]

    @property
    def selected(self) -> dict[str, list[str]]:
        """The valid values of each facet, in the order given."""
        self.form.is_valid()
        return {name: self.form.cleaned_data.get(name) or [] for name in self.facet_names}

    @property
    def clean_query(self) -> QueryDict:
        """The request's parameters as understood: what links from this page build on."""
        query = QueryDict(mutable=True)
        if self.words:
            query["q"] = self.form.cleaned_data["q"]
        if self.form.cleaned_data.get("sort"):
            query["sort"] = self.form.cleaned_data["sort"]
        for name, values in self.selected.items():
            if values:
                query.setlist(name, values)
        return query

    @property
    def ignored(self) -> dict[str, list[str]]:
        """Parameter values that were not understood, by parameter name."""
        self.form.is_valid()
        return {
            name: [value[:MAX_SHOWN_VALUE] for value in field.ignored]
            for name, field in self.form.fields.items()
            if getattr(field, "ignored", None)
        }

    @property
    def all_ignored(self) -> dict[str, list[str]]:
        """Unknown values and values beyond the limits together, as the API reports them."""
        merged = {name: list(values) for name, values in self.ignored.items()}
        for name, values in self.capped.items():
            merged.setdefault(name, []).extend(values)
        return merged


class FindingFilterSet(EntryFilterSet):
    class Meta:
        model = Finding
        fields = []


class PracticeFilterSet(EntryFilterSet):
    class Meta:
        model = Practice
        fields = []
