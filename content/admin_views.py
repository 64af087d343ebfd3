"""Curator tools in the admin for findings and practices: import with a preview, export of a
selection, and warnings on save (a quote not found in its source, possible duplicates).

Mixed into the entry admins (curation/admin_entries.py) so they stay small; the import itself is
content.importing's, the export content.exporting's.
"""

from __future__ import annotations

import base64
import logging
import secrets
import shlex
from datetime import date
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import format_html, format_html_join

from common.admin_urls import admin_url
from common.problems import Problem
from content.duplicates import find_possible_duplicates
from content.exporting import CONTENT_TYPES, entry_records, kind_of, render_entries
from content.import_templates import render_template, template_columns
from content.importing import FORMATS, ImportReport, describe_csv, file_format, import_file, read_entries_file
from kb.sources import quote_problem

MAX_IMPORT_BYTES = 5 * 1024 * 1024
# Above this many rows an upload is not validated in the request; the page gives the command instead.
ADMIN_MAX_ROWS = 2_000
logger = logging.getLogger(__name__)
SESSION_KEY = "kb_import"
TEMPLATE_FORMATS = ("csv", "xlsx", "codes.csv")


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="File to import",
        help_text=(
            "CSV, XLSX or JSON. Several values in a cell are separated by ; or |. "
            "Nothing is written before you confirm."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if file_format(upload.name) is None:
            raise forms.ValidationError(f"Use a {', '.join('.' + f for f in FORMATS)} file.")
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(f"The file is larger than {MAX_IMPORT_BYTES // (1024 * 1024)} MB.")
        return upload


def safe_import(name, content, **options) -> ImportReport:
    """``import_file``, with anything unforeseen reported as a problem instead of a server error
    (the import is one transaction, so nothing was written)."""
    try:
        return import_file(name, content, **options)
    except Exception as exc:  # noqa: BLE001 - the upload page must never 500
        logger.exception("Import of %s failed", name)
        problem = Problem(name, f"could not be imported ({type(exc).__name__}); nothing was written")
        return ImportReport(problems=[problem], dry_run=options.get("dry_run", False))


def large_import_commands(name: str, content: bytes, kind: str, rows: int) -> dict:
    """Keep a large upload on the server and say how to import it from the command line."""
    folder = Path(settings.KB_IMPORT_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    stored = folder / f"{date.today().isoformat()}-{secrets.token_hex(4)}-{Path(name).name}"
    stored.write_bytes(content)
    command = f"python manage.py import_entries {shlex.quote(str(stored))} --kind {kind}"
    return {"rows": rows, "limit": ADMIN_MAX_ROWS, "dry_run": f"{command} --dry-run", "command": command}


def download(content: bytes, fmt: str, stem: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{stem}-{date.today().isoformat()}.{fmt}"'
    return response


def problem_rows(problems):
    """Split "row 3 › pillars" into the row and the field, for the report table."""
    rows = []
    for problem in problems:
        row, _, field = problem.where.partition(" › ")
        rows.append({"row": row, "field": field, "message": problem.message})
    return rows


def _export_action(fmt):
    def action(modeladmin, request, queryset):
        kind = kind_of(modeladmin.model)
        return download(render_entries({kind: entry_records(kind, queryset)}, fmt), fmt, kind)

    action.__name__ = f"export_selected_{fmt}"
    return admin.action(description=f"Export selected %(verbose_name_plural)s to {fmt.upper()}", permissions=["view"])(
        action
    )


class EntryCuratorToolsMixin:
    """Import/export and save-time warnings for the Finding and Practice admins."""

    change_list_template = "admin/kb/entry_change_list.html"
    export_actions = [_export_action(fmt) for fmt in FORMATS]

    def get_actions(self, request):
        actions = super().get_actions(request)
        for func in self.export_actions:
            if self.has_view_permission(request):
                actions[func.__name__] = (func, func.__name__, func.short_description)
        return actions

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name=f"{opts.app_label}_{opts.model_name}_import",
            ),
            path(
                "import/template/",
                self.admin_site.admin_view(self.import_template_view),
                name=f"{opts.app_label}_{opts.model_name}_import_template",
            ),
            *super().get_urls(),
        ]

    # --- import -------------------------------------------------------------------------------

    def has_import_permission(self, request):
        return self.has_add_permission(request) and self.has_change_permission(request)

    def import_view(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied
        kind = kind_of(self.model)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"Import {self.model._meta.verbose_name_plural}",
            "form": ImportUploadForm(),
            "columns": template_columns(kind),
        }
        if request.method == "POST" and "confirm" in request.POST:
            pending = request.session.get(SESSION_KEY)
            if not pending or pending.get("token") != request.POST.get("token"):
                messages.error(request, "That preview has expired; upload the file again.")
                return redirect(request.path)
            content = base64.b64decode(pending["content"])
            report = safe_import(pending["name"], content, default_kind=kind, user=request.user)
            if report.ok:
                del request.session[SESSION_KEY]
                messages.success(request, f"Imported {pending['name']}: {report.summary()}")
                for note in report.notes:
                    messages.warning(request, str(note))
                return redirect(admin_url(self.model, "changelist"))
            context |= {"report": report, "problems": problem_rows(report.problems), "filename": pending["name"]}
        elif request.method == "POST":
            form = ImportUploadForm(request.POST, request.FILES)
            context["form"] = form
            if form.is_valid():
                context |= self.preview_upload(request, kind, form.cleaned_data["file"])
        return TemplateResponse(request, "admin/kb/import.html", context)

    def preview_upload(self, request, kind, upload) -> dict:
        """The dry run of an upload, for the preview (and its confirmation token), or the problems.
        A file of more than ADMIN_MAX_ROWS rows is not validated in the request (it could outlast the
        worker timeout): it is kept in KB_IMPORT_DIR and the page gives the command that imports it."""
        content = upload.read()
        context = {"filename": upload.name}
        context["detected"] = describe_csv(content) if file_format(upload.name) == "csv" else ""
        batches, problems = read_entries_file(upload.name, content, kind, max_bytes=MAX_IMPORT_BYTES)
        rows = sum(len(batch.records) for batch in batches)
        if not problems and rows > ADMIN_MAX_ROWS:
            return context | {"large_import": large_import_commands(upload.name, content, kind, rows)}
        if problems:
            report = ImportReport(problems=problems.items, dry_run=True)
        else:
            report = safe_import(upload.name, content, default_kind=kind, user=request.user, dry_run=True)
        context |= {"report": report, "problems": problem_rows(report.problems)}
        if report.ok:
            token = secrets.token_urlsafe(16)
            request.session[SESSION_KEY] = {
                "token": token,
                "name": upload.name,
                "content": base64.b64encode(content).decode("ascii"),
            }
            context |= {"token": token, "preview": _preview_rows(report)}
        return context

    def import_template_view(self, request):
        """The import template of this kind: ``?format=csv`` (default), ``xlsx`` or ``codes.csv``."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        kind = kind_of(self.model)
        fmt = request.GET.get("format", "csv")
        if fmt not in TEMPLATE_FORMATS:
            fmt = "csv"
        response = HttpResponse(render_template(kind, fmt), content_type=CONTENT_TYPES[fmt.rpartition(".")[2]])
        stem = f"{kind}-valid-codes.csv" if fmt == "codes.csv" else f"{kind}-import-template.{fmt}"
        response["Content-Disposition"] = f'attachment; filename="{stem}"'
        return response

    # --- warnings on save ---------------------------------------------------------------------

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        entry = form.instance
        self.warn_about_quotes(request, entry)
        if not change:
            self.warn_about_duplicates(request, entry)

    def warn_about_quotes(self, request, entry):
        quotes = [("The quote", entry.quote, entry.section)]
        if hasattr(entry, "extra_quotes"):
            quotes += [("An extra quote", q.quote, q.section) for q in entry.extra_quotes.select_related("section")]
        for label, quote, section in quotes:
            problem = quote_problem(quote, section)
            if problem:
                messages.warning(
                    request,
                    f"{label} {problem}. A quote must be a verbatim passage of its section; "
                    "check it against the source before publishing.",
                )

    def warn_about_duplicates(self, request, entry):
        matches = find_possible_duplicates(self.model, entry.title, entry.summary, exclude_pk=entry.pk)
        if not matches:
            return
        links = format_html_join(
            ", ",
            '<a href="{}">{}</a>',
            ((admin_url(m), m.title) for m in matches),
        )
        messages.warning(request, format_html("Possible duplicate of: {}. Check before publishing.", links))


def _preview_rows(report):
    return [
        {
            "where": action.where,
            "slug": action.slug,
            "title": action.title,
            "action": action.action,
            "duplicates": report.duplicates.get((action.kind, action.slug), []),
        }
        for action in report.actions
    ]
