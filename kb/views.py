from urllib.parse import urlencode

from django.db.models import Prefetch
from django.views.generic import DetailView, TemplateView

from kb.models import Conference, Organisation, Person, Project, Section, Session, SourceDocument
from kb.rendering import locate_quote, render_text
from practices.models import published_entry_counts


class SafePaginationMixin:
    """Pagination that never fails: ``?page=abc`` gives page 1, ``?page=999`` the last page, and
    the page says what it did with the parameter."""

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size, allow_empty_first_page=True)
        raw = self.request.GET.get("page", "1")
        page = paginator.get_page(raw)
        self.page_note = (
            ""
            if str(page.number) == raw.strip() or raw == "1"
            else (f"Page {raw[:20]!r} does not exist; showing page {page.number} of {paginator.num_pages}.")
        )
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["page_note"] = getattr(self, "page_note", "")
        return context


class HomeView(TemplateView):
    template_name = "kb/home.html"

    def get_context_data(self, **kwargs):
        from practices.gap_map import count_matrix
        from practices.models import Finding, Practice
        from taxonomy.models import Pillar, Region

        context = super().get_context_data(**kwargs)
        # Aggregating drops Meta.ordering: order explicitly (the four P's in the convention's order).
        pillars = list(Pillar.objects.annotate(**published_entry_counts()).order_by("order"))
        by_region_and_pillar = count_matrix(Practice.objects.published(), "regions")
        regions = list(Region.objects.annotate(**published_entry_counts()).order_by("order"))
        for region in regions:
            region.pillar_counts = [
                (pillar, by_region_and_pillar.get((region.slug, pillar.slug), 0)) for pillar in pillars
            ]
        context |= {
            "practice_count": Practice.objects.published().count(),
            "finding_count": Finding.objects.published().count(),
            "pillars": pillars,
            "regions": regions,
            "conferences": Conference.objects.select_related("country").prefetch_related("documents"),
            "newest_practices": Practice.objects.published().order_by("-published_at", "title")[:6],
        }
        return context


class ConferenceDetailView(DetailView):
    model = Conference
    template_name = "kb/conference_detail.html"

    def get_queryset(self):
        return Conference.objects.select_related("country").prefetch_related(
            "organisers",
            "rapporteurs",
            "documents",
            Prefetch(
                "sessions",
                queryset=Session.objects.select_related("section", "region").annotate(
                    **published_entry_counts(),
                ),
            ),
        )


class SessionDetailView(DetailView):
    model = Session
    template_name = "kb/session_detail.html"

    def get_queryset(self):
        from practices.models import Finding, Practice

        return Session.objects.select_related("conference", "section__document", "region").prefetch_related(
            Prefetch("speakers", queryset=Person.objects.select_related("organisation")),
            "organisations",
            "projects",
            Prefetch("findings", queryset=Finding.objects.published().for_cards().order_by("section__order", "pk")),
            Prefetch("practices", queryset=Practice.objects.published().for_cards()),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter_query"] = urlencode({"session": self.object.slug})
        return context


class OrganisationDetailView(DetailView):
    model = Organisation
    template_name = "kb/organisation_detail.html"

    def get_queryset(self):
        from practices.models import Practice

        return Organisation.objects.select_related("country").prefetch_related(
            "people",
            "projects",
            Prefetch("sessions", queryset=Session.objects.select_related("conference")),
            Prefetch("practices", queryset=Practice.objects.published()),
        )


class ProjectDetailView(DetailView):
    model = Project
    template_name = "kb/project_detail.html"

    def get_queryset(self):
        from practices.models import Practice

        return Project.objects.select_related("session", "section__document").prefetch_related(
            "implementers", "countries", Prefetch("practices", queryset=Practice.objects.published())
        )


class SourceDocumentView(DetailView):
    """The report, section by section; ``?finding=<slug>`` or ``?practice=<slug>`` highlights the
    passage that entry quotes (``#quote``)."""

    model = SourceDocument
    template_name = "kb/source_detail.html"

    def get_queryset(self):
        return SourceDocument.objects.select_related("conference")

    def highlighted_entry(self):
        from practices.models import Finding, Practice

        for param, model in (("finding", Finding), ("practice", Practice)):
            slug = self.request.GET.get(param, "")[:140]
            if slug:
                return (
                    model.objects.published()
                    .filter(slug=slug, section__document=self.object)
                    .select_related("section")
                    .first()
                )
        return None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        entry = self.highlighted_entry()
        sections = list(
            Section.objects.filter(document=self.object)
            .select_related("parent")
            .annotate(
                **published_entry_counts(),
            )
        )
        for section in sections:
            section.document = self.object
            highlight = None
            if entry is not None and entry.section_id == section.pk:
                highlight = locate_quote(section.body, entry.quote)
            section.html = render_text(section.body, highlight)
        preamble = self.object.text[: sections[0].start] if sections else self.object.text
        context |= {"sections": sections, "entry": entry, "preamble": preamble.strip()}
        return context
