from urllib.parse import urlencode

from django.contrib import admin, messages
from django.contrib.contenttypes.admin import GenericTabularInline
from django.db.models import Case, F, TextField, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from common.admin_urls import admin_url
from common.text import unique_slug
from curation.forms import SuggestionForm
from curation.models import CorrectionReport, Suggestion
from curation.privacy import PrivateLookupsMixin, without_private_fields
from practices.models import Practice


def draft_from_suggestion(suggestion) -> dict:
    """The add form's first values for a practice drafted from a public suggestion. Read from the
    suggestion itself, not carried in the link: its text has line breaks, which addresses may not."""
    return {
        "title": suggestion.title,
        "slug": unique_slug(Practice, suggestion.title),
        "summary": suggestion.description[:1000],
        "description": f"{suggestion.description}\n\nRun by {suggestion.organisation} in {suggestion.countries}.",
    }


class CorrectionReportInline(GenericTabularInline):
    """Readers' correction reports beside the entry they concern, on its change form."""

    model = CorrectionReport
    extra = 0
    can_delete = False
    fields = ["created_at", "message", "contact_email", "resolved_at", "resolution"]
    readonly_fields = ["created_at", "message", "contact_email", "resolved_at", "resolution"]
    verbose_name_plural = "Correction reports from readers"

    def has_add_permission(self, request, obj=None):
        return False

    def get_fields(self, request, obj=None):
        return without_private_fields(request, CorrectionReport, super().get_fields(request, obj))


def _resolve(modeladmin, request, queryset, note):
    """Close the open reports; a note the reviewer already typed is kept, ``note`` fills only an empty one."""
    count = queryset.filter(resolved_at__isnull=True).update(
        resolved_at=timezone.now(),
        resolved_by=request.user,
        resolution=Case(When(resolution="", then=Value(note)), default=F("resolution"), output_field=TextField()),
    )
    modeladmin.message_user(request, f"{count} report(s) closed.", messages.SUCCESS)


@admin.action(description="Close: corrected", permissions=["change"])
def close_corrected(modeladmin, request, queryset):
    _resolve(modeladmin, request, queryset, "Corrected.")


@admin.action(description="Close: no change needed", permissions=["change"])
def close_unfounded(modeladmin, request, queryset):
    _resolve(modeladmin, request, queryset, "No change needed.")


class OpenFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("open", "Open"), ("closed", "Closed")]

    def queryset(self, request, queryset):
        if self.value() == "open":
            return queryset.filter(resolved_at__isnull=True)
        if self.value() == "closed":
            return queryset.filter(resolved_at__isnull=False)
        return queryset


@admin.register(CorrectionReport)
class CorrectionReportAdmin(PrivateLookupsMixin, admin.ModelAdmin):
    list_display = ["created_at", "entry_link", "short_message", "is_open"]
    list_filter = [OpenFilter, "content_type"]
    search_fields = ["message"]
    readonly_fields = ["content_type", "object_id", "entry_link", "message", "contact_email", "created_at"]
    fields = [*readonly_fields, "resolution", "resolved_at", "resolved_by"]
    autocomplete_fields = ["resolved_by"]
    actions = [close_corrected, close_unfounded]

    show_facets = admin.ShowFacets.ALWAYS

    def get_fields(self, request, obj=None):
        return without_private_fields(request, CorrectionReport, super().get_fields(request, obj))

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("content_type").prefetch_related("entry")

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        """Saving a resolution closes the report (by this reviewer, now) unless a date is given;
        emptying the resolution and the date reopens it."""
        if obj.resolution.strip() and obj.resolved_at is None:
            obj.resolved_at = timezone.now()
            obj.resolved_by = obj.resolved_by or request.user
        super().save_model(request, obj, form, change)

    @admin.display(description="entry")
    def entry_link(self, report):
        entry = report.entry
        if entry is None:
            return "(deleted)"
        url = admin_url(entry)
        return format_html('<a href="{}">{}</a>', url, entry)

    @admin.display(description="report")
    def short_message(self, report):
        return report.message[:120]

    @admin.display(description="open", boolean=True)
    def is_open(self, report):
        return report.is_open


@admin.register(Suggestion)
class SuggestionAdmin(PrivateLookupsMixin, admin.ModelAdmin):
    list_display = ["title", "organisation", "countries", "contact_role", "state", "created_at"]
    list_filter = ["state", "contact_role"]
    search_fields = ["title", "description", "organisation", "countries"]
    readonly_fields = [*SuggestionForm.Meta.fields, "created_at", "draft_link"]
    fields = [*readonly_fields, "state", "practice", "reviewer_note"]
    autocomplete_fields = ["practice"]
    show_facets = admin.ShowFacets.ALWAYS

    def has_add_permission(self, request):
        return False

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "practice":
            kwargs["label"] = "Linked practice"
            kwargs["help_text"] = "The practice drafted from this suggestion, if any."
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description="Draft")
    def draft_link(self, suggestion):
        if suggestion.practice_id:
            url = reverse("admin:practices_practice_change", args=[suggestion.practice_id])
            return format_html('<a href="{}">{}</a>', url, suggestion.practice)
        query = urlencode({"suggestion": suggestion.pk})  # the add form fills itself from it
        url = f"{reverse('admin:practices_practice_add')}?{query}"
        return format_html('<a href="{}">Draft a practice from this suggestion</a>', url)
