"""Officer forms: consultations, the partnership's policy, documents, the survey builder,
meetings and forums, and the distribution log."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator

from saferplaces.consultation.models import (
    LIKERT_DEFAULT,
    ChannelPoint,
    ChannelResponse,
    Consultation,
    ConsultationDocument,
    ConsultationPolicy,
    Distribution,
    PublicMeeting,
    QuestionKind,
    QuestionOption,
    SurveyQuestion,
    SurveySection,
    Theme,
    YouSaidWeDid,
)
from saferplaces.core.uploads import check_document
from saferplaces.partnership.models import Partnership
from saferplaces.strategy.forms import DateInput

MAX_OPTIONS = 30


class ConsultationForm(forms.ModelForm):
    class Meta:
        model = Consultation
        fields = ["title", "purpose", "strategy", "subject", "opens_on", "closes_on",
                  "results_policy"]
        widgets = {"opens_on": DateInput(), "closes_on": DateInput(),
                   "purpose": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, partnership: Partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.partnership = partnership
        self.fields["strategy"].queryset = partnership.strategies.all()

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("strategy") and not cleaned.get("subject"):
            self.add_error("subject", ValidationError(
                "Choose the strategy consulted on or say what the subject is.",
                code="subject_required"))
        return cleaned


class PolicyForm(forms.ModelForm):
    class Meta:
        model = ConsultationPolicy
        fields = ["minimum_weeks", "retention_days", "privacy_notice"]

    def __init__(self, *args, partnership: Partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.partnership = partnership
        self.fields["minimum_weeks"].validators.append(MaxValueValidator(52))
        self.fields["retention_days"].validators.append(MaxValueValidator(3650))


class DocumentForm(forms.ModelForm):
    url = forms.URLField(label="Web address", assume_scheme="https", required=False,
                         help_text="A link to the document, or upload it below.")

    class Meta:
        model = ConsultationDocument
        fields = ["title", "url", "file"]

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        return check_document(upload) if upload else upload

    def clean(self):
        cleaned = super().clean()
        if not self.errors and bool(cleaned.get("url")) == bool(cleaned.get("file")):
            raise ValidationError("Give a web address or upload a file (one of them).",
                                  code="link_or_file")
        return cleaned


class SectionForm(forms.ModelForm):
    class Meta:
        model = SurveySection
        fields = ["title", "introduction"]
        widgets = {"introduction": forms.Textarea(attrs={"rows": 3})}


class QuestionForm(forms.ModelForm):
    options_text = forms.CharField(
        label="Options", required=False, widget=forms.Textarea(attrs={"rows": 6}),
        help_text="One per line, in the order shown. For a Likert scale leave empty for "
        "'Strongly agree' to 'Strongly disagree'. Not used by free text, ward and postcode "
        "questions.",
    )

    class Meta:
        model = SurveyQuestion
        fields = ["kind", "text", "help_text", "required"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["options_text"].initial = "\n".join(
                o.label for o in self.instance.options.all())

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        labels = [line.strip() for line in cleaned.get("options_text", "").splitlines()
                  if line.strip()]
        if kind == QuestionKind.LIKERT and not labels:
            labels = list(LIKERT_DEFAULT)
        needs_options = kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE,
                                 QuestionKind.LIKERT, QuestionKind.RANKING)
        if needs_options and len(labels) < 2:
            self.add_error("options_text", ValidationError(
                "Give at least two options, one per line.", code="too_few_options"))
        if len(labels) > MAX_OPTIONS:
            self.add_error("options_text", ValidationError(
                f"At most {MAX_OPTIONS} options.", code="too_many_options"))
        if len(set(labels)) != len(labels):
            self.add_error("options_text", ValidationError(
                "Each option must be different.", code="duplicate_options"))
        cleaned["option_labels"] = labels if needs_options else []
        return cleaned

    def save_with_options(self, section: SurveySection) -> SurveyQuestion:
        """Save the question into `section` (an unlocked version's) and replace its options."""
        question = self.save(commit=False)
        question.section = section
        if question.number is None:
            question.number = (max((q.number for q in section.questions.all()), default=0)
                               + 1)
        question.save()
        question.options.all().delete()
        QuestionOption.objects.bulk_create(
            QuestionOption(question=question, number=n, label=label)
            for n, label in enumerate(self.cleaned_data["option_labels"], start=1))
        return question


class ChannelResponseForm(forms.ModelForm):
    class Meta:
        model = ChannelResponse
        fields = ["channel", "name", "held_on", "ward", "attendees", "organisations",
                  "summary", "points_raised"]
        widgets = {"held_on": DateInput(), "summary": forms.Textarea(attrs={"rows": 4}),
                   "organisations": forms.Textarea(attrs={"rows": 2}),
                   "points_raised": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, wards: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ward"] = forms.ChoiceField(
            label="Ward", required=False,
            choices=[("", "Not one ward")] + [(w, w) for w in wards]
            + [("All wards", "All wards")])
        self.fields["attendees"].validators.append(MaxValueValidator(100_000))


class DistributionForm(forms.ModelForm):
    class Meta:
        model = Distribution
        fields = ["recipient", "method", "sent_on", "notes"]
        widgets = {"sent_on": DateInput()}


class ThemeForm(forms.ModelForm):
    class Meta:
        model = Theme
        fields = ["name", "description"]

    def __init__(self, *args, consultation: Consultation, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.consultation = consultation

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        others = self.instance.consultation.themes.exclude(pk=self.instance.pk)
        if others.filter(name__iexact=name).exists():
            raise ValidationError("The codebook already has this theme.",
                                  code="duplicate_theme")
        return name


class YouSaidWeDidForm(forms.ModelForm):
    class Meta:
        model = YouSaidWeDid
        fields = ["theme", "point", "you_said", "outcome", "we_did", "priority", "aim",
                  "action"]
        widgets = {"you_said": forms.Textarea(attrs={"rows": 3}),
                   "we_did": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, consultation: Consultation, **kwargs):
        from saferplaces.strategy.models import Action, Aim, Priority

        super().__init__(*args, **kwargs)
        self.instance.consultation = consultation
        if self.instance.number is None:
            self.instance.number = consultation.you_said_we_did.count() + 1
        partnership = consultation.partnership
        priorities = Priority.objects.for_partnership(partnership)
        aims = Aim.objects.for_partnership(partnership)
        actions = Action.objects.for_partnership(partnership)
        if consultation.strategy_id:
            priorities = priorities.filter(strategy=consultation.strategy_id)
            aims = aims.filter(priority__strategy=consultation.strategy_id)
            actions = actions.filter(plan__strategy=consultation.strategy_id)
        self.fields["theme"].queryset = consultation.themes.all()
        self.fields["point"].queryset = ChannelPoint.objects.filter(
            meeting__consultation=consultation).select_related("meeting")
        self.fields["point"].label_from_instance = (
            lambda point: f"{point.meeting.name}: {point.text[:120]}")
        self.fields["priority"].queryset = priorities
        self.fields["aim"].queryset = aims.select_related("priority")
        self.fields["action"].queryset = actions


class PublicMeetingForm(forms.ModelForm):
    summary_url = forms.URLField(label="Summary web address", required=False,
                                 assume_scheme="https")

    class Meta:
        model = PublicMeeting
        fields = ["title", "held_on", "notice_published_on", "summary_published_on",
                  "summary_url", "senior_attendance", "notes"]
        widgets = {"held_on": DateInput(), "notice_published_on": DateInput(),
                   "summary_published_on": DateInput(),
                   "senior_attendance": forms.CheckboxSelectMultiple}

    def __init__(self, *args, partnership: Partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.partnership = partnership
        self.fields["senior_attendance"].queryset = partnership.organisations.filter(
            statutory_role="responsible")
