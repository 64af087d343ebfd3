"""sitemap.xml: every public page, published entries only."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from kb.models import Conference, Session, SourceDocument
from practices.models import Finding, Practice, published_entry_counts
from taxonomy.models import ConventionArticle, Country, Pillar, Region, Theme


class BilingualSitemap(Sitemap):
    """Every page in English and French, each URL with its alternates (hreflang)."""

    i18n = True
    alternates = True
    x_default = True


class StaticPagesSitemap(BilingualSitemap):
    priority = 0.8

    def items(self):
        return [
            "home",
            "practices:practice-list",
            "practices:finding-list",
            "taxonomy:article-list",
            "practices:gap-map",
            "practices:map",
            "licence",
            "privacy",
            "accessibility",
        ]

    def location(self, item):
        return reverse(item)


class EntrySitemap(BilingualSitemap):
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


class QuerysetSitemap(BilingualSitemap):
    """Every object of a queryset, at its own URL (a fresh copy of the queryset per request)."""

    def __init__(self, queryset):
        self.queryset = queryset

    def items(self):
        return self.queryset.all()


def countries_with_published_entries():
    """Only countries with a published entry: the others' pages are empty."""
    counts = published_entry_counts()
    return (
        Country.objects.annotate(entries=counts["practice_count"] + counts["finding_count"])
        .filter(entries__gt=0)
        .order_by("code")
    )


SITEMAPS = {
    "pages": StaticPagesSitemap,
    "practices": PracticeSitemap,
    "findings": FindingSitemap,
    "conferences": QuerysetSitemap(Conference.objects.order_by("slug")),
    "sources": QuerysetSitemap(SourceDocument.objects.only("slug").order_by("slug")),
    "sessions": QuerysetSitemap(Session.objects.order_by("conference", "order")),
    "articles": QuerysetSitemap(ConventionArticle.objects.order_by("number")),
    "pillars": QuerysetSitemap(Pillar.objects.order_by("order")),
    "regions": QuerysetSitemap(Region.objects.order_by("order")),
    "themes": QuerysetSitemap(Theme.objects.order_by("slug")),
    "countries": QuerysetSitemap(countries_with_published_entries()),
}
