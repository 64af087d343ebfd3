from django.db.models import Prefetch
from django.views.generic import DetailView, ListView

from kb.views import SafePaginationMixin
from practices.filters import FindingFilterSet, PracticeFilterSet
from practices.models import Finding, Practice, PracticeQuote
from search.services import search_context


class EntryListView(SafePaginationMixin, ListView):
    """A filtered, paginated list of published entries."""

    filterset_class = None
    paginate_by = 20

    def get_queryset(self):
        base = self.model.objects.published().for_cards()
        self.filterset = self.filterset_class(self.request.GET or None, queryset=base)
        return self.filterset.qs.order_by("title")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filterset"] = self.filterset
        context["ignored"] = self.filterset.ignored
        context |= search_context(self.request.GET.get("q", ""))
        return context


class PracticeListView(EntryListView):
    model = Practice
    filterset_class = PracticeFilterSet
    template_name = "practices/practice_list.html"


class FindingListView(EntryListView):
    model = Finding
    filterset_class = FindingFilterSet
    template_name = "practices/finding_list.html"


class PracticeDetailView(DetailView):
    model = Practice
    template_name = "practices/practice_detail.html"

    def get_queryset(self):
        return (
            Practice.objects.published()
            .with_relations()
            .select_related("session__conference")
            .prefetch_related(
                "target_groups",
                "implementers",
                "projects",
                Prefetch("related_findings", queryset=Finding.objects.published()),
                Prefetch("extra_quotes", queryset=PracticeQuote.objects.select_related("section__parent")),
            )
        )


class FindingDetailView(DetailView):
    model = Finding
    template_name = "practices/finding_detail.html"

    def get_queryset(self):
        return (
            Finding.objects.published()
            .with_relations()
            .select_related("session__conference")
            .prefetch_related(Prefetch("practices", queryset=Practice.objects.published()))
        )
