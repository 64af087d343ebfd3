"""Pages every public site owes its users: robots.txt, licence, privacy notice, accessibility
statement; and the licence as an HTTP Link header on the API and the exports."""

from django.http import HttpResponse
from django.urls import reverse
from django.views.generic import TemplateView

from common.licence import LICENCE, LICENCE_LINK_HEADER
from practices.filters import FindingFilterSet, PracticeFilterSet

# Never worth a crawler's visit: staff pages, previews, forms' thank-you pages, comparisons and
# downloads (the same content as the pages, at a much higher cost).
DISALLOWED_PATHS = ["/admin/", "/*/preview/", "/compare/", "/report/", "/suggest/thanks/", "/*/export."]


def facet_names():
    names = set(PracticeFilterSet.base_filters) | set(FindingFilterSet.base_filters)
    return sorted(names - {"q", "sort"})


def robots_txt(request):
    """Disallow words and any facet after the first (``&pillar=``), i.e. the combinations the pages
    themselves mark ``noindex`` (config/seo.py); point to the sitemap."""
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in DISALLOWED_PATHS)]
    lines += ["Disallow: /*?q=", "Disallow: /*&q="]
    lines += [f"Disallow: /*&{name}=" for name in facet_names()]
    lines += ["", f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


class LicenceView(TemplateView):
    template_name = "pages/licence.html"
    extra_context = {"licence": LICENCE}


class PrivacyView(TemplateView):
    template_name = "pages/privacy.html"


class AccessibilityView(TemplateView):
    template_name = "pages/accessibility.html"


class LicenceLinkMiddleware:
    """``Link: <CC BY 4.0>; rel="license"`` on every API response and export download."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith("/api/") or "/export." in request.path:
            response["Link"] = LICENCE_LINK_HEADER
        return response
