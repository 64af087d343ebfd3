"""The thesaurus in the admin: curators edit each concept's labels, broader and related concepts
and sources, with history (django-simple-history, registered in curation/models.py). It lives here
rather than in taxonomy because a concept may name a session, an organisation or a project, which
the form checks against the conference record."""

from django import forms
from django.contrib import admin

from common.history import HistoryAdmin
from search.vocabularies import VOCABULARIES, term_exists
from taxonomy.models import Concept, Label, TerminologySource


class LabelInline(admin.TabularInline):
    model = Label
    extra = 1
    fields = ["kind", "language", "text"]


class ConceptForm(forms.ModelForm):
    class Meta:
        model = Concept
        fields = ["slug", "vocabulary", "term", "broader", "related", "sources", "note"]

    def clean(self):
        data = super().clean()
        vocabulary, term = data.get("vocabulary", ""), (data.get("term") or "").strip()
        if bool(vocabulary) != bool(term):
            raise forms.ValidationError("Give both a vocabulary and a term, or neither (a free concept).")
        if vocabulary and not term_exists(vocabulary, term):
            label = VOCABULARIES[vocabulary].label.lower()
            self.add_error("term", f"There is no {label} “{term}”.")
        data["term"] = term
        return data


@admin.register(Concept)
class ConceptAdmin(HistoryAdmin):
    form = ConceptForm
    inlines = [LabelInline]
    list_display = ["slug", "vocabulary", "term", "label_list"]
    list_filter = ["vocabulary", "sources"]
    search_fields = ["slug", "term", "labels__text", "note"]
    filter_horizontal = ["broader", "related", "sources"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("labels")

    @admin.display(description="Labels")
    def label_list(self, concept):
        texts = [label.text for label in concept.labels.all()]
        return ", ".join(texts[:6]) + (" …" if len(texts) > 6 else "")


@admin.register(TerminologySource)
class TerminologySourceAdmin(HistoryAdmin):
    list_display = ["key", "title", "url"]
    search_fields = ["key", "title"]
