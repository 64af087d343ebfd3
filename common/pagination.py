"""Pagination that never fails, for HTML list views and for the API."""

from collections import OrderedDict

from django.core.paginator import InvalidPage, Paginator
from django.utils.translation import gettext
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from common.licence import LICENCE


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
            ]
        )
        ignored = self.ignored | getattr(self.request, "ignored_filters", {})
        if ignored:
            body["ignored"] = ignored
        body["licence"] = LICENCE
        return Response(body)

    def get_paginated_response_schema(self, schema):
        schema = super().get_paginated_response_schema(schema)
        schema["properties"]["ignored"] = {
            "type": "object",
            "description": "Parameter values that were not understood and were left out, by parameter name.",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        }
        return schema


class SafePaginationMixin:
    """Pagination that never fails: ``?page=abc`` gives page 1, ``?page=999`` the last page, and
    the page says what it did with the parameter."""

    # Nobody reads page 5,000 of a common word (crawlers do): pages past this one are answered
    # with it, and a note.
    max_page = 250

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size, allow_empty_first_page=True)
        raw = self.request.GET.get("page", "1")
        listed = self.max_page
        if raw.strip().isdigit() and int(raw) > listed and paginator.num_pages > listed:
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
        if count is not None or raw not in (None, "", "1"):
            self.page = self.paginator(queryset, count).get_page(raw)
            return
        # Size unknown: the first page is fetched with one entry more, so a short list is known
        # whole without counting it, and a long one is counted but not fetched again.
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
