"""Forms for strategies, priorities, aims, actions, updates and CSV upload."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from django import forms

from saferplaces.core.uploads import check_size
from saferplaces.partnership.forms import PartnershipScopedForm
from saferplaces.partnership.models import Organisation, Partnership, Person
from saferplaces.strategy import action_rules
from saferplaces.strategy.models import (
    Action,
    ActionPlan,
    ActionStatus,
    ActionUpdate,
    Aim,
    LinkedStrategy,
    Priority,
    Strand,
    Strategy,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class StrategyForm(forms.ModelForm):
    class Meta:
        model = Strategy
        fields = ["title", "start_date", "end_date", "status", "supersedes", "summary"]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}

    def __init__(self, *args, partnership: Partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.partnership = partnership
        others = partnership.strategies.all()
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        self.fields["supersedes"].queryset = others


class LinkedStrategyForm(PartnershipScopedForm):
    url = forms.URLField(label="Web address", required=False, assume_scheme="https")

    class Meta:
        model = LinkedStrategy
        fields = ["title", "owner", "description", "url"]


class PriorityForm(forms.ModelForm):
    strands = forms.MultipleChoiceField(
        label="CDA s.6 strands covered", choices=Strand.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The statutory strands this priority addresses.",
    )

    class Meta:
        model = Priority
        fields = ["number", "title", "description", "strands", "linked_strategies"]
        widgets = {"linked_strategies": forms.CheckboxSelectMultiple}

    def __init__(self, *args, strategy: Strategy, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.strategy = strategy
        self.fields["linked_strategies"].queryset = LinkedStrategy.objects.for_partnership(
            strategy.partnership)


class AimForm(forms.ModelForm):
    class Meta:
        model = Aim
        fields = ["number", "text"]

    def __init__(self, *args, priority: Priority, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.priority = priority


class ActionPlanForm(forms.ModelForm):
    class Meta:
        model = ActionPlan
        fields = ["year", "start_date", "end_date", "status"]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}

    def __init__(self, *args, strategy: Strategy, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.strategy = strategy


class ActionForm(forms.ModelForm):
    """Create or edit an action. Officers may only choose their own organisation as lead."""

    class Meta:
        model = Action
        fields = [
            "reference", "title", "description", "aims", "lead_organisation",
            "partner_organisations", "lead_officer", "start_date", "due_date", "status",
            "progress",
        ]
        widgets = {
            "start_date": DateInput(),
            "due_date": DateInput(),
            "aims": forms.CheckboxSelectMultiple,
            "partner_organisations": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, plan: ActionPlan, lead_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.plan = plan
        partnership = plan.strategy.partnership
        organisations = Organisation.objects.for_partnership(partnership)
        self.fields["aims"].queryset = Aim.objects.filter(
            priority__strategy=plan.strategy
        ).select_related("priority")
        self.fields["lead_organisation"].queryset = (
            lead_choices if lead_choices is not None else organisations
        )
        self.fields["partner_organisations"].queryset = organisations
        self.fields["lead_officer"].queryset = Person.objects.for_partnership(partnership)
        self.fields["progress"].widget.attrs.update({"min": 0, "max": 100})

    def clean_reference(self):
        # The plan is not a form field, so Django's unique check skips (plan, reference).
        reference = self.cleaned_data["reference"].strip()
        clash = Action.objects.filter(plan=self.instance.plan, reference__iexact=reference)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(
                "Another action in this plan already has this reference.",
                code="duplicate_reference")
        return reference

    def clean(self):
        cleaned = super().clean()
        message = action_rules.lead_partner_error(cleaned.get("lead_organisation"),
                                                  cleaned.get("partner_organisations"))
        if message:
            self.add_error("partner_organisations", message)
        return cleaned


#: ActionForm's fields whose own rules (required, length, choices, range) need no query.
_PLAIN_FIELDS = ("reference", "title", "description", "start_date", "due_date", "status",
                 "progress")


@functools.lru_cache(maxsize=4096)
def _field_messages(name: str, value: object) -> tuple[str, ...]:
    """What ActionForm's field ``name`` says of ``value`` (a file repeats the same dates,
    statuses and progress figures, so each is checked once)."""
    try:
        ActionForm.base_fields[name].clean("" if value is None else value)
    except forms.ValidationError as exc:
        return tuple(exc.messages)
    return ()


def action_errors(values: Mapping[str, Any]) -> dict[str, list[str]]:
    """What ActionForm (with the model's clean()) would refuse in an action given as plain
    values, without a query: thousands of CSV rows are checked by these rules.

    Organisations, aims and officers are ids the caller has already resolved within the plan's
    partnership; a clash with another action's reference is the caller's to check. The rules
    are the form's own fields and ``action_rules``.
    """
    errors: dict[str, list[str]] = {}
    for name in _PLAIN_FIELDS:
        messages = _field_messages(name, values.get(name))
        if messages:
            errors[name] = list(messages)
    for name in ("aims", "lead_organisation"):
        if not values.get(name):
            errors[name] = [ActionForm.base_fields[name].error_messages["required"]]
    across = (
        ("partner_organisations", action_rules.lead_partner_error(
            values.get("lead_organisation"), values.get("partner_organisations") or ())),
        ("progress", action_rules.progress_error(values.get("progress"))),
        ("due_date", action_rules.dates_error(values.get("start_date"), values.get("due_date"))),
    )
    for name, message in across:
        if message and name not in errors:
            errors[name] = [message]
    return errors


class RedateActionsForm(forms.Form):
    """Give carried-forward actions due before their plan's year a new due date together."""

    actions = forms.ModelMultipleChoiceField(
        queryset=Action.objects.none(), widget=forms.CheckboxSelectMultiple,
        label="Actions to re-date", error_messages={"required": "Pick at least one action."})
    due_date = forms.DateField(label="New due date", widget=DateInput())
    reason = forms.CharField(label="Reason", max_length=200,
                             help_text="Recorded in each action's change history.")

    def __init__(self, *args, plan, actions, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.fields["actions"].queryset = actions
        self.fields["actions"].label_from_instance = (
            lambda a: f"{a.reference} {a.title} (due {a.due_date:%d %b %Y})")
        self.fields["due_date"].help_text = (
            f"Within the {plan.year_label} plan: {plan.start_date:%d %b %Y} to "
            f"{plan.end_date:%d %b %Y}.")

    def clean_due_date(self):
        due = self.cleaned_data["due_date"]
        if not self.plan.start_date <= due <= self.plan.end_date:
            raise forms.ValidationError(
                f"Pick a date in the {self.plan.year_label} plan's year.", code="outside_plan")
        return due


class ActionUpdateForm(forms.ModelForm):
    class Meta:
        model = ActionUpdate
        fields = ["date", "status", "progress", "narrative"]
        widgets = {
            "date": DateInput(),
            "narrative": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "progress": "Optional. Leave empty to keep the current figure.",
            "narrative": "What has been done since the last update, and what happens next.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["progress"].widget.attrs.update({"min": 0, "max": 100})

    def clean_progress(self):
        progress = self.cleaned_data.get("progress")
        if progress is not None and progress > 100:
            raise forms.ValidationError("Progress is a percentage from 0 to 100.",
                                        code="progress_range")
        return progress

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == ActionStatus.COMPLETE and cleaned.get("progress") not in (
            None, 100,
        ):
            self.add_error("progress", "A complete action is 100% done.")
        return cleaned


class ActionFilterForm(forms.Form):
    """Filters on the action plan table; every field optional."""

    priority = forms.ModelChoiceField(queryset=Priority.objects.none(), required=False,
                                      empty_label="All priorities")
    lead_organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(),
                                               required=False, label="Lead organisation",
                                               empty_label="All organisations")
    status = forms.ChoiceField(choices=[("", "All statuses"), *ActionStatus.choices],
                               required=False)
    overdue = forms.BooleanField(required=False, label="Overdue only")
    q = forms.CharField(required=False, label="Search", max_length=100)

    def __init__(self, *args, plan: ActionPlan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["priority"].queryset = plan.strategy.priorities.all()
        self.fields["lead_organisation"].queryset = Organisation.objects.for_partnership(
            plan.strategy.partnership)


class ActionCsvUploadForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="One action per row; download the current plan as CSV to see the columns.",
    )
    dry_run = forms.BooleanField(
        required=False, label="Check only", help_text="Validate the file without saving."
    )

    def clean_file(self):
        upload = check_size(self.cleaned_data["file"])
        if not upload.name.lower().endswith(".csv"):
            raise forms.ValidationError("Upload a .csv file.", code="not_csv")
        return upload
