from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView, TemplateView

from common.pagination import SafePaginationMixin
from kb.models import Conference
from practices.citation import citation_text
from practices.counts import (
    basis_counts,
    published_pair_counts,
    published_total,
    with_published_counts,
)
from practices.facets import MAX_VALUES_OVERALL, MAX_VALUES_PER_FACET, Browse, understood
from practices.filters import FindingFilterSet, PracticeFilterSet
from practices.models import (
    EVER_PUBLIC,
    Finding,
    FormerSlug,
    Practice,
    PracticeQuote,
    Status,
)
from practices.selectors import get_classified, newest_published, related_entries
from search.services import search_context
from taxonomy.models import Pillar, Region

# Practices in the home page's "newly published" list.
NEWEST_ON_HOME = 6


class EntryListView(SafePaginationMixin, ListView):
    """Faceted browse of published entries: filters, counts given the other filters, chips, sort
    and pagination, all in the URL."""

    filterset_class = None
    paginate_by = 20
    noun = ""
    noun_plural = ""

    def get_queryset(self):
        self.filterset = self.filterset_class(
            self.request.GET, queryset=self.model.objects.published().for_cards(), request=self.request
        )
        return self.filterset.results()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        browse = Browse(self.filterset)
        context |= {
            "filterset": self.filterset,
            "page_query": self.filterset.clean_query,
            "facets": browse.facets,
            "chips": browse.chips,
            "ignored": self.filterset.ignored,
            "capped": self.filterset.capped,
            "limits": {"per_facet": MAX_VALUES_PER_FACET, "overall": MAX_VALUES_OVERALL},
            "suggestions": [] if context["paginator"].count else browse.suggestions(),
            "noun": self.noun,
            "noun_plural": self.noun_plural,
            "kind": self.model._meta.model_name,
            "understood": understood(self.filterset, lambda query: f"{self.request.path}?{query.urlencode()}"),
        }
        context |= search_context(self.filterset.words, skip=self.filterset.understanding.recognised_words)
        return context


class PracticeListView(EntryListView):
    model = Practice
    filterset_class = PracticeFilterSet
    template_name = "practices/practice_list.html"
    noun = _("good practice")
    noun_plural = _("good practices")

    def get_context_data(self, **kwargs):
        # Each card gets a "compare" box belonging to the compare bar's form.
        return super().get_context_data(**kwargs) | {"compare_form": True}


class FindingListView(EntryListView):
    model = Finding
    filterset_class = FindingFilterSet
    template_name = "practices/finding_list.html"
    noun = _("finding")
    noun_plural = _("findings")


class EntryDetailView(DetailView):
    """A published entry with its related entries and a citation; an archived one keeps its address
    with a notice (noindex), or redirects to its published successor. With ``preview=True``, staff
    see any entry exactly as the public page would show it, under a preview banner."""

    preview = False
    entry_label = ""

    def dispatch(self, request, *args, **kwargs):
        if self.preview:
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path(), reverse("admin:login"))
            if not (
                user.is_active and user.is_staff and user.has_perm(f"practices.view_{self.model._meta.model_name}")
            ):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        entries = self.detail_queryset()
        return entries if self.preview else entries.filter(status__in=EVER_PUBLIC)

    def get_object(self, queryset=None):
        """The entry of the address; a published one's terms come from the facet index."""
        try:
            entries = self.get_queryset() if queryset is None else queryset  # never `or`: that runs the query
            return get_classified(entries, slug=self.kwargs[self.slug_url_kwarg])
        except self.model.DoesNotExist:
            raise Http404(f"No {self.model._meta.verbose_name} at this address") from None

    def get(self, request, *args, **kwargs):
        try:
            self.object = self.get_object()
        except Http404:
            moved = self.moved_to(kwargs.get("slug", ""))
            if moved is None:
                raise
            return redirect(moved, permanent=True)
        if not self.preview and self.object.status == Status.ARCHIVED:
            successor = self.object.successor
            if successor and successor.is_public:
                return redirect(successor.get_absolute_url(), permanent=True)
        response = self.render_to_response(self.get_context_data(object=self.object))
        if self.preview or self.object.status != Status.PUBLISHED:
            response["X-Robots-Tag"] = "noindex"
        return response

    def moved_to(self, slug):
        """The current address of the entry that had ``slug`` before it was renamed, if any."""
        former = FormerSlug.objects.filter(kind=self.model._meta.model_name, slug=slug).first()
        entry = self.get_queryset().filter(pk=former.entry_id).first() if former else None
        if entry is None:
            return None
        return entry.get_preview_url() if self.preview else entry.get_absolute_url()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["related"] = related_entries(self.object)
        context["citation"] = citation_text(
            self.object, self.request.build_absolute_uri(self.object.get_absolute_url())
        )
        notice = "preview" if self.preview else ("archived" if self.object.status == Status.ARCHIVED else "")
        context.update(
            preview=self.preview,
            entry_notice=notice,
            noindex=bool(notice),
            entry_kind=self.model._meta.model_name,
            entry_label=self.entry_label,
        )
        return context


class PracticeDetailView(EntryDetailView):
    model = Practice
    template_name = "practices/practice_detail.html"
    entry_label = _("good practice")

    def detail_queryset(self):
        return (
            # Sections and sessions come from the kept records (selectors.attach_records).
            Practice.objects.with_relations()
            .select_related(None)
            .prefetch_related(
                "target_groups",
                "implementers",
                "projects",
                Prefetch("related_findings", queryset=Finding.objects.published()),
                Prefetch(
                    "extra_quotes",
                    queryset=PracticeQuote.objects.select_related("section__parent", "section__document"),
                ),
            )
        )


class FindingDetailView(EntryDetailView):
    model = Finding
    template_name = "practices/finding_detail.html"
    entry_label = _("finding")

    def detail_queryset(self):
        return (
            Finding.objects.with_relations()
            .select_related(None)
            .prefetch_related(Prefetch("practices", queryset=Practice.objects.published()), "speakers", "organisations")
        )


class HomeView(TemplateView):
    """Totals, the four P's and the regions with their counts, and the newest practices: every
    number is read off the facet index (practices/counts.py), so the page costs the same at 100
    entries as at 100,000."""

    template_name = "kb/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The four P's in the convention's order, and the regions, with their published entries.
        pillars = with_published_counts(Pillar.objects.order_by("order"), "pillars")
        regions = with_published_counts(Region.objects.order_by("order"), "regions")
        by_region_and_pillar = published_pair_counts(Practice, "regions", "pillars")
        for region in regions:
            region.pillar_counts = [(pillar, by_region_and_pillar.get((region.pk, pillar.pk), 0)) for pillar in pillars]
        # Practices by basis (implemented or recommended).
        for terms, relation in ((pillars, "pillars"), (regions, "regions")):
            by_basis = basis_counts(relation, terms)
            for term in terms:
                term.implemented = by_basis.get((term.slug, Practice.Basis.IMPLEMENTED), 0)
                term.recommended = by_basis.get((term.slug, Practice.Basis.RECOMMENDED), 0)
        context |= {
            "practice_count": published_total(Practice),
            "finding_count": published_total(Finding),
            "pillars": pillars,
            "regions": regions,
            "conferences": Conference.objects.select_related("country").prefetch_related("documents"),
            "newest_practices": newest_published(Practice.objects.published(), NEWEST_ON_HOME),
        }
        return context


class MethodView(TemplateView):
    """The published rating method: what implemented and recommended mean, the evidence levels,
    how tags are assigned and how to report a disagreement. Every rating links here."""

    template_name = "practices/method.html"

    def get_context_data(self, **kwargs):
        published = Practice.objects.published()
        return super().get_context_data(**kwargs) | {
            "levels": Practice.EvidenceLevel.choices,
            "implemented_count": published.filter(basis=Practice.Basis.IMPLEMENTED).count(),
            "recommended_count": published.filter(basis=Practice.Basis.RECOMMENDED).count(),
        }
