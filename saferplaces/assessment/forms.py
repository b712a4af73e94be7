"""Forms of the assessment pages: a new assessment, its settings, a section's narrative,
and the publishing confirmation."""

from __future__ import annotations

from django import forms

from saferplaces.assessment.models import AssessmentSection
from saferplaces.core import periods
from saferplaces.crime.categories import CURRENT_TYPES

SERIOUS_VIOLENCE_HELP = ("The local definition of serious violence: the police.uk crime types "
                         "it covers. The serious violence section reports these types.")


class SeriousViolenceField(forms.MultipleChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=[(t, t) for t in CURRENT_TYPES], required=False,
                         widget=forms.CheckboxSelectMultiple,
                         label="Serious violence crime types", help_text=SERIOUS_VIOLENCE_HELP,
                         **kwargs)


class AssessmentCreateForm(forms.Form):
    period = forms.CharField(
        label="Period", max_length=20,
        help_text="A financial year such as 2019/20 (April 2019 to March 2020).")
    serious_violence_types = SeriousViolenceField()

    def clean_period(self) -> str:
        try:
            return periods.parse_period(self.cleaned_data["period"]).code
        except periods.PeriodError as exc:
            raise forms.ValidationError(str(exc), code="bad_period") from exc


class AssessmentSettingsForm(forms.Form):
    serious_violence_types = SeriousViolenceField()
    workshop = forms.ModelChoiceField(
        queryset=None, required=False, label="Priority-setting workshop",
        empty_label="None yet",
        help_text="The workshop for the same year whose ranking fills the recommended "
                  "priorities section.")

    def __init__(self, *args, workshops=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["workshop"].queryset = workshops


class SectionNarrativeForm(forms.ModelForm):
    class Meta:
        model = AssessmentSection
        fields = ["narrative"]
        widgets = {"narrative": forms.Textarea(attrs={"rows": 10})}


class PublishForm(forms.Form):
    confirm = forms.BooleanField(
        label="I have checked this assessment; publish it and freeze its figures and "
              "narrative.",
        help_text="A published version never changes; later changes go into a new version.")
