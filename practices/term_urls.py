from django.urls import path

from practices import term_views as views

# The vocabulary pages keep the "taxonomy" namespace: their addresses are about the terms.
app_name = "taxonomy"

urlpatterns = [
    path("pillars/<slug:slug>/", views.PillarDetailView.as_view(), name="pillar"),
    path("regions/<slug:slug>/", views.RegionDetailView.as_view(), name="region"),
    path("countries/<str:code>/", views.CountryDetailView.as_view(), name="country"),
    path("themes/<slug:slug>/", views.ThemeDetailView.as_view(), name="theme"),
    path("articles/", views.ArticleListView.as_view(), name="article-list"),
    path("articles/<int:number>/", views.ArticleDetailView.as_view(), name="article"),
]
