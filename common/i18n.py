"""English and French URLs.

English, the default language, stays at the unprefixed URLs (``/practices/``) and French lives
under ``/fr/`` (``i18n_patterns(..., prefix_default_language=False)`` in config/urls.py): the
hundreds of existing links, bookmarks and tests keep working. ``/en/<path>`` answers a permanent
redirect to ``/<path>`` and remembers English in the language cookie (the switcher links there, so
choosing English sticks); ``/`` alone negotiates: a browser preferring French, with no language
cookie, is sent to ``/fr/``. ``/api/`` and ``/admin/`` are outside the prefixes; the API takes
``?lang=fr`` or ``Accept-Language`` for its labels.
"""

from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.http import HttpResponsePermanentRedirect, HttpResponseRedirect
from django.urls import translate_url
from django.utils import translation
from django.utils.cache import patch_vary_headers

ENGLISH_PREFIX = "/en/"
API_PREFIX = "/api/"


def set_language_cookie(response, language):
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
    )
    return response


class LanguageRedirectMiddleware:
    """Runs before ``LocaleMiddleware``: the two redirects above."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if path == "/en" or path.startswith(ENGLISH_PREFIX):
            target = "/" + path[len(ENGLISH_PREFIX) :]
            query = request.META.get("QUERY_STRING", "")
            return set_language_cookie(HttpResponsePermanentRedirect(target + ("?" + query if query else "")), "en")
        if path == "/" and request.method in ("GET", "HEAD") and self.prefers_french(request):
            response = HttpResponseRedirect("/fr/")
            patch_vary_headers(response, ("Accept-Language", "Cookie"))
            return response
        response = self.get_response(request)
        if path == "/":
            patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response

    @staticmethod
    def prefers_french(request) -> bool:
        if settings.LANGUAGE_COOKIE_NAME in request.COOKIES:
            return False
        return translation.get_language_from_request(request, check_path=False) == "fr"


class ApiLanguageMiddleware:
    """Runs after ``LocaleMiddleware``: the API (outside the language prefixes) answers in the
    language of ``?lang=`` or, failing that, of ``Accept-Language`` (labels of vocabularies,
    facets and understood terms; codes and slugs never change)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith(API_PREFIX):
            wanted = request.GET.get("lang", "")
            codes = {code for code, _ in settings.LANGUAGES}
            if wanted not in codes:
                wanted = translation.get_language_from_request(request, check_path=False)
            translation.activate(wanted)
            request.LANGUAGE_CODE = wanted
        response = self.get_response(request)
        if request.path_info.startswith(API_PREFIX):
            patch_vary_headers(response, ("Accept-Language",))
            response.headers["Content-Language"] = request.LANGUAGE_CODE
        return response


def other_language_urls(request):
    """``[(code, name, url)]``: the current page (path and query) in each language; the English
    URL goes through ``/en/`` so that the choice is remembered."""
    full_path = request.get_full_path()
    current = translation.get_language()
    urls = []
    for code, name in settings.LANGUAGES:
        url = translate_url(full_path, code)
        if code == settings.LANGUAGE_CODE:
            parts = urlsplit(url)
            url = urlunsplit(("", "", ENGLISH_PREFIX.rstrip("/") + parts.path, parts.query, ""))
        urls.append({"code": code, "name": name, "url": url, "current": code == current})
    return urls


def alternate_urls(request):
    """``[(hreflang, absolute url)]`` of the current page without its query, for ``<link
    rel="alternate" hreflang>``; ``x-default`` is the English page."""
    path = request.path
    links = [(code, request.build_absolute_uri(translate_url(path, code))) for code, _ in settings.LANGUAGES]
    links.append(("x-default", links[0][1]))
    return links


def languages(request):
    """Context processor: the switcher's links and the hreflang alternates, for pages that resolve
    (an unresolvable path, such as a 404, gets the same path back from ``translate_url``)."""
    return {
        "language_links": lambda: other_language_urls(request),
        "language_alternates": lambda: alternate_urls(request),
    }


def in_default_language() -> bool:
    return (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0] == settings.LANGUAGE_CODE


def localized(english: str, translated: str) -> str:
    """The translation when the active language is not English and there is one, else the English."""
    return english if in_default_language() or not translated else translated


class TranslationsSideBySideMixin:
    """Admin: every field that has a French twin (``<name>_fr``) shares a row with it, so a
    curator writes the French title and summary next to the English ones."""

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        twins = {f"{name}_fr" for name in fields if isinstance(name, str)} & set(fields)
        return [(name, f"{name}_fr") if f"{name}_fr" in twins else name for name in fields if name not in twins]
