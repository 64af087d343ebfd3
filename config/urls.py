from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy
from django.views.generic import RedirectView
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from config.pages import AccessibilityView, LicenceView, PrivacyView, robots_txt
from config.sitemaps import SITEMAPS
from practices.views import HomeView, MethodView

# The public pages in English (unprefixed) and French (/fr/); see common/i18n.py.
urlpatterns = i18n_patterns(
    path("", HomeView.as_view(), name="home"),
    path("method/", MethodView.as_view(), name="method"),
    path("licence/", LicenceView.as_view(), name="licence"),
    path("privacy/", PrivacyView.as_view(), name="privacy"),
    path("accessibility/", AccessibilityView.as_view(), name="accessibility"),
    path("", include("practices.record_urls")),
    path("", include("practices.urls")),
    path("", include("practices.term_urls")),
    path("", include("curation.urls")),
    path("licence/", LicenceView.as_view(), name="licence"),
    path("privacy/", PrivacyView.as_view(), name="privacy"),
    path("accessibility/", AccessibilityView.as_view(), name="accessibility"),
    # The scripts' strings in the page's language (static/js; catalogue locale/*/djangojs.po).
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    prefix_default_language=False,
)

urlpatterns += [
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="kb/api_docs.html"),
        name="api-docs",
    ),
    path("api/", include("config.api_urls")),
    path("admin/", include("curation.admin_urls")),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", robots_txt, name="robots"),
    path("admin/", admin.site.urls),
    # Browsers ask for /favicon.ico on pages without an icon link (the admin); answer instead of a 404.
    path("favicon.ico", RedirectView.as_view(url=lazy(static, str)("img/favicon.svg"), permanent=True)),
]

handler400 = "config.errors.bad_request"
handler404 = "config.errors.page_not_found"
handler500 = "config.errors.server_error"
