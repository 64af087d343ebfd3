"""Anonymous visitors' pages keyed by the content version (content only changes when a curator
publishes):

- conditional GET: public pages and API responses carry an ``ETag`` and a ``Last-Modified``
  derived from the content version, and a repeat request whose ``If-None-Match`` still matches is
  answered 304 before any view runs;
- a page cache: the same page for the next visitor comes from the cache (Redis when configured)
  without running the view, for ``KB_PAGE_CACHE_SECONDS``. Only requests carrying no cookie but
  the language one are served or stored, and only responses that set no cookie and do not vary
  by cookie: nothing personal (a CSRF token, a message, a session) is ever cached or shared.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import has_vary_header

from common.versioning import cache_key, content_version, last_modified

PRIVATE_PREFIXES = ("/admin/", "/curation/", "/accounts/", "/contribute/", "/static/")


class ContentVersionETagMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def applies(self, request) -> bool:
        return (
            request.method in ("GET", "HEAD")
            and not request.path.startswith(PRIVATE_PREFIXES)
            and not request.COOKIES.get("sessionid")
        )

    def etag(self, request) -> str:
        parts = [
            content_version(),
            request.get_full_path(),
            request.headers.get("Accept", ""),
            request.headers.get("Accept-Language", ""),
            request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, ""),
        ]
        return '"' + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32] + '"'

    def __call__(self, request):
        if not self.applies(request):
            return self.get_response(request)
        etag = self.etag(request)
        if etag in [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]:
            response = HttpResponseNotModified()
            response["ETag"] = etag
            return response
        response = self.get_response(request)
        if response.status_code == 200 and not response.cookies and not response.has_header("ETag"):
            response["ETag"] = etag
            response["Last-Modified"] = last_modified()
            response.setdefault("Cache-Control", "no-cache")
        return response


class AnonymousPageCacheMiddleware:
    """Serves anonymous GETs of public pages and API responses from the cache, under a key made of
    the content version, the address, the host, the language and the ``Accept`` header."""

    def __init__(self, get_response):
        self.get_response = get_response

    def applies(self, request) -> bool:
        return (
            bool(settings.KB_PAGE_CACHE_SECONDS)
            and request.method in ("GET", "HEAD")
            and not request.path.startswith(PRIVATE_PREFIXES)
            and set(request.COOKIES) <= {settings.LANGUAGE_COOKIE_NAME}
        )

    def key(self, request) -> str:
        return cache_key(
            "page",
            request.scheme,
            request.get_host(),
            request.get_full_path(),
            getattr(request, "LANGUAGE_CODE", ""),
            request.headers.get("Accept", ""),
        )

    @staticmethod
    def storable(request, response) -> bool:
        """A whole page the same for everyone: not streamed, no cookie set, nothing read from a
        session, a CSRF token or a message."""
        cache_control = response.get("Cache-Control", "")
        session = getattr(request, "session", None)
        return not (
            response.streaming
            or response.cookies
            or has_vary_header(response, "Cookie")
            or "private" in cache_control
            or "no-store" in cache_control
            or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            or (session is not None and session.accessed)
            or len(getattr(request, "_messages", ()))
        )

    def __call__(self, request):
        if not self.applies(request):
            return self.get_response(request)
        key = self.key(request)
        cached = cache.get(key)
        if cached is not None:
            status, headers, content = cached
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response[name] = value
            response["X-Page-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if response.status_code == 200 and self.storable(request, response):
            headers = [(name, value) for name, value in response.items() if name.lower() != "set-cookie"]
            cache.set(key, (response.status_code, headers, response.content), settings.KB_PAGE_CACHE_SECONDS)
        return response
