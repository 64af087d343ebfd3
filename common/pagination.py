"""Pagination that never fails, for HTML list views and for the API."""

from collections import OrderedDict

from django.core.paginator import InvalidPage
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

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size, allow_empty_first_page=True)
        raw = self.request.GET.get("page", "1")
        page = paginator.get_page(raw)
        self.page_note = (
            ""
            if str(page.number) == raw.strip() or raw == "1"
            else (f"Page {raw[:20]!r} does not exist; showing page {page.number} of {paginator.num_pages}.")
        )
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["page_note"] = getattr(self, "page_note", "")
        return context
