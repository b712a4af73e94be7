"""Forms for grants, reporting dates, allocations and spend.

The money rules (allocations within the grant, spend within the allocation) are checked here
so the message sits next to the amount; the database triggers check them again, and
`save_guarded` turns a refusal that got past the form (two people at once) into the same
message.
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.db import IntegrityError, transaction
from django.db.models import Sum

from saferplaces.core.numbers import format_money as money
from saferplaces.grants.models import (
    OVER_ALLOCATED,
    OVERSPENT,
    Allocation,
    Grant,
    GrantReportingDate,
    Spend,
)
from saferplaces.partnership.forms import PartnershipScopedForm
from saferplaces.strategy.forms import DateInput
from saferplaces.strategy.models import Action

ZERO = Decimal("0.00")


def _total(queryset) -> Decimal:
    return queryset.aggregate(total=Sum("amount"))["total"] or ZERO


class GrantForm(PartnershipScopedForm):
    class Meta:
        model = Grant
        fields = ["title", "funder", "year", "amount", "reference", "ring_fence", "conditions",
                  "illustrative_note"]

    def clean_amount(self) -> Decimal:
        amount = self.cleaned_data["amount"]
        if self.instance.pk:
            allocated = _total(self.instance.allocations.all())
            if amount < allocated:
                raise forms.ValidationError(
                    f"Allocations already add up to {money(allocated)}; lower them before "
                    "lowering the grant.", code="below_allocations")
        return amount


class ReportingDateForm(forms.ModelForm):
    class Meta:
        model = GrantReportingDate
        fields = ["due_on", "what"]
        widgets = {"due_on": DateInput()}

    def __init__(self, *args, grant: Grant, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.grant = grant


class AllocationForm(forms.ModelForm):
    class Meta:
        model = Allocation
        fields = ["action", "project_name", "provider", "amount", "note"]

    def __init__(self, *args, grant: Grant, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.grant = grant
        actions = Action.objects.for_partnership(grant.partnership).select_related("plan")
        # the grant's own year first, then the others
        self.fields["action"].queryset = actions.order_by("-plan__year", "reference")
        self.fields["action"].label_from_instance = (
            lambda action: f"{action} ({action.plan.year_label})")
        self.grant = grant

    def clean_amount(self) -> Decimal:
        amount = self.cleaned_data["amount"]
        others = self.grant.allocations.exclude(pk=self.instance.pk)
        available = self.grant.amount - _total(others)
        if amount > available:
            raise forms.ValidationError(
                f"Only {money(available)} of the {money(self.grant.amount)} grant is left to "
                "allocate.", code="over_grant")
        if self.instance.pk:
            spent = _total(self.instance.spends.all())
            if amount < spent:
                raise forms.ValidationError(
                    f"{money(spent)} has already been spent against this allocation.",
                    code="below_spend")
        return amount


class SpendForm(forms.ModelForm):
    class Meta:
        model = Spend
        fields = ["spent_on", "amount", "description", "reference"]
        widgets = {"spent_on": DateInput()}

    def __init__(self, *args, allocation: Allocation, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.allocation = allocation
        self.allocation = allocation

    def clean_amount(self) -> Decimal:
        amount = self.cleaned_data["amount"]
        others = self.allocation.spends.exclude(pk=self.instance.pk)
        available = self.allocation.amount - _total(others)
        if amount > available:
            raise forms.ValidationError(
                f"Only {money(available)} of the {money(self.allocation.amount)} allocation "
                "is left to spend.", code="over_allocation")
        return amount


#: What a trigger's refusal means, said next to the amount.
REFUSALS = {
    OVER_ALLOCATED: "The allocations would add up to more than the grant (another change "
                    "may have just been saved): check the figures and try again.",
    OVERSPENT: "The spend would add up to more than the allocation (another change may have "
               "just been saved): check the figures and try again.",
}


def save_guarded(form: forms.ModelForm, **attributes):
    """Save the form's object (setting `attributes` first) in its own transaction; if a
    database trigger refuses the money, put its message on the amount and return None."""
    obj = form.save(commit=False)
    for name, value in attributes.items():
        setattr(obj, name, value)
    try:
        with transaction.atomic():
            obj.save()
            form.save_m2m()
    except IntegrityError as error:
        refusal = next((text for name, text in REFUSALS.items() if name in str(error)), None)
        if refusal is None:
            raise
        form.add_error("amount", forms.ValidationError(refusal, code="refused_by_database"))
        return None
    return obj
