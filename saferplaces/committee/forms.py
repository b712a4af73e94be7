"""Forms of the committee pages. Model rules live in the models' clean(); the forms add the
choices that depend on the partnership."""

from __future__ import annotations

from django import forms

from saferplaces.committee import live_content
from saferplaces.committee.models import (
    CommitteeBody,
    CommitteeReport,
    Decision,
    ReportParagraph,
    ReportRecommendation,
    ReportSection,
    RouteCondition,
)
from saferplaces.consultation.models import Consultation
from saferplaces.equality.models import EqualityAnalysis
from saferplaces.grants.models import Grant
from saferplaces.strategy.models import Strategy

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ReportForm(forms.ModelForm):
    class Meta:
        model = CommitteeReport
        fields = ["title", "committee", "meeting_date", "decision_designation",
                  "cabinet_member", "key_decision", "in_forward_plan", "wards_affected",
                  "accountable_director", "originating_service", "accountable_employee",
                  "employee_title", "employee_tel", "employee_email", "strategy",
                  "consultation", "grant", "equality_analysis", "is_public",
                  "protective_marking"]
        widgets = {"meeting_date": DATE,
                   "key_decision": forms.NullBooleanSelect(),
                   "in_forward_plan": forms.NullBooleanSelect()}

    def __init__(self, *args, partnership, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["strategy"].queryset = Strategy.objects.for_partnership(partnership)
        self.fields["consultation"].queryset = Consultation.objects.for_partnership(partnership)
        self.fields["grant"].queryset = Grant.objects.for_partnership(partnership)
        self.fields["equality_analysis"].queryset = EqualityAnalysis.objects.for_partnership(
            partnership)


class RecommendationForm(forms.ModelForm):
    class Meta:
        model = ReportRecommendation
        fields = ["kind", "number", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}


class SectionForm(forms.ModelForm):
    class Meta:
        model = ReportSection
        fields = ["number", "title", "kind", "implication", "cleared_by", "clearance_code"]


class ParagraphForm(forms.ModelForm):
    live_content = forms.ChoiceField(label="Live content", required=False,
                                     choices=live_content.choices,
                                     help_text=ReportParagraph._meta.get_field(
                                         "live_content").help_text)

    class Meta:
        model = ReportParagraph
        fields = ["number", "text", "is_numbered", "live_content", "live_option"]
        widgets = {"text": forms.Textarea(attrs={"rows": 6})}


class StepForm(forms.Form):
    body = forms.CharField(label="Body", max_length=200,
                           widget=forms.TextInput(attrs={"list": "bodies"}),
                           help_text="The committee or board, e.g. Scrutiny Board. A new name "
                           "is added to the partnership's bodies with 10 working days' notice.")
    meeting_date = forms.DateField(label="Meeting date", widget=DATE)


class DecisionForm(forms.Form):
    meeting_date = forms.DateField(label="Meeting date", widget=DATE)
    decision = forms.ChoiceField(label="Decision", required=False,
                                 choices=[("", "Not yet considered"), *Decision.choices])
    notes = forms.CharField(label="Notes", required=False,
                            widget=forms.Textarea(attrs={"rows": 3}))


class ConditionForm(forms.ModelForm):
    class Meta:
        model = RouteCondition
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}


class ResolveForm(forms.ModelForm):
    class Meta:
        model = RouteCondition
        fields = ["resolved_on", "resolution"]
        widgets = {"resolved_on": DATE, "resolution": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["resolved_on"].required = True


class BodyForm(forms.ModelForm):
    class Meta:
        model = CommitteeBody
        fields = ["name", "papers_working_days"]


class IssueForm(forms.Form):
    confirm = forms.BooleanField(
        label="I have checked this report; issue it and freeze its content.",
        help_text="An issued report cannot be changed.")
