"""Conditional GET for anonymous visitors: public pages and API responses carry an ``ETag`` and a
``Last-Modified`` derived from the content version, and a repeat request whose ``If-None-Match``
still matches is answered 304 before any view runs (content only changes when a curator
publishes)."""

import hashlib

from django.conf import settings
from django.http import HttpResponseNotModified

from practices.versioning import content_version, last_modified

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
