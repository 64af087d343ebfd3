from django import forms
from django.utils.translation import gettext_lazy as _

from curation.models import CorrectionReport, Suggestion


class HoneypotMixin(forms.Form):
    """A field people never see or fill in; automated form fillers usually do."""

    website = forms.CharField(
        required=False,
        label=_("Leave this field empty"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    @property
    def is_spam(self):
        return bool(self.data.get("website", "").strip())


class AccessibleErrorsMixin:
    """Mark invalid inputs with aria-invalid and point them at their error message."""

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                field = self.fields[name]
                described_by = [f"{name}-errors"]
                if field.help_text:
                    described_by.append(f"{self[name].auto_id}_helptext")
                field.widget.attrs["aria-invalid"] = "true"
                field.widget.attrs["aria-describedby"] = " ".join(described_by)


class SuggestionForm(AccessibleErrorsMixin, HoneypotMixin, forms.ModelForm):
    url = forms.URLField(label=_("Web address"), required=False, assume_scheme="https")

    class Meta:
        model = Suggestion
        fields = [
            "title",
            "description",
            "organisation",
            "countries",
            "evidence",
            "url",
            "contact_name",
            "contact_email",
            "contact_role",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "evidence": forms.Textarea(attrs={"rows": 3}),
        }


class CorrectionReportForm(AccessibleErrorsMixin, HoneypotMixin, forms.ModelForm):
    class Meta:
        model = CorrectionReport
        fields = ["message", "contact_email"]
        widgets = {"message": forms.Textarea(attrs={"rows": 6})}
