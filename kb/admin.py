"""Admin for the conference record. Source documents, whose sections entries cite, are curated in
curation/admin_sources.py."""

from django.contrib import admin

from common.history import HistoryAdmin
from kb.models import Conference, Organisation, Person, Project, Section, Session


@admin.register(Organisation)
class OrganisationAdmin(HistoryAdmin):
    list_display = ["name", "acronym", "kind", "country"]
    list_filter = ["kind", "country__region"]
    search_fields = ["name", "acronym", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["country"]


@admin.register(Person)
class PersonAdmin(HistoryAdmin):
    list_display = ["display_name", "role", "organisation"]
    search_fields = ["name", "role", "organisation__name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["organisation"]
    list_select_related = ["organisation"]


class SessionInline(admin.TabularInline):
    model = Session
    fields = ["order", "title", "kind", "section", "region"]
    extra = 0
    show_change_link = True


@admin.register(Conference)
class ConferenceAdmin(HistoryAdmin):
    list_display = ["short_title", "place", "start_date", "end_date"]
    search_fields = ["title", "short_title", "place"]
    prepopulated_fields = {"slug": ["short_title"]}
    autocomplete_fields = ["country", "organisers", "rapporteurs"]
    inlines = [SessionInline]


@admin.register(Section)
class SectionAdmin(HistoryAdmin):
    list_display = ["__str__", "document", "code", "order"]
    list_filter = ["document"]
    search_fields = ["title", "code", "heading"]
    list_select_related = ["document", "parent"]
    autocomplete_fields = ["document", "parent"]


@admin.register(Session)
class SessionAdmin(HistoryAdmin):
    list_display = ["title", "kind", "conference", "order", "region"]
    list_filter = ["kind", "conference", "region"]
    search_fields = ["title", "question", "summary"]
    autocomplete_fields = ["conference", "section", "region", "speakers", "organisations"]
    list_select_related = ["conference", "region"]


@admin.register(Project)
class ProjectAdmin(HistoryAdmin):
    list_display = ["name", "kind", "session"]
    list_filter = ["kind", "session__conference"]
    search_fields = ["name", "summary", "quote"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["implementers", "countries", "session", "section"]
    list_select_related = ["session"]
