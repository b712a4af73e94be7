"""Forms administrators use to keep the partnership's register up to date."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import NON_FIELD_ERRORS

from saferplaces.partnership.models import (
    BoardSeat,
    Membership,
    Organisation,
    PartnerBody,
    Partnership,
    Person,
    Role,
)


def _field_of(problem: forms.ValidationError) -> str | None:
    """The form field a (partnership, field) uniqueness error is about, to show it there."""
    check = (problem.params or {}).get("unique_check") or ()
    fields = [name for name in check if name != "partnership"]
    return fields[0] if len(fields) == 1 else None


class PartnershipScopedForm(forms.ModelForm):
    """A model form whose instance belongs to a partnership and whose choices stay inside it."""

    scoped_fields: dict[str, type] = {}

    def __init__(self, *args, partnership: Partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.partnership = partnership
        for name, model in self.scoped_fields.items():
            self.fields[name].queryset = model.objects.for_partnership(partnership)

    def validate_unique(self):
        # `partnership` is not a form field, so Django skips the per-partnership unique
        # constraints; check them with it set so the error shows beside the field.
        exclude = self._get_validation_exclusions()
        exclude.discard("partnership")
        try:
            self.instance.validate_unique(exclude=exclude)
            self.instance.validate_constraints(exclude=exclude)
        except forms.ValidationError as error:
            for problem in error.error_dict.get(NON_FIELD_ERRORS, []):
                self.add_error(_field_of(problem), problem)
            for field, problems in error.error_dict.items():
                if field != NON_FIELD_ERRORS:
                    self.add_error(field, problems)


class OrganisationForm(PartnershipScopedForm):
    website = forms.URLField(label="Website", required=False, assume_scheme="https")
    class Meta:
        model = Organisation
        fields = ["name", "short_name", "statutory_role", "authority_type", "website"]


class PersonForm(PartnershipScopedForm):
    scoped_fields = {"organisation": Organisation}

    class Meta:
        model = Person
        fields = ["name", "job_title", "organisation", "email"]


class BoardSeatForm(PartnershipScopedForm):
    scoped_fields = {"organisation": Organisation, "holder": Person}

    class Meta:
        model = BoardSeat
        fields = ["seat_type", "office", "organisation", "holder", "label", "term_start",
                  "term_end"]
        widgets = {"term_start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                   "term_end": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class PartnerBodyForm(PartnershipScopedForm):
    url = forms.URLField(label="Web address", required=False, assume_scheme="https")
    class Meta:
        model = PartnerBody
        fields = ["name", "members", "description", "url"]


class PartnershipSettingsForm(forms.ModelForm):
    class Meta:
        model = Partnership
        fields = ["name", "short_name", "area_description", "also_acts_as",
                  "update_interval_days", "shown_as_at", "allow_self_approval"]
        widgets = {"shown_as_at": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class MembershipForm(PartnershipScopedForm):
    """Change a member's role and organisation."""

    scoped_fields = {"organisation": Organisation}

    class Meta:
        model = Membership
        fields = ["role", "organisation"]


class NewMemberForm(forms.Form):
    """Create a login and give it a role in this partnership."""

    username = forms.CharField(label="User name", max_length=150)
    first_name = forms.CharField(label="First name", max_length=150)
    last_name = forms.CharField(label="Last name", max_length=150)
    email = forms.EmailField(label="Email", help_text="Used for password resets and reminders.")
    role = forms.ChoiceField(label="Role", choices=Role.choices)
    organisation = forms.ModelChoiceField(
        label="Organisation", queryset=Organisation.objects.none(), required=False,
        help_text="Required for organisation officers.")
    password = forms.CharField(label="Initial password", widget=forms.PasswordInput,
                               help_text="Tell the person; they can change it after logging in.")

    def __init__(self, *args, partnership: Partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.partnership = partnership
        self.fields["organisation"].queryset = Organisation.objects.for_partnership(partnership)

    def clean_username(self):
        username = self.cleaned_data["username"]
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise forms.ValidationError("That user name is taken.", code="username_taken")
        return username

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("role") == Role.OFFICER and not cleaned.get("organisation"):
            self.add_error("organisation", "An organisation officer needs an organisation.")
        if cleaned.get("password"):
            user = get_user_model()(username=cleaned.get("username", ""),
                                    email=cleaned.get("email", ""))
            try:
                validate_password(cleaned["password"], user)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return cleaned

    def save(self) -> Membership:
        data = self.cleaned_data
        user = get_user_model().objects.create_user(
            username=data["username"], email=data["email"], password=data["password"],
            first_name=data["first_name"], last_name=data["last_name"])
        return Membership.objects.create(user=user, partnership=self.partnership,
                                         role=data["role"], organisation=data["organisation"])
