"""Forms for equality analyses: the analysis, one characteristic's impact, the sign-off."""

from __future__ import annotations

from django import forms

from saferplaces.consultation.models import Consultation
from saferplaces.equality.models import EqualityAnalysis, EqualityImpact
from saferplaces.partnership.forms import PartnershipScopedForm
from saferplaces.strategy.forms import DateInput
from saferplaces.strategy.models import ActionPlan, Strategy


class AnalysisForm(PartnershipScopedForm):
    scoped_fields = {"strategy": Strategy, "plan": ActionPlan, "consultation": Consultation}

    class Meta:
        model = EqualityAnalysis
        fields = ["title", "purpose", "strategy", "plan", "consultation", "conclusion",
                  "illustrative_note"]


class ImpactForm(forms.ModelForm):
    class Meta:
        model = EqualityImpact
        fields = ["impact", "evidence", "mitigation"]
        widgets = {"impact": forms.RadioSelect}


class SignOffForm(forms.Form):
    signed_off_by = forms.CharField(
        label="Signed off by", max_length=200,
        help_text="Name and role of the officer approving the analysis, e.g. 'Lynsey Kelly, "
        "Head of Communities'.")
    signed_off_on = forms.DateField(label="Signed off on", widget=DateInput())
