from django.contrib import admin

from kb.admin_views import EntryCuratorToolsMixin
from practices.models import Finding, Practice, PracticeQuote

ENTRY_AUTOCOMPLETE = [
    "section",
    "session",
    "pillars",
    "regions",
    "countries",
    "themes",
    "articles",
    "inspire_strategies",
]


class EntryAdmin(EntryCuratorToolsMixin, admin.ModelAdmin):
    list_display = ["title", "status", "section", "session", "updated_at"]
    list_filter = ["status", "pillars", "regions", "themes", "section__document"]
    search_fields = ["title", "slug", "summary", "quote"]
    prepopulated_fields = {"slug": ["title"]}
    list_select_related = ["section__document", "section__parent", "session"]
    readonly_fields = ["published_at", "published_by", "created_at", "updated_at"]
    show_facets = admin.ShowFacets.ALWAYS
    date_hierarchy = "updated_at"


@admin.register(Finding)
class FindingAdmin(EntryAdmin):
    list_display = ["title", "kind", "status", "section", "session"]
    list_filter = ["status", "kind", *EntryAdmin.list_filter[1:]]
    autocomplete_fields = ENTRY_AUTOCOMPLETE


class PracticeQuoteInline(admin.StackedInline):
    model = PracticeQuote
    extra = 0
    autocomplete_fields = ["section"]


@admin.register(Practice)
class PracticeAdmin(EntryAdmin):
    list_display = ["title", "practice_type", "evidence_level", "status", "section"]
    list_filter = ["status", "practice_type", "evidence_level", "child_participation", *EntryAdmin.list_filter[1:]]
    autocomplete_fields = [*ENTRY_AUTOCOMPLETE, "implementers", "projects", "target_groups", "related_findings"]
    inlines = [PracticeQuoteInline]
