from django.urls import path

from practices import record_views as views

# The conference record's pages keep the "kb" namespace: their addresses are about the record.
app_name = "kb"

urlpatterns = [
    path("conferences/<slug:slug>/", views.ConferenceDetailView.as_view(), name="conference"),
    path("sessions/<slug:slug>/", views.SessionDetailView.as_view(), name="session"),
    path("sources/<slug:slug>/", views.SourceDocumentView.as_view(), name="source"),
    path("organisations/<slug:slug>/", views.OrganisationDetailView.as_view(), name="organisation"),
    path("projects/<slug:slug>/", views.ProjectDetailView.as_view(), name="project"),
]
