"""The workshop's models: default criteria, the rules on scores (in the database and in
clean()), and `workshop_results` reading the hand-worked example back from the database."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from saferplaces.workshop.models import DEFAULT_CRITERIA, Criterion, Score, Workshop
from saferplaces.workshop.results import workshop_results, workshop_sensitivity
from tests.factories import PartnershipFactory
from tests.workshop_data import make_workshop

pytestmark = pytest.mark.django_db


def test_a_new_workshop_gets_the_nine_default_criteria_once():
    workshop = Workshop.objects.create(partnership=PartnershipFactory(), title="W",
                                       year="2019/20", date=datetime.date(2019, 6, 1))
    workshop.add_default_criteria()
    workshop.add_default_criteria()
    names = list(workshop.criteria.values_list("name", flat=True))
    assert names == [name for name, _ in DEFAULT_CRITERIA]
    assert len(names) == 9
    assert names[-1] == "Confidence in the evidence"


def test_the_year_must_be_a_financial_year():
    workshop = Workshop(partnership=PartnershipFactory(), title="W", year="2019",
                        date=datetime.date(2019, 6, 1))
    with pytest.raises(ValidationError) as error:
        workshop.full_clean()
    assert "year" in error.value.message_dict


def test_the_database_refuses_a_score_outside_its_criterions_scale():
    workshop = make_workshop(PartnershipFactory())
    score = Score.objects.filter(criterion__name="Harm").first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Score.objects.filter(pk=score.pk).update(value=6)
    score.value = 0
    with pytest.raises(ValidationError) as error:
        score.full_clean()
    assert error.value.message_dict["value"] == ["Score Harm from 1 to 5."]
    assert workshop.criteria.count() == 2


def test_one_score_per_scorer_candidate_and_criterion():
    make_workshop(PartnershipFactory())
    score = Score.objects.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Score.objects.create(scorer=score.scorer, candidate=score.candidate,
                             criterion=score.criterion, value=score.value)


def test_a_criterions_scale_is_frozen_once_scored_but_its_weight_is_not():
    make_workshop(PartnershipFactory())
    harm = Criterion.objects.get(name="Harm")
    harm.weight = 3
    harm.full_clean()
    harm.scale_max = 4
    with pytest.raises(ValidationError) as error:
        harm.full_clean()
    assert "scale_max" in error.value.message_dict


def test_workshop_results_reads_the_worked_example():
    rows = workshop_results(make_workshop(PartnershipFactory()))
    # Tied W and Y keep the candidates' order (by name).
    assert [(r.candidate.name, r.rank, r.median_rank, r.scorers) for r in rows] == [
        ("Z", 1, 1, 2), ("X", 2, 2, 3), ("W", 3, 3, 3), ("Y", 3, 3, 3)]
    x = rows[1]
    assert x.mean == pytest.approx(595 / 9)
    assert x.median == pytest.approx(220 / 3)
    assert x.std_dev == pytest.approx(31.0416, abs=1e-4)
    assert (x.minimum, x.maximum, x.partial_scorers) == (25, 100, 1)
    assert not any(r.chosen for r in rows)
    tables, summary = workshop_sensitivity(rows[0].candidate.workshop)
    assert [t.name for t in tables] == ["Harm", "Concern"]
    assert summary == "The ranking is stable under every ±25% move of a weight."
