"""sitemap.xml: every public page, published entries only."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Q
from django.urls import reverse

from kb.models import Conference, Session, SourceDocument
from practices.models import Finding, Practice
from taxonomy.models import ConventionArticle, Country, Pillar, Region, Theme


class StaticPagesSitemap(Sitemap):
    priority = 0.8

    def items(self):
        return [
            "home",
            "practices:practice-list",
            "practices:finding-list",
            "taxonomy:article-list",
            "practices:gap-map",
        ]

    def location(self, item):
        return reverse(item)


class EntrySitemap(Sitemap):
    model = None
    priority = 0.7

    def items(self):
        return self.model.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, entry):
        return entry.updated_at


class PracticeSitemap(EntrySitemap):
    model = Practice


class FindingSitemap(EntrySitemap):
    model = Finding


class ConferenceSitemap(Sitemap):
    def items(self):
        return Conference.objects.order_by("slug")


class SourceSitemap(Sitemap):
    def items(self):
        return SourceDocument.objects.only("slug").order_by("slug")


class SessionSitemap(Sitemap):
    def items(self):
        return Session.objects.order_by("conference", "order")


class ArticleSitemap(Sitemap):
    def items(self):
        return ConventionArticle.objects.order_by("number")


class PillarSitemap(Sitemap):
    def items(self):
        return Pillar.objects.order_by("order")


class RegionSitemap(Sitemap):
    def items(self):
        return Region.objects.order_by("order")


class ThemeSitemap(Sitemap):
    def items(self):
        return Theme.objects.order_by("slug")


class CountrySitemap(Sitemap):
    """Only countries with a published entry: the others' pages are empty."""

    def items(self):
        published = Q(practices__status="published") | Q(findings__status="published")
        return Country.objects.filter(published).distinct().order_by("code")


SITEMAPS = {
    "pages": StaticPagesSitemap,
    "practices": PracticeSitemap,
    "findings": FindingSitemap,
    "conferences": ConferenceSitemap,
    "sources": SourceSitemap,
    "sessions": SessionSitemap,
    "articles": ArticleSitemap,
    "pillars": PillarSitemap,
    "regions": RegionSitemap,
    "themes": ThemeSitemap,
    "countries": CountrySitemap,
}
