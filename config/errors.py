"""Error pages: the site's own templates, or ``{"detail": ...}`` under /api/ as the API's schema says."""

from django.core.exceptions import DisallowedHost
from django.http import HttpResponseBadRequest, JsonResponse
from django.views import defaults

API_PREFIX = "/api/"


def _is_api(request) -> bool:
    return request.path_info.startswith(API_PREFIX)


def bad_request(request, exception):
    if isinstance(exception, DisallowedHost):
        # The site's pages build absolute addresses (canonical, hreflang) from the host: answer plainly.
        return HttpResponseBadRequest("Bad request: this host name is not served here.", content_type="text/plain")
    if _is_api(request):
        return JsonResponse({"detail": str(exception) or "Bad request."}, status=400)
    return defaults.bad_request(request, exception)


def page_not_found(request, exception):
    if _is_api(request):
        return JsonResponse({"detail": "Not found."}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if _is_api(request):
        return JsonResponse({"detail": "Server error."}, status=500)
    return defaults.server_error(request)
