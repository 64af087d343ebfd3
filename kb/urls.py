from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from kb import views
from kb.sitemaps import SITEMAPS

kb_patterns = (
    [
        path("conferences/<slug:slug>/", views.ConferenceDetailView.as_view(), name="conference"),
        path("sessions/<slug:slug>/", views.SessionDetailView.as_view(), name="session"),
        path("sources/<slug:slug>/", views.SourceDocumentView.as_view(), name="source"),
        path("organisations/<slug:slug>/", views.OrganisationDetailView.as_view(), name="organisation"),
        path("projects/<slug:slug>/", views.ProjectDetailView.as_view(), name="project"),
    ],
    "kb",
)

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("", include(kb_patterns)),
    path("", include("practices.urls")),
    path("", include("taxonomy.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="kb/api_docs.html"),
        name="api-docs",
    ),
    path("api/", include("kb.api_urls")),
    path("", include("curation.urls")),
    path("admin/", include("curation.admin_urls")),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("admin/", admin.site.urls),
    # Browsers ask for /favicon.ico on pages without an icon link (the admin); answer instead of a 404.
    path("favicon.ico", RedirectView.as_view(url=lazy(static, str)("img/favicon.svg"), permanent=True)),
]
