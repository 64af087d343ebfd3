"""An Atom feed of the newest published good practices."""

from django.contrib.syndication.views import Feed
from django.db.models import F
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed

from practices.models import Practice

FEED_LENGTH = 30


class NewestPracticesFeed(Feed):
    feed_type = Atom1Feed
    title = "Lanzarote Knowledge Base: newest good practices"
    subtitle = (
        "Good practices against the sexual exploitation and abuse of children, curated from conference "
        "reports on the Council of Europe Lanzarote Convention."
    )
    link = reverse_lazy("practices:practice-list")
    feed_url = reverse_lazy("practices:feed")

    def items(self):
        return (
            Practice.objects.published()
            .select_related("section__document")
            .prefetch_related("pillars")
            .order_by(F("published_at").desc(nulls_last=True), "title")[:FEED_LENGTH]
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [pillar.name for pillar in item.pillars.all()]
