from django.urls import path

from practices import views
from practices.compare import PracticeCompareView, RegionCompareView
from practices.exports import FindingExportView, PracticeExportView
from practices.feeds import NewestPracticesFeed
from practices.gap_map import GapMapView
from practices.world_map import WorldMapView

app_name = "practices"

urlpatterns = [
    path("practices/", views.PracticeListView.as_view(), name="practice-list"),
    path("practices/export.csv", PracticeExportView.as_view(format="csv"), name="practice-export-csv"),
    path("practices/export.json", PracticeExportView.as_view(format="json"), name="practice-export-json"),
    path("findings/export.csv", FindingExportView.as_view(format="csv"), name="finding-export-csv"),
    path("findings/export.json", FindingExportView.as_view(format="json"), name="finding-export-json"),
    path("practices/export.xlsx", PracticeExportView.as_view(format="xlsx"), name="practice-export-xlsx"),
    path("findings/export.xlsx", FindingExportView.as_view(format="xlsx"), name="finding-export-xlsx"),
    path("compare/", PracticeCompareView.as_view(), name="compare"),
    path("compare/regions/", RegionCompareView.as_view(), name="compare-regions"),
    path("gap-map/", GapMapView.as_view(), name="gap-map"),
    path("map/", WorldMapView.as_view(), name="map"),
    path("feeds/practices.atom", NewestPracticesFeed(), name="feed"),
    path("practices/<slug:slug>/", views.PracticeDetailView.as_view(), name="practice"),
    path("practices/<slug:slug>/preview/", views.PracticeDetailView.as_view(preview=True), name="practice-preview"),
    path("findings/", views.FindingListView.as_view(), name="finding-list"),
    path("findings/<slug:slug>/", views.FindingDetailView.as_view(), name="finding"),
    path("findings/<slug:slug>/preview/", views.FindingDetailView.as_view(preview=True), name="finding-preview"),
]
