"""Forms for the board's groups, meetings, agendas, papers, attendance, minutes and actions
arising. Choices of people and seats stay inside the meeting's partnership."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from saferplaces.core.uploads import check_size
from saferplaces.governance.models import (
    ActionArising,
    AgendaItem,
    AgendaPaper,
    AttendanceStatus,
    Body,
    BodyKind,
    Meeting,
    substitute_error,
)
from saferplaces.partnership.forms import PartnershipScopedForm
from saferplaces.partnership.models import BoardSeat, Partnership, Person
from saferplaces.strategy.forms import DateInput


class BodyForm(PartnershipScopedForm):
    scoped_fields = {"seats": BoardSeat}

    class Meta:
        model = Body
        fields = ["name", "kind", "seats", "voting_seats", "quorum_number", "quorum_of"]
        widgets = {"seats": forms.CheckboxSelectMultiple}

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == BodyKind.GROUP and not cleaned.get("seats"):
            self.add_error("seats", ValidationError("Choose the seats that sit on the group.",
                                                    code="group_needs_seats"))
        return cleaned


class MeetingForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["body", "date", "start_time", "place", "status"]
        widgets = {"date": DateInput(),
                   "start_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M")}

    def __init__(self, *args, partnership: Partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = Body.objects.for_partnership(partnership)
        self.fields["body"].empty_label = None


class AgendaItemForm(forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["number", "title", "presenter"]

    def __init__(self, *args, partnership: Partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["presenter"].queryset = Person.objects.for_partnership(partnership)


class AgendaItemFormSet(forms.BaseModelFormSet):
    """The agenda: numbers must differ (the database says so too)."""

    def clean(self):
        super().clean()
        seen = set()
        for form in self.forms:
            if not form.is_valid() or form in self.deleted_forms:
                continue
            number = form.cleaned_data.get("number")
            if number in seen:
                form.add_error("number", ValidationError(
                    "Another item has this number.", code="duplicate_number"))
            seen.add(number)


def agenda_formset(meeting: Meeting, partnership: Partnership, data=None):
    FormSet = forms.modelformset_factory(AgendaItem, form=AgendaItemForm,
                                         formset=AgendaItemFormSet, extra=3, can_delete=True)
    return FormSet(data, queryset=meeting.items.all(), prefix="items",
                   form_kwargs={"partnership": partnership})


class MinutesForm(forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["minutes", "decisions"]
        widgets = {"minutes": forms.Textarea(attrs={"rows": 4}),
                   "decisions": forms.Textarea(attrs={"rows": 2})}


def minutes_formset(meeting: Meeting, data=None):
    FormSet = forms.modelformset_factory(AgendaItem, form=MinutesForm, extra=0)
    return FormSet(data, queryset=meeting.items.all(), prefix="minutes")


class PaperForm(forms.ModelForm):
    link = forms.URLField(label="Link", required=False, assume_scheme="https",
                          help_text="A web address of the paper, instead of a file.")
    upload = forms.FileField(label="File", required=False,
                             help_text="A PDF, Word document or spreadsheet; or give a link.")

    class Meta:
        model = AgendaPaper
        fields = ["title", "link", "upload"]

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        return check_size(upload) if upload else None

    def clean(self):
        cleaned = super().clean()
        if bool(cleaned.get("upload")) == bool(cleaned.get("link")):
            if "upload" not in self.errors and "link" not in self.errors:
                self.add_error("upload", ValidationError(
                    "Upload a file or give a link (one of the two).", code="file_or_link"))
        return cleaned

    def save(self, commit: bool = True) -> AgendaPaper:
        paper = super().save(commit=False)
        if upload := self.cleaned_data.get("upload"):
            paper.content = upload.read()
            paper.filename = upload.name[:255]
            paper.content_type = upload.content_type or "application/octet-stream"
            paper.size = len(paper.content)
        if commit:
            paper.save()
        return paper


class AttendanceRowForm(forms.Form):
    """One seat's attendance at a meeting."""

    status = forms.ChoiceField(label="Attendance", choices=AttendanceStatus.choices)
    substitute = forms.ModelChoiceField(label="Substitute (who stood in)",
                                        queryset=Person.objects.none(), required=False)

    def __init__(self, *args, seat: BoardSeat, partnership: Partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.seat = seat
        self.fields["substitute"].queryset = Person.objects.for_partnership(partnership)

    def clean(self):
        cleaned = super().clean()
        status = cleaned.get("status")
        if status and (error := substitute_error(status, cleaned.get("substitute") is not None)):
            self.add_error("substitute", ValidationError(error, code="substitute"))
        return cleaned


def attendance_forms(meeting: Meeting, seats, data=None) -> list[AttendanceRowForm]:
    """A form per seat, filled from what was recorded (holders present by default)."""
    recorded = {a.seat_id: a for a in meeting.attendance.all()}
    partnership = meeting.body.partnership
    forms_ = []
    for seat in seats:
        row = recorded.get(seat.pk)
        initial = ({"status": row.status, "substitute": row.substitute_id} if row
                   else {"status": AttendanceStatus.PRESENT})
        forms_.append(AttendanceRowForm(data, prefix=f"seat-{seat.pk}", initial=initial,
                                        seat=seat, partnership=partnership))
    return forms_


class ActionArisingForm(forms.ModelForm):
    class Meta:
        model = ActionArising
        fields = ["item", "description", "owner", "due_date", "status", "position"]
        widgets = {"due_date": DateInput(), "description": forms.Textarea(attrs={"rows": 2}),
                   "position": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.meeting = meeting
        self.fields["item"].queryset = meeting.items.all()
        self.fields["owner"].queryset = Person.objects.for_partnership(meeting.body.partnership)
