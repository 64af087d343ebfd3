"""The one definition of the catalogue's filters, shared by the HTML pages and the JSON API.

Repeatable parameters (``?pillar=prevention&pillar=protection``) are ORed within a filter and ANDed
across filters. Unknown values are ignored, never an error: ``ignored`` tells the page what was
dropped so it can say so.
"""

from functools import partial

import django_filters
from django import forms
from django.db.models import Q

from kb.models import Section, Session
from practices.models import Finding, Practice
from taxonomy.models import ConventionArticle, Country, Pillar, Region, TargetGroup, Theme


def vocabulary_choices(queryset, to_field, label_field):
    """Choices read when a form is built, so new vocabulary terms need no restart. A plain
    function (not a bound method), as form fields deep-copy their choices."""
    return [(str(key), label) for key, label in queryset.all().values_list(to_field, label_field)]


def section_choices():
    return [
        (f"{section.document.slug}:{section.code}", f"{section.document.title}, {section.label}")
        for section in Section.objects.select_related("document", "parent")
    ]


class LenientMultipleChoiceField(forms.MultipleChoiceField):
    """Keeps the valid values and remembers the rest instead of failing the whole form."""

    def __init__(self, *args, **kwargs):
        self.ignored: list[str] = []
        super().__init__(*args, **kwargs)

    def clean(self, value):
        value = self.to_python(value)
        self.choices = list(self.choices)  # evaluate callable choices once per form, not per use
        valid = {str(key) for key, _ in self.choices}
        self.ignored = [v for v in value if v not in valid]
        return [v for v in value if v in valid]


class LenientMultipleChoiceFilter(django_filters.MultipleChoiceFilter):
    field_class = LenientMultipleChoiceField


class SlugMultipleFilter(LenientMultipleChoiceFilter):
    def __init__(self, *args, queryset=None, to_field="slug", label_field="name", **kwargs):
        self.to_field = to_field
        kwargs.setdefault("distinct", True)
        kwargs.setdefault("conjoined", False)
        choices = partial(vocabulary_choices, queryset, to_field, label_field)
        super().__init__(*args, choices=choices, **kwargs)

    def get_filter_predicate(self, v):
        return {f"{self.field_name}__{self.to_field}": v}

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(Q(**{f"{self.field_name}__{self.to_field}__in": value})).distinct()


class SectionFilter(LenientMultipleChoiceFilter):
    """Sections are named ``<source slug>:<code>``, e.g. ``rome-2012-report:D``: codes repeat across
    sources."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, choices=section_choices, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        query = Q()
        for item in value:
            document, _, code = item.partition(":")
            query |= Q(section__document__slug=document, section__code=code)
        return qs.filter(query)


class EntryFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_text", label="Words")
    pillar = SlugMultipleFilter(field_name="pillars", queryset=Pillar.objects)
    region = SlugMultipleFilter(field_name="regions", queryset=Region.objects)
    country = SlugMultipleFilter(field_name="countries", queryset=Country.objects, to_field="code")
    theme = SlugMultipleFilter(field_name="themes", queryset=Theme.objects)
    article = SlugMultipleFilter(
        field_name="articles", queryset=ConventionArticle.objects, to_field="number", label_field="title"
    )
    session = SlugMultipleFilter(field_name="session", queryset=Session.objects, label_field="title")
    section = SectionFilter(label="Report section")

    def filter_text(self, queryset, name, value):
        from search.services import search_entries

        return search_entries(queryset, value)

    @property
    def ignored(self) -> dict[str, list[str]]:
        """Parameter values that were not understood, by parameter name."""
        self.form.is_valid()
        return {name: field.ignored for name, field in self.form.fields.items() if getattr(field, "ignored", None)}


class FindingFilterSet(EntryFilterSet):
    kind = LenientMultipleChoiceFilter(choices=Finding.Kind.choices)

    class Meta:
        model = Finding
        fields = []


class PracticeFilterSet(EntryFilterSet):
    target_group = SlugMultipleFilter(field_name="target_groups", queryset=TargetGroup.objects)

    class Meta:
        model = Practice
        fields = []
