"""Curation pages inside the admin: the review queue."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.views.generic import TemplateView

from common.admin_urls import admin_url
from curation.diff import changes_since_published
from practices.models import Finding, Practice


class ReviewQueueView(TemplateView):
    """Entries waiting for review, the longest-waiting first, each with what changed since its last
    published version."""

    template_name = "admin/curation/review_queue.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        models = [model for model in (Practice, Finding) if user.has_perm(f"practices.view_{model._meta.model_name}")]
        if not models:
            raise PermissionDenied
        rows = []
        for model in models:
            entries = model.objects.in_review().select_related("section__document")
            for item in changes_since_published(entries):
                opts = item.entry._meta
                item.change_url = admin_url(item.entry)
                item.workflow_url = admin_url(item.entry, "workflow")
                item.kind = opts.verbose_name
                rows.append(item)
        rows.sort(key=lambda item: (item.entry.submitted_at is None, item.entry.submitted_at, item.entry.pk))
        return {
            **super().get_context_data(**kwargs),
            **admin.site.each_context(self.request),
            "title": "Review queue",
            "rows": rows,
        }


review_queue = admin.site.admin_view(ReviewQueueView.as_view())
