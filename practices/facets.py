"""The facets of the catalogue, declared once.

``FACETS`` drives the filters (practices/filters.py), the option counts, the active-filter chips
and the ``facets`` object of the API. Each option's count is the number of published entries it
would give *given the other active filters*: values OR within a facet, facets AND with each other,
and a facet's own selection does not narrow its own counts (as Django admin's ``show_facets``).

Counting needs no query over the entries: each option's count is an AND and a population count of
bitmaps in the facet index (practices/facet_index.py), rebuilt when the content version changes;
each vocabulary's terms and labels are kept per process under the same version (``kept_options``).
"""

from dataclasses import dataclass, field
from functools import cached_property

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q
from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from common.versioning import cache_key, kept_under_version
from kb.models import Organisation, Person, Section, Session
from practices.models import Finding, Practice
from search.understanding import remaining_words
from taxonomy.models import ConventionArticle, Country, InspireStrategy, Pillar, Region, TargetGroup, Theme

MAX_VALUES_PER_FACET = 10
MAX_VALUES_OVERALL = 30
PRACTICES = (Practice,)
ENTRIES = (Practice, Finding)


@dataclass(frozen=True)
class Facet:
    """One way to narrow the catalogue.

    ``field`` is the entry field filtered on. Vocabulary facets name a ``term_model`` and the term
    attribute used as the parameter value (``value_field``); choice facets take the field's choices.
    ``parent`` nests this facet's options under the options of another facet (countries under their
    region); ``group`` names the term attributes its options are grouped by (articles by chapter) and
    ``group_label`` how each group is headed.
    """

    name: str
    label: str  # lazily translated
    field: str
    models: tuple = ENTRIES
    term_model: type | None = None
    value_field: str = "slug"
    label_field: str = "label"  # the term's name in the active language
    related: tuple = ()
    deferred: tuple = ()
    parent: str | None = None
    parent_field: str = ""
    orphans_label: str = ""
    group: tuple = ()
    group_label: str = ""
    show_empty: bool = False
    open: bool = False

    def applies_to(self, model) -> bool:
        return model in self.models

    @property
    def is_vocabulary(self) -> bool:
        return self.term_model is not None

    def is_many(self, model) -> bool:
        return model._meta.get_field(self.field).many_to_many

    def value_of(self, term) -> str:
        if self.term_model is Section:
            return f"{term.document.slug}:{term.code}"
        return str(getattr(term, self.value_field))

    def label_of(self, term) -> str:
        if self.term_model is Section:
            return term.label
        if self.term_model is ConventionArticle:
            return f"Art. {term.number}: {term.label}"
        return str(getattr(term, self.label_field))

    def choices(self, model):
        """``(value, label)`` pairs: every value the filter accepts."""
        if self.term_model is None:
            return model._meta.get_field(self.field).choices
        return [(self.value_of(term), self.label_of(term)) for term in self.kept_terms()]

    def terms(self):
        # explicit ordering: Meta.ordering does not apply to the grouped (annotated) query
        ordering = self.term_model._meta.ordering
        return self.term_model.objects.select_related(*self.related).defer(*self.deferred).order_by(*ordering)

    def kept_terms(self) -> list:
        """``terms()``, read once per process and content version (common/versioning.py): every
        browse page lists each facet's options, and a vocabulary changes only with the content."""
        return kept_under_version(("facet-terms", self.name), lambda: list(self.terms()))

    def kept_options(self) -> list[tuple]:
        """Each term as (its key in the facet index, parameter value, label, parent's slug, group)
        in the active language, kept per process, content version and language: every browse
        page lists every option, and labels cost a language look-up each."""

        def read():
            options = []
            for term in self.kept_terms():
                parent = getattr(term, self.parent_field) if self.parent_field else None
                group = tuple(getattr(term, name) for name in self.group) if self.group else None
                options.append(
                    (str(term.pk), self.value_of(term), self.label_of(term), getattr(parent, "slug", None), group)
                )
            return options

        return kept_under_version(("facet-options", self.name, get_language()), read)

    def condition(self, values, field=None) -> Q:
        """Entries carrying any of ``values`` (valid parameter values); ``field`` names the term
        relation when the condition is on another model (a many-to-many's through table)."""
        if self.term_model is Section:
            condition = Q()
            for value in values:
                document, _, code = value.partition(":")
                condition |= Q(section__document__slug=document, section__code=code)
            return condition
        field = field or self.field
        path = f"{field}__{self.value_field}" if self.is_vocabulary else field
        return Q(**{f"{path}__in": values})


FACETS = (
    Facet("basis", _("Basis: implemented or recommended"), "basis", models=PRACTICES, show_empty=True, open=True),
    Facet("pillar", _("Pillar"), "pillars", term_model=Pillar, show_empty=True, open=True),
    Facet("region", _("Region and country"), "regions", term_model=Region, show_empty=True, open=True),
    Facet(
        "country",
        _("Country"),
        "countries",
        term_model=Country,
        value_field="code",
        related=("region",),
        parent="region",
        parent_field="region",
        orphans_label=_("Other countries"),
    ),
    Facet("theme", _("Theme"), "themes", term_model=Theme),
    Facet(
        "article",
        _("Lanzarote Convention article"),
        "articles",
        term_model=ConventionArticle,
        value_field="number",
        group=("chapter", "chapter_label"),
        group_label=_("Chapter {0}: {1}"),
    ),
    Facet("inspire", _("WHO INSPIRE strategy"), "inspire_strategies", term_model=InspireStrategy),
    Facet("session", _("Conference session"), "session", term_model=Session, label_field="title"),
    Facet(
        "section",
        _("Report section"),
        "section",
        term_model=Section,
        related=("document", "parent"),
        deferred=("document__text",),
        group=("document_title",),
        group_label="{0}",
    ),
    Facet("kind", _("Kind of finding"), "kind", models=(Finding,), show_empty=True, open=True),
    Facet("speaker", _("Speaker"), "speakers", models=(Finding,), term_model=Person, label_field="display_name"),
    Facet(
        "organisation",
        _("Speaker's organisation"),
        "organisations",
        models=(Finding,),
        term_model=Organisation,
        label_field="name",
    ),
    Facet("target_group", _("Target group"), "target_groups", models=PRACTICES, term_model=TargetGroup),
    Facet("practice_type", _("Type of practice"), "practice_type", models=PRACTICES, show_empty=True, open=True),
    Facet("child_participation", _("Child participation"), "child_participation", models=PRACTICES, show_empty=True),
    Facet("evidence_level", _("Evidence level"), "evidence_level", models=PRACTICES, show_empty=True),
)

FACETS_BY_NAME = {facet.name: facet for facet in FACETS}


def facets_for(model) -> list[Facet]:
    return [facet for facet in FACETS if facet.applies_to(model)]


def query_with(query: QueryDict, name: str, values) -> QueryDict:
    """A copy of ``query`` with parameter ``name`` set to ``values`` (removed when empty), back on
    page one."""
    query = query.copy()
    query.pop("page", None)
    if values:
        query.setlist(name, list(values))
    else:
        query.pop(name, None)
    return query


@dataclass
class Option:
    facet: Facet
    value: str
    label: str
    count: int
    selected: bool
    dom_id: str
    query: QueryDict
    parent: str | None = None
    group: tuple | None = None
    children: list = field(default_factory=list)

    @property
    def toggle_query(self) -> QueryDict:
        """The query with this option ticked if it is not, unticked if it is (built on demand:
        only shown options need one)."""
        values = self.query.getlist(self.facet.name)
        toggled = [v for v in values if v != self.value] if self.selected else [*values, self.value]
        return query_with(self.query, self.facet.name, toggled)

    @property
    def available(self) -> bool:
        """Whether ticking it can give results; empty options are shown greyed, not as controls."""
        return self.selected or self.count > 0

    def as_json(self, build_url) -> dict:
        data = {"value": self.value, "label": self.label, "count": self.count, "selected": self.selected}
        if self.facet.parent:
            data["parent"] = self.parent
        if self.group is not None:
            data["group"] = self.group[0]
        data["toggle_url"] = build_url(self.toggle_query)
        return data


@dataclass
class FacetResult:
    facet: Facet
    options: list[Option]
    nested: "FacetResult | None" = None
    children: list[Option] = field(default_factory=list)  # nested options with no parent option

    @property
    def name(self):
        return self.facet.name

    @property
    def label(self):
        return self.facet.label

    @property
    def selected(self) -> list[Option]:
        selected = [option for option in self.options if option.selected]
        if self.nested:
            selected += self.nested.selected
        return selected

    @property
    def open(self) -> bool:
        return self.facet.open or bool(self.selected)

    @property
    def shown(self) -> list[Option]:
        """The options the page and the API list: those with results, the selected ones, and for
        short fixed lists every option (greyed when empty)."""
        return [option for option in self.options if option.available or self.facet.show_empty]

    @property
    def groups(self) -> list[tuple[str, list[Option]]]:
        """Shown options by group, in order (one unnamed group when the facet has none)."""
        groups: dict = {}
        for option in self.shown:
            label = self.facet.group_label.format(*option.group) if option.group else ""
            groups.setdefault(label, []).append(option)
        return list(groups.items())


class FacetCounter:
    """Computes a filter set's facets: options, counts given the other filters, and selection."""

    def __init__(self, filterset):
        self.filterset = filterset
        self.model = filterset.queryset.model
        self.query = filterset.clean_query

    def results(self) -> list[FacetResult]:
        facets = facets_for(self.model)
        self.counts = self.cached_counts(facets)
        results = {facet.name: self.count(facet) for facet in facets}
        for result in list(results.values()):
            parent = result.facet.parent
            if parent in results:
                results[parent].nested = results.pop(result.name)
                by_value = {option.value: option for option in results[parent].options}
                for option in result.options:
                    if option.available:
                        by_value.get(option.parent, result).children.append(option)
        return list(results.values())

    def count(self, facet) -> FacetResult:
        selected = set(self.filterset.selected.get(facet.name, []))
        rows = self.vocabulary_counts(facet) if facet.is_vocabulary else self.choice_counts(facet)
        options = [
            Option(
                facet=facet,
                value=value,
                label=label,
                count=count,
                selected=value in selected,
                dom_id=f"facet-{facet.name}-{value}",
                query=self.query,
                parent=parent,
                group=group,
            )
            for value, label, count, parent, group in rows
        ]
        return FacetResult(facet, options)

    def cached_counts(self, facets) -> dict:
        """``all_counts``, cached under the filter state and the content version when
        ``KB_FACET_CACHE_SECONDS`` is set (exact: any content change makes a new version)."""
        seconds = settings.KB_FACET_CACHE_SECONDS
        if not seconds:
            return self.all_counts(facets)
        key = cache_key("facets", self.model._meta.label, self.query.urlencode())
        counts = cache.get(key)
        if counts is None:
            counts = self.all_counts(facets)
            cache.set(key, counts, seconds)
        return counts

    def all_counts(self, facets) -> dict:
        """Every facet's counts from the facet index (practices/facet_index.py): for each facet, its
        options' bitmaps ANDed with the entries matching the words and every other active filter.
        ``{facet name: {term id as text, or choice value: count}}``."""
        index = self.filterset.facet_index()
        base, selected = self.filterset.words_matching(index), self.filterset.selected
        return {
            facet.name: index.counts(facet.name, index.matching(base, selected, excluded=facet.name))
            for facet in facets
        }

    def vocabulary_counts(self, facet):
        counts = self.counts[facet.name]
        for key, value, label, parent, group in facet.kept_options():
            yield value, label, counts.get(key, 0), parent, group

    def choice_counts(self, facet):
        counts = self.counts[facet.name]
        for value, label in facet.choices(self.model):
            yield value, str(label), counts.get(str(value), 0), None, None


def relaxations(filterset) -> list[dict]:
    """For a search with no results: each active filter you could drop, with the number of entries
    you would then get, counted over the facet index. Only drops that give results are returned, most first."""
    active = [name for name, values in filterset.selected.items() if values]
    if filterset.words:
        active.insert(0, "q")
    if not active:
        return []
    index = filterset.facet_index()
    base, selected = filterset.words_matching(index), filterset.selected
    counts = {
        name: index.matching(index.published if name == "q" else base, selected, excluded=name).bit_count()
        for name in active
    }
    suggestions = [
        {
            "name": name,
            "label": gettext("the words")
            if name == "q"
            else gettext("the %(facet)s filter") % {"facet": str(FACETS_BY_NAME[name].label).lower()},
            "count": counts[name],
            "query": query_with(filterset.clean_query, name, []),
        }
        for name in active
        if counts[name]
    ]
    return sorted(suggestions, key=lambda item: -item["count"])


class Browse:
    """What a browse page shows besides its results: facets, active-filter chips and, when nothing
    matches, which filter to drop."""

    def __init__(self, filterset):
        self.filterset = filterset

    @cached_property
    def facets(self) -> list[FacetResult]:
        return FacetCounter(self.filterset).results()

    @cached_property
    def chips(self) -> list[dict]:
        """Each active filter value with the query that removes it."""
        chips = []
        if self.filterset.words:
            chips.append(
                {
                    "label": gettext("Words: “%(words)s”") % {"words": self.filterset.words[:60]},
                    "query": query_with(self.filterset.clean_query, "q", []),
                }
            )
        for result in self.facets:
            for option in result.selected:
                label = gettext("%(facet)s: %(value)s") % {"facet": option.facet.label, "value": option.label}
                chips.append({"label": label, "query": option.toggle_query})
        return chips

    def suggestions(self) -> list[dict]:
        return relaxations(self.filterset)


TERM_PAGES = {"organisation": "kb:organisation", "project": "kb:project"}


def understood(filterset, build_url) -> list[dict]:
    """The terms the words were understood to name, each offered as a one-click filter: the
    filter added, the words it stands for taken out of ``q``. Terms with no facet (organisations,
    projects) link to their page. ``build_url(query)`` makes the address of a filtered list."""
    offers = []
    words = filterset.words
    for item in filterset.understanding.items:
        if not item.count:
            continue  # nothing to offer: no entry of this list is filed under it
        if item.has_facet:
            selected = filterset.selected.get(item.vocabulary, [])
            if item.key in selected:
                continue
            query = query_with(filterset.clean_query, item.vocabulary, [*selected, item.key])
            rest = remaining_words(words, item.matched)
            query = query_with(query, "q", [rest] if rest else [])
            if not rest:
                query.pop("sort", None)  # no words left: relevance no longer applies
            url = build_url(query)
        else:
            url = reverse(TERM_PAGES[item.vocabulary], args=[item.key])
        offers.append(
            {
                "facet": item.vocabulary,
                "facet_label": item.vocabulary_label,
                "value": item.key,
                "label": item.label,
                "count": item.count,
                "filter_url": url,
                "matched": item.matched,
                "relation": item.relation,
                "note": item.note,
            }
        )
    return offers
