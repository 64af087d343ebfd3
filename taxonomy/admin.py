from django.contrib import admin

from curation.history import HistoryAdmin
from taxonomy.models import ConventionArticle, Country, InspireStrategy, Pillar, Region, TargetGroup, Theme


class VocabularyAdmin(HistoryAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Pillar)
class PillarAdmin(VocabularyAdmin):
    list_display = ["name", "slug", "order"]


@admin.register(Region)
class RegionAdmin(VocabularyAdmin):
    list_display = ["name", "slug", "order"]


@admin.register(Theme)
class ThemeAdmin(VocabularyAdmin):
    pass


@admin.register(TargetGroup)
class TargetGroupAdmin(VocabularyAdmin):
    pass


@admin.register(InspireStrategy)
class InspireStrategyAdmin(VocabularyAdmin):
    list_display = ["name", "letter", "cross_cutting", "order"]
    list_filter = ["cross_cutting"]


@admin.register(Country)
class CountryAdmin(HistoryAdmin):
    list_display = ["name", "code", "region"]
    list_filter = ["region"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["region"]


@admin.register(ConventionArticle)
class ConventionArticleAdmin(HistoryAdmin):
    list_display = ["number", "title", "chapter", "pillar"]
    list_filter = ["chapter", "pillar"]
    search_fields = ["title", "chapter_title", "=number"]
    autocomplete_fields = ["pillar"]
