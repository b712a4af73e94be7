"""The survey form a respondent fills in (online, or an officer typing in a paper copy):
one field per question, consent, optional contact details and equality monitoring, and
the spam defences (a honeypot field and a signed start time)."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.html import escape

from saferplaces.consultation.models import (
    EQUALITY_QUESTIONS,
    SURVEY_CHANNELS,
    Channel,
    QuestionKind,
    SurveyQuestion,
    SurveyVersion,
)
from saferplaces.consultation.services import ChosenAnswer

TEXT_LIMIT = 5000
# The outward code of a UK postcode: WV1, WV10, B1, SW1A.
POSTCODE_DISTRICT = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$")
OUTSIDE_AREA = "outside"
STARTED_SALT = "saferplaces.consultation.started"


def started_token() -> str:
    """A signed record of when the form was shown."""
    return signing.dumps(time.time(), salt=STARTED_SALT)


def seconds_since(token: str) -> float | None:
    """Seconds since `token` was made; None when it is missing, forged or a day old."""
    try:
        return time.time() - float(signing.loads(token, salt=STARTED_SALT, max_age=86400))
    except (signing.BadSignature, TypeError, ValueError):
        return None


@dataclass
class QuestionGroup:
    """A question with the bound field(s) that answer it, for the template."""

    question: SurveyQuestion
    fields: list  # BoundField; a ranking has one per option

    @property
    def is_group(self) -> bool:
        """Answered with several controls (radios, boxes, ranks): a fieldset with a legend."""
        return self.question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE,
                                      QuestionKind.LIKERT, QuestionKind.RANKING)


class SurveyForm(forms.Form):
    """The survey of `version`. `wards` is [(code, name)] of the partnership's wards; with
    `paper=True` an officer enters a response from another channel (paper, email)."""

    website = forms.CharField(
        label="Leave this empty", required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}))
    started = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, version: SurveyVersion, wards: list[tuple[str, str]],
                 paper: bool = False, min_fill_seconds: float = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.version = version
        self.paper = paper
        self.min_fill_seconds = min_fill_seconds
        self.questions = list(SurveyQuestion.objects.filter(section__version=version)
                              .select_related("section").prefetch_related("options")
                              .order_by("section__number", "number"))
        self.ward_names = dict(wards)
        self.fields["started"].initial = started_token()
        for question in self.questions:
            self._add_question(question, wards)
        if paper:
            self.fields["channel"] = forms.ChoiceField(
                label="Channel", choices=[c for c in SURVEY_CHANNELS if c[0] != Channel.ONLINE])
        self.fields["consent"] = forms.BooleanField(
            label="I have read the privacy notice and agree to my answers being used as it "
            "describes.", required=not paper)
        self.fields["name"] = forms.CharField(label="Your name", required=False, max_length=200)
        self.fields["email"] = forms.EmailField(
            label="Your email address", required=False,
            help_text="Only if you would like to hear about the outcome.")
        self.fields["postcode"] = forms.CharField(label="Your postcode", required=False,
                                                  max_length=10)
        self.fields["organisation"] = forms.CharField(
            label="Organisation, if you answer on its behalf", required=False, max_length=200)
        for name, (label, choices) in EQUALITY_QUESTIONS.items():
            self.fields[name] = forms.ChoiceField(
                label=label, choices=choices.choices, required=False,
                widget=forms.RadioSelect)

    # ---------------------------------------------------------------- building the fields

    def _add_question(self, question: SurveyQuestion, wards) -> None:
        options = [(str(o.pk), o.label) for o in question.options.all()]
        # Django renders help text unescaped; officers' text is escaped here.
        label = f"{question.text} (required)" if question.required else question.text
        common = {"label": label, "required": question.required,
                  "help_text": escape(question.help_text)}
        kind = question.kind
        if kind in (QuestionKind.SINGLE, QuestionKind.LIKERT):
            field = forms.ChoiceField(choices=options, widget=forms.RadioSelect, **common)
        elif kind == QuestionKind.MULTIPLE:
            field = forms.MultipleChoiceField(choices=options,
                                              widget=forms.CheckboxSelectMultiple, **common)
        elif kind == QuestionKind.RANKING:
            ranks = [("", "Not ranked")] + [(str(n), str(n)) for n in
                                            range(1, len(options) + 1)]
            for value, label in options:
                self.fields[f"q{question.pk}_{value}"] = forms.ChoiceField(
                    label=label, choices=ranks, required=False)
            return
        elif kind == QuestionKind.WARD:
            field = forms.ChoiceField(
                choices=[("", "Choose a ward")] + list(wards)
                + [(OUTSIDE_AREA, "I do not live in the area")], **common)
        elif kind == QuestionKind.POSTCODE_DISTRICT:
            field = forms.CharField(max_length=8, **common)
        else:
            field = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}),
                                    max_length=TEXT_LIMIT, **common)
        self.fields[f"q{question.pk}"] = field

    def question_groups(self) -> list[QuestionGroup]:
        groups = []
        for question in self.questions:
            if question.kind == QuestionKind.RANKING:
                names = [f"q{question.pk}_{o.pk}" for o in question.options.all()]
            else:
                names = [f"q{question.pk}"]
            groups.append(QuestionGroup(question, [self[name] for name in names]))
        return groups

    def equality_fields(self) -> list:
        return [self[name] for name in EQUALITY_QUESTIONS]

    def contact_fields(self) -> list:
        return [self[name] for name in ("name", "email", "postcode", "organisation")]

    # ---------------------------------------------------------------- checking

    def clean_postcode(self) -> str:
        return " ".join(self.cleaned_data["postcode"].upper().split())

    def clean(self):
        cleaned = super().clean()
        for question in self.questions:
            if question.kind == QuestionKind.RANKING:
                self._check_ranking(question, cleaned)
            elif question.kind == QuestionKind.POSTCODE_DISTRICT:
                self._check_district(question, cleaned)
        if not self.paper:
            elapsed = seconds_since(cleaned.get("started") or "")
            if elapsed is None or elapsed < self.min_fill_seconds:
                self.data = self.data.copy()
                self.data["started"] = started_token()
                raise ValidationError(
                    "Please check your answers and send the form again.", code="too_quick")
        return cleaned

    def _check_ranking(self, question: SurveyQuestion, cleaned) -> None:
        names = [f"q{question.pk}_{o.pk}" for o in question.options.all()]
        ranks = [cleaned.get(name) for name in names if cleaned.get(name)]
        if len(set(ranks)) != len(ranks):
            self.add_error(names[0], ValidationError(
                "Give each option a different rank.", code="duplicate_rank"))
        elif ranks and sorted(int(r) for r in ranks) != list(range(1, len(ranks) + 1)):
            self.add_error(names[0], ValidationError(
                "Rank from 1 upwards without gaps.", code="rank_gap"))
        elif question.required and not ranks:
            self.add_error(names[0], ValidationError(
                "Rank at least your first choice.", code="required"))

    def _check_district(self, question: SurveyQuestion, cleaned) -> None:
        name = f"q{question.pk}"
        value = (cleaned.get(name) or "").upper().replace(" ", "")
        if value and not POSTCODE_DISTRICT.match(value):
            self.add_error(name, ValidationError(
                "Enter the first part of a postcode only, like WV1 or B15.",
                code="postcode_district"))
        elif name in cleaned:
            cleaned[name] = value

    @property
    def is_spam(self) -> bool:
        """The honeypot field, hidden from people, was filled in."""
        return bool(self.data.get("website"))

    # ---------------------------------------------------------------- results

    def answers(self) -> list[ChosenAnswer]:
        chosen = []
        for question in self.questions:
            options = {str(o.pk): o for o in question.options.all()}
            if question.kind == QuestionKind.RANKING:
                for key, option in options.items():
                    rank = self.cleaned_data.get(f"q{question.pk}_{key}")
                    if rank:
                        chosen.append(ChosenAnswer(question, option, rank=int(rank)))
                continue
            value = self.cleaned_data.get(f"q{question.pk}")
            if not value:
                continue
            if question.kind == QuestionKind.MULTIPLE:
                chosen.extend(ChosenAnswer(question, options[v]) for v in value)
            elif question.has_options:
                chosen.append(ChosenAnswer(question, options[value]))
            else:
                chosen.append(ChosenAnswer(question, text=value.strip()))
        return chosen

    def contact(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(name, "") for name in
                ("name", "email", "postcode", "organisation")}

    def equality(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(name, "") for name in EQUALITY_QUESTIONS}

    def error_summary(self) -> list[tuple[str, str]]:
        """(id of the control to jump to, message) for every error, in page order."""
        summary = [("", str(e)) for e in self.non_field_errors()]
        for name, field in self.fields.items():
            if name in self.errors:
                bound = self[name]
                target = bound.auto_id
                if isinstance(field.widget, (forms.RadioSelect, forms.CheckboxSelectMultiple)):
                    target = f"{bound.auto_id}_0"
                summary.extend((target, str(e)) for e in self.errors[name])
        return summary
