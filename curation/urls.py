from django.urls import path

from curation import views

app_name = "curation"

urlpatterns = [
    path("suggest/", views.SuggestPracticeView.as_view(), name="suggest"),
    path("suggest/thanks/", views.SuggestThanksView.as_view(), name="suggest-thanks"),
    path("report/<slug:kind>/<slug:slug>/", views.ReportCorrectionView.as_view(), name="report"),
    path("report/thanks/", views.ReportThanksView.as_view(), name="report-thanks"),
]
