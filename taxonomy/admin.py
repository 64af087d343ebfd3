from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.template.response import TemplateResponse
from django.utils.text import capfirst

from common.history import HistoryAdmin
from common.i18n import TranslationsSideBySideMixin
from taxonomy.merging import describe_usage, merge_terms
from taxonomy.models import ConventionArticle, Country, InspireStrategy, Pillar, Region, TargetGroup, Theme


class VocabularyAdmin(TranslationsSideBySideMixin, HistoryAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "name_fr", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Pillar)
class PillarAdmin(VocabularyAdmin):
    list_display = ["name", "slug", "order"]


@admin.register(Region)
class RegionAdmin(VocabularyAdmin):
    list_display = ["name", "slug", "order"]


class MergeForm(forms.Form):
    survivor = forms.ModelChoiceField(queryset=None, label="Merge into", empty_label=None)

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["survivor"].queryset = queryset


class MergeableVocabularyAdmin(VocabularyAdmin):
    """A term in use cannot be deleted, only merged into another: "Merge into…" moves every entry
    to the surviving term and deletes the merged ones, in one transaction."""

    actions = ["merge_into"]

    def has_merge_permission(self, request):
        """Merging changes entries and deletes terms: it needs both rights."""
        return self.has_change_permission(request) and self.has_delete_permission(request)

    @admin.action(description="Merge selected %(verbose_name_plural)s into…", permissions=["merge"])
    def merge_into(self, request, queryset):
        opts = self.model._meta
        merged = list(queryset)
        others = self.model.objects.exclude(pk__in=[term.pk for term in merged])
        form = MergeForm(request.POST if "apply" in request.POST else None, queryset=others)
        if form.is_valid():
            survivor = form.cleaned_data["survivor"]
            moved = merge_terms(merged, survivor)
            names = ", ".join(str(term) for term in merged)
            self.message_user(request, f"Merged {names} into {survivor}: {moved} object(s) moved.", messages.SUCCESS)
            return None
        return TemplateResponse(
            request,
            "admin/taxonomy/merge.html",
            {
                **self.admin_site.each_context(request),
                "title": f"Merge {opts.verbose_name_plural}",
                "opts": opts,
                "form": form,
                "merged": [(term, describe_usage(term)) for term in merged],
                "action_checkbox_name": ACTION_CHECKBOX_NAME,
            },
        )

    def get_deleted_objects(self, objs, request):
        """Refuse to delete a term in use: list what uses it as protected, which stops the delete
        and tells the curator to merge instead."""
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        in_use = [(term, describe_usage(term)) for term in objs]
        in_use = [(term, usage) for term, usage in in_use if usage]
        if in_use:
            name = self.model._meta.verbose_name
            protected = list(protected) + [
                f"{capfirst(name)} “{term}” is used by {usage}: merge it into another {name} instead "
                f"(action “Merge selected … into…”)."
                for term, usage in in_use
            ]
            if request.method == "GET" or "post" not in request.POST:
                for term, usage in in_use:
                    messages.error(request, f"“{term}” cannot be deleted: it is used by {usage}. Merge it instead.")
        return deleted, model_count, perms_needed, protected


@admin.register(Theme)
class ThemeAdmin(MergeableVocabularyAdmin):
    pass


@admin.register(TargetGroup)
class TargetGroupAdmin(MergeableVocabularyAdmin):
    pass


@admin.register(InspireStrategy)
class InspireStrategyAdmin(VocabularyAdmin):
    list_display = ["name", "letter", "cross_cutting", "order"]
    list_filter = ["cross_cutting"]


@admin.register(Country)
class CountryAdmin(TranslationsSideBySideMixin, HistoryAdmin):
    list_display = ["name", "code", "region"]
    list_filter = ["region"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["region"]


@admin.register(ConventionArticle)
class ConventionArticleAdmin(TranslationsSideBySideMixin, HistoryAdmin):
    list_display = ["number", "title", "chapter", "pillar"]
    list_filter = ["chapter", "pillar"]
    search_fields = ["title", "chapter_title", "=number"]
    autocomplete_fields = ["pillar"]
