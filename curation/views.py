"""Public contributions: suggest a practice, report a correction. Both keep the contact details
private, drop submissions that fill the honeypot, and limit how often one address may post."""

from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import FormView, TemplateView

from curation.forms import CorrectionReportForm, SuggestionForm
from curation.ratelimit import allow_submission, is_limited
from practices.kinds import BY_SINGULAR


class PublicFormView(FormView):
    """Rate limit per address (valid posts only), honeypot, redirect to a confirmation page."""

    rate_scope = ""
    success_url_name = ""

    def post(self, request, *args, **kwargs):
        if is_limited(request, self.rate_scope):
            return self.rate_limited(self.get_form())
        return super().post(request, *args, **kwargs)

    def rate_limited(self, form):
        response = self.render_to_response(self.get_context_data(form=form, rate_limited=True))
        response.status_code = 429
        return response

    def form_valid(self, form):
        if not allow_submission(self.request, self.rate_scope):
            return self.rate_limited(form)
        if not form.is_spam:
            self.save(form)
        return redirect(self.get_success_url())

    def get_success_url(self):
        return reverse(self.success_url_name)


class SuggestPracticeView(PublicFormView):
    form_class = SuggestionForm
    template_name = "curation/suggest.html"
    rate_scope = "suggest"
    success_url_name = "curation:suggest-thanks"

    def save(self, form):
        form.save()


class ReportCorrectionView(PublicFormView):
    form_class = CorrectionReportForm
    template_name = "curation/report.html"
    rate_scope = "report"
    success_url_name = "curation:report-thanks"

    def dispatch(self, request, *args, **kwargs):
        kind = BY_SINGULAR.get(kwargs["kind"])
        if kind is None:
            raise Http404("No such kind of entry.")
        self.entry = kind.model.objects.published().filter(slug=kwargs["slug"]).first()
        if self.entry is None:
            raise Http404("No such published entry.")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(entry=self.entry, entry_kind=self.kwargs["kind"], **kwargs)

    def save(self, form):
        report = form.save(commit=False)
        report.content_type = ContentType.objects.get_for_model(self.entry)
        report.object_id = self.entry.pk
        report.save()


class SuggestThanksView(TemplateView):
    template_name = "curation/suggest_thanks.html"


class ReportThanksView(TemplateView):
    template_name = "curation/report_thanks.html"
