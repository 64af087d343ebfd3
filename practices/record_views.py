"""Pages of the conference record (conferences, sessions, sources, organisations, projects), each
with the published entries that belong to it."""

from urllib.parse import urlencode

from django.db.models import Prefetch
from django.views.generic import DetailView

from common.pagination import ListPage
from common.rendering import locate_quote, render_text
from kb.models import Conference, Organisation, Person, Project, Section, Session, SourceDocument
from practices.counts import with_published_counts
from practices.models import Finding, Practice
from practices.selectors import filed_under_in_order, filed_under_in_source_order


class ConferenceDetailView(DetailView):
    model = Conference
    template_name = "kb/conference_detail.html"

    def get_queryset(self):
        return Conference.objects.select_related("country").prefetch_related(
            "organisers",
            "rapporteurs",
            "documents",
            Prefetch("sessions", queryset=Session.objects.select_related("section", "region")),
        )

    def get_object(self, queryset=None):
        """The conference, its sessions with their published entries counted off the facet index."""
        conference = super().get_object(queryset)
        with_published_counts(conference.sessions.all(), "session")
        return conference


class SessionDetailView(DetailView):
    model = Session
    template_name = "kb/session_detail.html"

    def get_queryset(self):
        return Session.objects.select_related("conference", "section__document", "region").prefetch_related(
            Prefetch("speakers", queryset=Person.objects.select_related("organisation")),
            "organisations",
            "projects",
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter_query"] = urlencode({"session": self.object.slug})
        # Read off the facet index: findings as the report tells them, practices by title.
        findings = filed_under_in_source_order(Finding.objects.published().for_cards(), "session", self.object)
        practices = filed_under_in_order(Practice.objects.published().for_cards(), "session", self.object)
        context["findings"] = ListPage(self.request, findings, "findings", len(findings))
        context["practices"] = ListPage(self.request, practices, "practices", len(practices))
        return context


class OrganisationDetailView(DetailView):
    model = Organisation
    template_name = "kb/organisation_detail.html"

    def get_queryset(self):
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
        sections = with_published_counts(
            Section.objects.filter(document=self.object).select_related("parent"), "section"
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
