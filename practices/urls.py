from django.urls import path

from practices import views

app_name = "practices"

urlpatterns = [
    path("practices/", views.PracticeListView.as_view(), name="practice-list"),
    path("practices/<slug:slug>/", views.PracticeDetailView.as_view(), name="practice"),
    path("practices/<slug:slug>/preview/", views.PracticeDetailView.as_view(preview=True), name="practice-preview"),
    path("findings/", views.FindingListView.as_view(), name="finding-list"),
    path("findings/<slug:slug>/", views.FindingDetailView.as_view(), name="finding"),
    path("findings/<slug:slug>/preview/", views.FindingDetailView.as_view(preview=True), name="finding-preview"),
]
