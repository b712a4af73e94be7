"""Forms for workshops, their criteria, candidates and scorers, and the scoring matrix."""

from __future__ import annotations

from django import forms

from saferplaces.crime.categories import CURRENT_TYPES
from saferplaces.partnership.models import Partnership, Person
from saferplaces.strategy.forms import DateInput
from saferplaces.workshop.models import CandidateTopic, Criterion, Scorer, Workshop


class WorkshopForm(forms.ModelForm):
    class Meta:
        model = Workshop
        fields = ["title", "year", "date", "facilitator", "status", "notes"]
        widgets = {"date": DateInput()}

    def __init__(self, *args, partnership: Partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.partnership = partnership


class CriterionForm(forms.ModelForm):
    class Meta:
        model = Criterion
        fields = ["name", "weight", "scale_min", "scale_max", "guidance", "order"]

    def __init__(self, *args, workshop: Workshop, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.workshop = workshop


class CandidateForm(forms.ModelForm):
    crime_types = forms.MultipleChoiceField(
        label="Crime types it covers", required=False, widget=forms.CheckboxSelectMultiple,
        choices=[(name, name) for name in CURRENT_TYPES],
        help_text="Its evidence panel counts these police.uk crime types.",
    )
    consultation_themes = forms.CharField(
        label="Consultation themes it matches", required=False,
        help_text="Theme names, separated by commas, as the consultations' codebooks name them.",
    )

    class Meta:
        model = CandidateTopic
        fields = ["name", "description", "crime_types", "consultation_themes"]

    def __init__(self, *args, workshop: Workshop, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.workshop = workshop
        if self.instance.pk:
            self.initial["consultation_themes"] = ", ".join(self.instance.consultation_themes)

    def clean_consultation_themes(self) -> list[str]:
        names = [name.strip() for name in self.cleaned_data["consultation_themes"].split(",")]
        return list(dict.fromkeys(name for name in names if name))


class ScorerForm(forms.ModelForm):
    class Meta:
        model = Scorer
        fields = ["name", "represents", "person", "user"]

    def __init__(self, *args, workshop: Workshop, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.workshop = workshop
        partnership = workshop.partnership
        self.fields["person"].queryset = Person.objects.for_partnership(partnership)
        user_field = self.fields["user"]
        user_field.queryset = user_field.queryset.filter(
            memberships__partnership=partnership).order_by("username")
        user_field.help_text = ("A member of the partnership who scores on the web form as "
                                "themselves; leave empty for someone scored on paper.")


class ScoreSheetForm(forms.Form):
    """The matrix of one scorer's scores: a field per candidate and criterion, each optional
    (a blank cell is a skipped score) and within the criterion's scale."""

    def __init__(self, *args, criteria: list[Criterion], candidates: list[CandidateTopic],
                 existing: dict[tuple[int, int], int], **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria, self.candidates = criteria, candidates
        for candidate in candidates:
            for criterion in criteria:
                name = self.field_name(candidate, criterion)
                self.fields[name] = forms.IntegerField(
                    label=f"{candidate.name}: {criterion.name} "
                          f"({criterion.scale_min}-{criterion.scale_max})",
                    required=False, min_value=criterion.scale_min,
                    max_value=criterion.scale_max,
                    widget=forms.NumberInput(attrs={"class": "score", "inputmode": "numeric"}),
                )
                if (candidate.pk, criterion.pk) in existing:
                    self.initial[name] = existing[(candidate.pk, criterion.pk)]

    @staticmethod
    def field_name(candidate: CandidateTopic, criterion: Criterion) -> str:
        return f"score_{candidate.pk}_{criterion.pk}"

    def rows(self) -> list[tuple[CandidateTopic, list]]:
        """(candidate, its bound fields in criterion order) for the template's matrix."""
        return [(candidate, [self[self.field_name(candidate, criterion)]
                             for criterion in self.criteria])
                for candidate in self.candidates]

    def values(self) -> dict[tuple[int, int], int | None]:
        """(candidate id, criterion id) -> the value entered, None where left blank."""
        return {(candidate.pk, criterion.pk):
                self.cleaned_data.get(self.field_name(candidate, criterion))
                for candidate in self.candidates for criterion in self.criteria}


class ChoosePrioritiesForm(forms.Form):
    chosen = forms.ModelMultipleChoiceField(
        label="Chosen priorities", queryset=CandidateTopic.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, workshop: Workshop, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chosen"].queryset = workshop.candidates.all()
