"""Request checks that hold for every URL of the site, before any view or database query."""

from django.core.exceptions import BadRequest
from django.http import Http404, QueryDict
from django.urls import get_resolver

from common.text import has_control_characters


class RejectControlCharactersMiddleware:
    """NUL and other control characters in the address (404) or in any query parameter's name or
    value (400) are refused once, here, instead of by each view: on PostgreSQL a NUL in a lookup
    raises, and CR/LF in a value could reach a response header. The site's own error pages answer
    (``config.errors``: JSON under /api/), with the usual security headers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if has_control_characters(request.path_info):
            raise Http404("The address holds a control character.")
        for name, values in request.GET.lists():
            if has_control_characters(name) or any(has_control_characters(value) for value in values):
                request.GET = QueryDict()  # the error page's search box does not echo it
                # Answered, not raised: a refused parameter is not worth a logged traceback.
                error = BadRequest("A query parameter holds a control character.")
                return get_resolver().resolve_error_handler(400)(request, error)
        return self.get_response(request)
