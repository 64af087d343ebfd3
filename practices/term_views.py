"""Pages for each vocabulary term: what it means and the published entries filed under it."""

from urllib.parse import urlencode

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView

from common.pagination import ListPage
from practices.counts import published_counts, with_published_counts
from practices.models import Finding, Practice
from practices.selectors import filed_under_in_order
from practices.world_map import country_map, region_map
from taxonomy.models import ConventionArticle, Country, Pillar, Region, Theme

# What a term page's term is called (its eyebrow, and the heading of a breakdown by it).
TERM_NOUNS = {
    Pillar: _("pillar"),
    Region: _("region"),
    Country: _("country"),
    Theme: _("theme"),
    ConventionArticle: _("convention article"),
}


class TermDetailView(DetailView):
    """A vocabulary term with the published practices and findings that carry it, and how they
    spread over a second vocabulary (pillars, or regions on a pillar's page), each count linking
    to the browse list filtered by both."""

    template_name = "taxonomy/term_detail.html"
    filter_param = ""
    slug_field = "slug"
    breakdown = ("pillars", "pillar", Pillar)  # (entry relation, browse parameter, vocabulary)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filter_value = getattr(self.object, self.slug_field)
        relation, param, vocabulary = self.breakdown
        breakdown = list(vocabulary.objects.all())
        # Off the facet index: the entries carrying both this term and each breakdown term.
        practice_counts = published_counts(Practice, relation, within=(self.relation, self.object))
        finding_counts = published_counts(Finding, relation, within=(self.relation, self.object))
        for term in breakdown:
            term.practice_count = practice_counts.get(term.pk, 0)
            term.finding_count = finding_counts.get(term.pk, 0)
        context |= {
            "term_kind": TERM_NOUNS[self.model],
            "filter_param": self.filter_param,
            "filter_value": filter_value,
            "filter_query": urlencode({self.filter_param: filter_value}),
            "breakdown_param": param,
            "breakdown_label": TERM_NOUNS[vocabulary],
            "breakdown": [term for term in breakdown if term.practice_count or term.finding_count],
            "practices": self.entries(Practice, "practices"),
            "findings": self.entries(Finding, "findings"),
        }
        return context

    def entries(self, model, param):
        """A page of the term's published entries of ``model`` in title order (``?param=``), read
        off the facet index, whose count is the list's size."""
        entries = filed_under_in_order(model.objects.published().for_cards(), self.relation, self.object)
        return ListPage(self.request, entries, param, len(entries))


class PillarDetailView(TermDetailView):
    model = Pillar
    relation = "pillars"
    filter_param = "pillar"
    breakdown = ("regions", "region", Region)

    def get_queryset(self):
        return Pillar.objects.prefetch_related("articles")


class RegionDetailView(TermDetailView):
    model = Region
    relation = "regions"
    filter_param = "region"

    def get_queryset(self):
        # The map needs every country of the region; the list shows those with published entries.
        return Region.objects.prefetch_related(Prefetch("countries", to_attr="region_countries"))

    def get_context_data(self, **kwargs):
        countries = with_published_counts(self.object.region_countries, "countries")
        for country in countries:
            country.entry_count = country.practice_count + country.finding_count
        self.object.countries_with_entries = [country for country in countries if country.entry_count]
        context = super().get_context_data(**kwargs)
        context["map"] = region_map(self.object, {country.code: country.entry_count for country in countries})
        return context


class CountryDetailView(TermDetailView):
    model = Country
    relation = "countries"
    filter_param = "country"
    slug_field = "code"
    slug_url_kwarg = "code"

    def get_object(self, queryset=None):
        self.kwargs["code"] = self.kwargs["code"].upper()
        return super().get_object(queryset)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["map"] = country_map(self.object)
        return context

    def get_queryset(self):
        return Country.objects.select_related("region")


class ThemeDetailView(TermDetailView):
    model = Theme
    relation = "themes"
    filter_param = "theme"


class ArticleListView(ListView):
    template_name = "taxonomy/article_list.html"

    def get_queryset(self):
        return with_published_counts(ConventionArticle.objects.select_related("pillar"), "articles")


class ArticleDetailView(TermDetailView):
    model = ConventionArticle
    relation = "articles"
    filter_param = "article"
    slug_field = "number"
    slug_url_kwarg = "number"
    template_name = "taxonomy/article_detail.html"

    def get_queryset(self):
        return ConventionArticle.objects.select_related("pillar")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["chapter_articles"] = with_published_counts(
            ConventionArticle.objects.filter(chapter=self.object.chapter), "articles"
        )
        return context
