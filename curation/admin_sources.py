"""Source documents in the admin: text pasted or uploaded, sections located as the loader does,
warnings when entries' quotes no longer match, and the whole knowledge base as a download."""

import tempfile
from pathlib import Path

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect
from django.template.defaultfilters import pluralize
from django.urls import path

from common.history import HistoryAdmin
from common.problems import Problems
from content.admin_views import download
from content.conferences import save_sections
from content.exporting import entry_records, export_bundle, render_entries, zip_folder
from content.importing import KINDS
from kb.models import Section, SourceDocument
from kb.sources import detect_headings, format_section_lines, parse_section_lines, quote_problem
from practices.models import Finding, Practice, PracticeQuote


class SectionInline(admin.TabularInline):
    """The located sections, for reference: they are edited through the document's "sections" field."""

    model = Section
    fk_name = "document"
    fields = ["order", "code", "title", "heading", "parent", "start", "end"]
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    verbose_name_plural = "sections as located in the text"


class SourceDocumentForm(forms.ModelForm):
    """A new source: its text pasted or uploaded (plain text or Markdown), and its sections listed
    one per line; each heading is located in the text like the content loader does."""

    url = forms.URLField(required=False, assume_scheme="https", label="URL")
    text_file = forms.FileField(
        required=False,
        label="Or upload the text",
        help_text="A .txt or .md file (UTF-8). Replaces the text above.",
    )
    section_lines = forms.CharField(
        label="Sections",
        required=False,
        widget=forms.Textarea(attrs={"rows": 12, "class": "vLargeTextField"}),
        help_text=(
            "One per line, in the order of the text: CODE | Title | exact heading line, and | PARENT CODE for a "
            "subsection. Example: D | Projects in Europe | D. Projects in Europe. Leave empty to have the headings "
            "found in the text proposed."
        ),
    )

    class Meta:
        model = SourceDocument
        fields = ["slug", "title", "conference", "published", "url", "text"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].required = False
        self.fields["text"].help_text = "The full text, verbatim. Quotes are checked against it."
        if self.instance.pk:
            self.fields["section_lines"].initial = format_section_lines(
                [
                    {
                        "code": s.code,
                        "title": s.title,
                        "heading": s.heading,
                        "parent": s.parent.code if s.parent else "",
                    }
                    for s in self.instance.sections.select_related("parent")
                ]
            )

    def clean_text_file(self):
        upload = self.cleaned_data.get("text_file")
        if not upload:
            return None
        if not upload.name.lower().endswith((".txt", ".md", ".markdown")):
            raise forms.ValidationError("Upload a plain text (.txt) or Markdown (.md) file.")
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError("The file is not UTF-8 text.") from None

    def clean(self):
        cleaned = super().clean()
        text = cleaned.get("text_file") or cleaned.get("text") or ""
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        if not text.strip():
            self.add_error("text", "Paste the text or upload it.")
            return cleaned
        cleaned["text"] = text
        lines = cleaned.get("section_lines", "")
        if not lines.strip():
            proposal = format_section_lines(detect_headings(text))
            self.data = self.data.copy()
            self.data[self.add_prefix("section_lines")] = proposal
            if cleaned.get("text_file"):
                self.data[self.add_prefix("text")] = text
            message = "List the sections. " + (
                "The headings found in the text are proposed: check them, then save again."
                if proposal
                else "No headings were found in the text; type them."
            )
            self.add_error("section_lines", message)
            return cleaned
        sections, errors = parse_section_lines(lines, text)
        for error in errors:
            self.add_error("section_lines", error)
        if self.instance.pk and not errors:
            self._check_removed_sections_unused({s["code"] for s in sections})
        cleaned["sections"] = sections
        return cleaned

    def _check_removed_sections_unused(self, codes):
        for section in self.instance.sections.exclude(code__in=codes):
            users = section_users(section)
            if users:
                self.add_error("section_lines", f"Section {section.code!r} cannot be removed: {users} cite it.")


def section_users(section) -> str:
    """What cites a section, e.g. "3 findings, 1 practice" ("" when nothing does)."""
    counts = [
        (section.findings.count(), "finding"),
        (section.practices.count(), "practice"),
        (section.sessions.count(), "session"),
        (section.projects.count(), "project"),
        (PracticeQuote.objects.filter(section=section).count(), "extra quote"),
        (section.children.count(), "subsection"),
    ]
    return ", ".join(f"{n} {label}{pluralize(n)}" for n, label in counts if n)


KB_EXPORT_PERMISSIONS = [
    "kb.view_sourcedocument",
    "kb.view_conference",
    "practices.view_finding",
    "practices.view_practice",
]


@admin.register(SourceDocument)
class SourceDocumentAdmin(HistoryAdmin):
    form = SourceDocumentForm
    list_display = ["title", "conference", "published"]
    search_fields = ["title", "slug"]
    autocomplete_fields = ["conference"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [SectionInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "conference", "published", "url"]}),
        ("Text", {"fields": ["text", "text_file"]}),
        ("Sections", {"fields": ["section_lines"]}),
    ]
    change_list_template = "admin/kb/sourcedocument_change_list.html"

    def get_inlines(self, request, obj):
        return self.inlines if obj else []

    @transaction.atomic
    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        document = form.instance
        sections = form.cleaned_data["sections"]
        problems = Problems()
        save_sections(document, sections, "sections", problems)
        if problems:  # the form has located every heading already, so this cannot happen
            raise RuntimeError(f"sections not saved: {problems.items}")
        document.sections.exclude(code__in=[s["code"] for s in sections]).delete()
        self.warn_about_quotes(request, document)

    def warn_about_quotes(self, request, document):
        """After the text or sections changed: entries whose quote is no longer in their section."""
        broken = []
        for model in (Finding, Practice):
            for entry in model.objects.filter(section__document=document).select_related("section__document"):
                if quote_problem(entry.quote, entry.section):
                    broken.append(entry.title)
        if broken:
            messages.warning(
                request,
                f"{len(broken)} entr{pluralize(len(broken), 'y,ies')} cite a passage no longer found in its "
                f"section: {'; '.join(broken[:10])}.",
            )

    def get_urls(self):
        return [
            path("export-kb/", self.admin_site.admin_view(self.export_kb_view), name="kb_export_kb"),
            *super().get_urls(),
        ]

    def export_kb_view(self, request):
        """The whole knowledge base as a zip of the bundle (load_kb reads it back), or every entry in
        one JSON or XLSX file."""
        if not request.user.has_perms(KB_EXPORT_PERMISSIONS):
            raise PermissionDenied
        fmt = request.GET.get("format", "zip")
        if fmt == "zip":
            with tempfile.TemporaryDirectory() as folder:
                export_bundle(Path(folder) / "bundle")
                zip_folder(Path(folder) / "bundle", Path(folder) / "kb.zip")
                content = (Path(folder) / "kb.zip").read_bytes()
        elif fmt in ("json", "xlsx"):
            content = render_entries({kind: entry_records(kind) for kind in KINDS}, fmt)
        else:
            messages.error(request, f"Unknown export format {fmt!r}; use zip, json or xlsx.")
            return redirect("admin:kb_sourcedocument_changelist")
        return download(content, fmt, "knowledge-base")
