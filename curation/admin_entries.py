import datetime

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone

from common.admin_urls import admin_url
from common.history import HistoryAdmin, history_rows
from common.i18n import TranslationsSideBySideMixin
from content.admin_views import EntryCuratorToolsMixin
from curation.admin_contributions import CorrectionReportInline, draft_from_suggestion
from curation.models import Suggestion
from curation.privacy import PrivateLookupsMixin
from practices import services
from practices.models import EVER_PUBLIC, WORKFLOW_FIELDS, Finding, Practice, PracticeQuote
from taxonomy.models import Theme

ENTRY_AUTOCOMPLETE = [
    "section",
    "session",
    "pillars",
    "regions",
    "countries",
    "themes",
    "articles",
    "inspire_strategies",
    "successor",
]

# Bulk actions that are workflow steps (or edits), offered only to users who may take them.
BULK_ACTION_STEPS = {
    "submit_for_review": "submit",
    "add_theme": "edit",
    "publish": "publish",
    "mark_verified": "verify",
    "archive": "archive",
}

VERIFICATION_MONTHS = 24


def verification_cutoff(today=None) -> datetime.date:
    """The day ``VERIFICATION_MONTHS`` ago: entries last verified before it are due."""
    today = today or timezone.localdate()
    years, months = divmod(today.month - 1 - VERIFICATION_MONTHS, 12)
    year, month = today.year + years, months + 1
    for day in range(today.day, 0, -1):
        try:
            return datetime.date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


class VerificationFilter(admin.SimpleListFilter):
    title = "verification"
    parameter_name = "verification"

    def lookups(self, request, model_admin):
        return [("due", f"Not verified for {VERIFICATION_MONTHS} months (or never)"), ("never", "Never verified")]

    def queryset(self, request, queryset):
        if self.value() == "due":
            return queryset.not_verified_since(verification_cutoff())
        if self.value() == "never":
            return queryset.filter(last_verified__isnull=True)
        return queryset


# --- bulk actions: each runs the workflow service per entry, which checks permissions ------------


def _report(modeladmin, request, result, done_label):
    if result.done:
        modeladmin.message_user(request, f"{len(result.done)} {done_label}.", messages.SUCCESS)
    for entry, reason in result.refused:
        modeladmin.message_user(request, f"Not changed: {entry} — {reason}", messages.WARNING)


def workflow_action(name, step, description, done_label):
    """A bulk action that applies one workflow step to each selected entry."""

    def action(modeladmin, request, queryset):
        _report(modeladmin, request, services.apply_to_each(queryset, request.user, step), done_label)

    action.__name__ = name
    return admin.action(description=description)(action)


submit_for_review = workflow_action(
    "submit_for_review", services.entry_submit_for_review, "Submit selected entries for review", "submitted for review"
)
publish = workflow_action("publish", services.entry_publish, "Publish selected entries", "published")
archive = workflow_action("archive", services.entry_archive, "Archive selected entries", "archived")
mark_verified = workflow_action(
    "mark_verified", services.entry_mark_verified, "Mark selected entries verified today", "marked verified"
)


@admin.action(description="Add a theme to selected entries")
def add_theme(modeladmin, request, queryset):
    """Two steps: choose the theme on an intermediate page, then apply it to each entry."""
    theme = Theme.objects.filter(pk=request.POST.get("theme") or None).first() if "apply" in request.POST else None
    if theme is not None:
        _report(
            modeladmin,
            request,
            services.apply_to_each(queryset, request.user, services.entry_add_theme, theme),
            f"given the theme “{theme}”",
        )
        return None
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": "Add a theme",
        "opts": modeladmin.model._meta,
        "entries": queryset,
        "themes": Theme.objects.all(),
        "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        "error": "Choose a theme." if "apply" in request.POST else "",
    }
    return TemplateResponse(request, "admin/practices/add_theme.html", context)


# One line per action; other features add theirs here.
ENTRY_ACTIONS = [
    submit_for_review,
    publish,
    archive,
    mark_verified,
    add_theme,
]


class EntryAdmin(TranslationsSideBySideMixin, PrivateLookupsMixin, EntryCuratorToolsMixin, HistoryAdmin):
    list_display = ["title", "status", "section", "session", "last_verified", "updated_at"]
    list_filter = ["status", "pillars", "regions", "themes", "section__document", VerificationFilter]
    search_fields = ["title", "slug", "summary", "quote"]
    prepopulated_fields = {"slug": ["title"]}
    list_select_related = ["section__document", "section__parent", "session"]
    workflow_fields = [name for name in WORKFLOW_FIELDS if name != "successor"]  # successor: chosen in the form
    revert_keeps = WORKFLOW_FIELDS
    readonly_fields = [*workflow_fields, "created_at", "updated_at"]
    show_facets = admin.ShowFacets.ALWAYS
    date_hierarchy = "updated_at"
    actions = ENTRY_ACTIONS
    inlines = [CorrectionReportInline]
    change_form_template = "admin/practices/entry_change_form.html"

    # --- permissions: the workflow decides, per object ---------------------------------------

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return super().has_change_permission(request)
        return services.can(request.user, "edit", obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or not obj.was_ever_public)

    def delete_queryset(self, request, queryset):
        kept = queryset.ever_public()
        if kept.exists():
            self.message_user(
                request,
                f"Not deleted: {', '.join(map(str, kept))} — published entries are archived, never deleted.",
                messages.WARNING,
            )
        queryset.exclude(pk__in=kept.values("pk")).delete()

    def get_actions(self, request):
        actions = super().get_actions(request)
        for name, step in BULK_ACTION_STEPS.items():
            if name in actions and not services.may(request.user, step, self.model):
                del actions[name]
        return actions

    def get_fields(self, request, obj=None):
        """The slug right below the title it is made from."""
        fields = list(super().get_fields(request, obj))
        # A row may be a tuple: ("title", "title_fr") side by side.
        rows = [row if isinstance(row, tuple | list) else (row,) for row in fields]
        if "slug" not in fields or not any("title" in row for row in rows):
            return fields
        fields.remove("slug")
        rows.remove(("slug",))
        fields.insert(next(i for i, row in enumerate(rows) if "title" in row) + 1, "slug")
        return fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        """An unpublished entry's slug follows its title as the curator types (static/js/admin.js)
        until the slug itself is edited; a public entry's slug changes only by hand (its old
        address then redirects)."""
        form = super().get_form(request, obj, change=change, **kwargs)
        slug = form.base_fields.get("slug")
        if slug is not None:
            slug.help_text = (
                "The entry's address, made from the title as you type it; you may edit it."
                if obj is None or obj.status not in EVER_PUBLIC
                else "Changing it moves the public page; the old address redirects to the new one."
            )
            if obj is None or obj.status not in EVER_PUBLIC:
                slug.widget.attrs["data-slug-from"] = "id_title"
        return form

    def get_inlines(self, request, obj):
        """Readers' correction reports concern existing entries: not on the add form."""
        inlines = super().get_inlines(request, obj)
        return inlines if obj is not None else [i for i in inlines if i is not CorrectionReportInline]

    def get_view_on_site_url(self, obj=None):
        if obj is None or obj.status in EVER_PUBLIC:
            return super().get_view_on_site_url(obj)
        return obj.get_preview_url()

    # --- per-entry workflow page ------------------------------------------------------------------

    def get_urls(self):
        info = self.model._meta.app_label, self.model._meta.model_name
        return [
            path(
                "<path:object_id>/workflow/",
                self.admin_site.admin_view(self.workflow_view),
                name="{}_{}_workflow".format(*info),
            ),
            *super().get_urls(),
        ]

    def workflow_view(self, request, object_id):
        entry = self.get_object(request, object_id)  # None for a malformed or unknown id
        if entry is None:
            raise Http404(f"No {self.model._meta.verbose_name} with that id.")
        if not self.has_view_or_change_permission(request, entry):
            raise PermissionDenied
        if request.method == "POST":
            try:
                self.take_step(request, entry, request.POST.get("step", ""))
            except services.TransitionError as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                self.message_user(request, f"“{entry}” is now {entry.get_status_display().lower()}.", messages.SUCCESS)
                return redirect(admin_url(entry, "workflow"))
        return self.render_workflow(request, entry)

    def take_step(self, request, entry, step: str):
        """Apply the workflow step a curator chose on the workflow page (the service checks the rights)."""
        user = request.user
        if step == "submit":
            services.entry_submit_for_review(entry, user)
        elif step == "publish":
            services.entry_publish(entry, user)
        elif step == "return":
            services.entry_return_to_draft(entry, user, request.POST.get("comment", ""))
        elif step == "archive":
            services.entry_archive(entry, user, successor=self.successor_from(request))
        elif step == "verify":
            services.entry_mark_verified(entry, user)
        else:
            raise services.TransitionError("Unknown step.")

    def successor_from(self, request):
        slug = request.POST.get("successor", "").strip()
        if not slug:
            return None
        successor = self.model.objects.filter(slug=slug).first()
        if successor is None:
            raise services.TransitionError(f"No {self.model._meta.verbose_name} has that slug.")
        return successor

    def render_workflow(self, request, entry):
        context = {
            **self.admin_site.each_context(request),
            "title": f"Workflow: {entry}",
            "opts": self.model._meta,
            "original": entry,
            "entry": entry,
            "steps": services.allowed_steps(request.user, entry),
            "view_url": self.get_view_on_site_url(entry),
            "history": history_rows(
                self.model, list(entry.history.select_related("history_user").order_by("-history_date")[:40])
            )[:10],
        }
        return TemplateResponse(request, "admin/practices/workflow.html", context)


@admin.register(Finding)
class FindingAdmin(EntryAdmin):
    list_display = ["title", "kind", "status", "section", "session", "last_verified"]
    list_filter = ["status", "kind", *EntryAdmin.list_filter[1:]]
    autocomplete_fields = [*ENTRY_AUTOCOMPLETE, "speakers", "organisations"]

    def save_related(self, request, form, formsets, change):
        """The searchable attribution follows the speakers and organisations just saved."""
        super().save_related(request, form, formsets, change)
        form.instance.refresh_attribution()


class PracticeQuoteInline(admin.StackedInline):
    model = PracticeQuote
    extra = 0
    autocomplete_fields = ["section"]


@admin.register(Practice)
class PracticeAdmin(EntryAdmin):
    list_display = ["title", "basis", "practice_type", "evidence_level", "status", "section", "last_verified"]
    list_filter = [
        "status",
        "basis",
        "practice_type",
        "evidence_level",
        "child_participation",
        *EntryAdmin.list_filter[1:],
    ]
    autocomplete_fields = [*ENTRY_AUTOCOMPLETE, "implementers", "projects", "target_groups", "related_findings"]
    inlines = [PracticeQuoteInline, CorrectionReportInline]

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        suggestion_id = request.GET.get("suggestion", "")
        suggestion = (
            Suggestion.objects.filter(pk=suggestion_id, practice__isnull=True).first()
            if suggestion_id.isdigit()
            else None
        )
        return draft_from_suggestion(suggestion) | initial if suggestion else initial  # the address wins

    def save_model(self, request, obj, form, change):
        """A practice drafted from a public suggestion (``?suggestion=<id>``) is linked back to it."""
        super().save_model(request, obj, form, change)
        suggestion_id = request.GET.get("suggestion", "")
        if not change and suggestion_id.isdigit():
            Suggestion.objects.filter(pk=suggestion_id, practice__isnull=True).update(
                practice=obj, state=Suggestion.State.DRAFTED
            )
