"""Pagination that never fails, for HTML list views and for the API."""

import json
import math
from collections import OrderedDict
from functools import cached_property

from django.core.paginator import InvalidPage, Page, Paginator
from django.db import connections
from django.db.models.sql.where import WhereNode
from django.utils.translation import gettext
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from common.licence import LICENCE


def round_estimate(number: int) -> int:
    """An estimate kept to two significant figures (61,234 -> 61,000): no false precision."""
    if number < 100:
        return number
    scale = 10 ** (int(math.log10(number)) - 1)
    return int(round(number / scale) * scale)


def planner_estimate(queryset) -> int:
    """PostgreSQL's estimate of the rows ``queryset`` gives (its statistics, no scan). Full-text
    matches are estimated from the lexemes' frequencies (ts_typanalyze)."""
    connection = connections[queryset.db]
    sql, params = queryset.order_by().values("pk").query.get_compiler(using=queryset.db).as_sql()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return int(plan[0]["Plan"]["Plan Rows"])


class SearchPaginator(Paginator):
    """Pagination for search results, whose every result carries a rank and a snippet.

    * **Counts**: exact up to ``exact_up_to`` results (counting stops there); beyond, where an exact
      count of a very common word would cost a pass over most of the catalogue, PostgreSQL's
      estimate, rounded (``count_is_estimate``), and pages listed only as far as the results known
      to exist. SQLite has no estimate to offer: its count is exact.
    * **Pages in two steps**: the page's ids in rank order first (no text, no snippet: the sort
      carries ids and ranks only, so page 250 costs what page 1 does), then those rows with their
      snippets and relations.

    Other querysets (no search) are paginated as by Django's Paginator.
    """

    exact_up_to = 5000

    @cached_property
    def is_search(self) -> bool:
        query = getattr(self.object_list, "query", None)
        return query is not None and "search_rank" in query.annotations

    @cached_property
    def counted(self) -> tuple[int, bool]:
        if not self.is_search:
            return super().count, False
        matching = self.object_list.order_by().values("pk")
        if not self.can_estimate:
            return matching.count(), False  # no estimate to fall back on: counted exactly, once
        exact = matching[: self.exact_up_to + 1].count()
        if exact <= self.exact_up_to:
            return exact, False
        return round_estimate(max(self.estimate(), self.exact_up_to + 1)), True

    @property
    def can_estimate(self) -> bool:
        return connections[self.object_list.db].vendor == "postgresql"

    def estimate(self) -> int:
        return planner_estimate(self.object_list)

    @property
    def count(self) -> int:
        return self.counted[0]

    @property
    def count_is_estimate(self) -> bool:
        return self.counted[1]

    @property
    def num_pages(self) -> int:
        """With an estimated count, the pages known to be full: those are the pages listed."""
        if self.count_is_estimate:
            return max(1, self.exact_up_to // self.per_page)
        return super().num_pages

    def page(self, number):
        number = self.validate_number(number)
        if not self.is_search:
            return super().page(number)
        bottom = (number - 1) * self.per_page
        return Page(self.rows(bottom, bottom + self.per_page), number, self)

    def rows(self, bottom, top) -> list:
        """The results from ``bottom`` to ``top`` in order: their ids first (the ordering's
        expressions only), then the rows, looked up by id with every filter dropped (the ids
        satisfy them), so the search is not matched again."""
        ranked = any("search_rank" in str(field) for field in self.object_list.query.order_by)
        found = list(self.object_list.values_list("pk", "search_rank" if ranked else "pk")[bottom:top])
        if not found:
            return []
        rows = self.object_list.all()
        rows.query.where = WhereNode()  # the filters' joins are forward ones: they multiply no row
        rows.query.clear_ordering(force=True)
        # The rank comes with the ids: worked out again for the page's rows it would cost a pass over
        # every match (SQLite ranks all matches in one go).
        rows.query.set_annotation_mask(set(rows.query.annotation_select) - {"search_rank"})
        by_id = {row.pk: row for row in rows.filter(pk__in=[pk for pk, _ in found])}
        page = []
        for pk, rank in found:
            if pk in by_id:
                by_id[pk].search_rank = rank if ranked else None
                page.append(by_id[pk])
        return page


class KBPagination(PageNumberPagination):
    """`?page=` and `?page_size=` (at most 100). A malformed or out-of-range page never fails:
    it falls back to the first or last page and the response says so under ``ignored``."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def paginate_queryset(self, queryset, request, view=None):
        self.ignored = {}
        self.request = request
        page_size = self.get_page_size(request)
        paginator = self.django_paginator_class(queryset, page_size)
        raw = request.query_params.get(self.page_query_param, "1")
        try:
            self.page = paginator.page(raw)
        except InvalidPage:
            self.page = paginator.get_page(raw)
            self.ignored["page"] = [raw[:40]]
        raw_size = request.query_params.get(self.page_size_query_param)
        if raw_size is not None and str(page_size) != raw_size.strip():
            self.ignored["page_size"] = [raw_size[:40]]
        return list(self.page)

    def get_paginated_response(self, data):
        body = OrderedDict(
            [
                ("count", self.page.paginator.count),
                ("next", self.get_next_link()),
                ("previous", self.get_previous_link()),
                ("results", data),
                ("count_is_estimate", getattr(self.page.paginator, "count_is_estimate", False)),
            ]
        )
        ignored = self.ignored | getattr(self.request, "ignored_filters", {})
        if ignored:
            body["ignored"] = ignored
        body["licence"] = LICENCE
        return Response(body)

    def get_paginated_response_schema(self, schema):
        schema = super().get_paginated_response_schema(schema)
        schema["properties"]["count"]["description"] = "How many results: rounded when count_is_estimate is true."
        schema["properties"]["count_is_estimate"] = {
            "type": "boolean",
            "description": "Whether count is an estimate (a search matching very many entries); pages then go "
            "only as far as the results known to exist.",
        }
        schema["required"] = [*schema.get("required", []), "count_is_estimate"]
        schema["properties"]["ignored"] = {
            "type": "object",
            "description": "Parameter values that were not understood and were left out, by parameter name.",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        }
        return schema


class SafePaginationMixin:
    """Pagination that never fails: ``?page=abc`` gives page 1, ``?page=999`` the last page, and
    the page says what it did with the parameter."""

    # Deep pages cost an OFFSET over every result before them; nobody reads page 5,000 of a common
    # word, so pages past this one are answered with it (and a note).
    max_page = 250

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size, allow_empty_first_page=True)
        raw = self.request.GET.get("page", "1")
        # A search with an estimated count lists only the pages known to be full.
        estimate = getattr(paginator, "count_is_estimate", False)
        listed = min(self.max_page, paginator.num_pages) if estimate else self.max_page
        if raw.strip().isdigit() and int(raw) > listed and (paginator.num_pages > listed or estimate):
            page = paginator.get_page(listed)
            self.page_note = gettext("Only the first %(max)s pages are listed; narrow the search to see more.") % {
                "max": listed
            }
            return paginator, page, page.object_list, page.has_other_pages()
        page = paginator.get_page(raw)
        self.page_note = (
            ""
            if str(page.number) == raw.strip() or raw == "1"
            else gettext("Page %(raw)s does not exist; showing page %(number)s of %(pages)s.")
            % {"raw": repr(raw[:20]), "number": page.number, "pages": paginator.num_pages}
        )
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["page_note"] = getattr(self, "page_note", "")
        return context


class ListPage:
    """One page of a list of entries on a page that shows several lists (a term's practices and
    its findings), each paginated by its own parameter (``?practices=2``); a bad value gives the
    first or last page. Iterates over the page's entries; ``count`` is the whole list's size."""

    per_page = 20

    def __init__(self, request, queryset, param, count=None):
        """``count``: the list's size when the page already knows it (counted from an index
        alone), so the list is not counted again."""
        self.param = param
        self.query = request.GET
        raw = request.GET.get(param)
        if raw not in (None, "", "1"):
            self.page = self.paginator(queryset, count).get_page(raw)
            return
        # The first page is fetched with one entry more: a short list is then known whole without
        # counting it, a long one is counted but not fetched again.
        head = list(queryset[: self.per_page + 1])
        if len(head) <= self.per_page:
            self.page = Paginator(head, self.per_page).page(1)
        else:
            self.page = self.paginator(queryset, count).page(1)
            self.page.object_list = head[: self.per_page]

    def paginator(self, queryset, count):
        paginator = Paginator(queryset, self.per_page)
        if count is not None:
            paginator.count = count  # a cached property: the queryset is then never counted
        return paginator

    def __iter__(self):
        return iter(self.page)

    def __len__(self):
        return len(self.page)

    def __bool__(self):
        return self.page.paginator.count > 0

    @property
    def count(self):
        return self.page.paginator.count

    def url(self, number):
        query = self.query.copy()
        query[self.param] = number
        return f"?{query.urlencode()}"

    @property
    def previous_url(self):
        return self.url(self.page.previous_page_number()) if self.page.has_previous() else ""

    @property
    def next_url(self):
        return self.url(self.page.next_page_number()) if self.page.has_next() else ""
